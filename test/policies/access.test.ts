import { describe, expect, it } from "vitest";
import type { CapturedResource } from "../../cli/commands/plan/capture.ts";
import {
  environmentReviewersWithinLimit,
  personasSeparated,
  productionBranchRequiredChecks,
  productionEnvironmentReviewers,
  sshNotOpenToWorld,
} from "../../policies/access.ts";
import { check, lineOf, mutate, PROJECT_FILE, projectResources, resource, SAFE_PROJECT } from "./harness.ts";

describe("ssh-not-open-to-world", () => {
  it("passes SSH from named networks", async () => {
    expect(await check(sshNotOpenToWorld, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each([
    ["production", "0.0.0.0/0", "  production:\n    image"],
    ["staging", "::/0", "    sshSources: [203.0.113.0/28]\n  development"],
  ])("refuses %s SSH from %s", async (stage, cidr, anchor) => {
    const yaml =
      stage === "production"
        ? mutate(
            SAFE_PROJECT,
            "    sshSources: [203.0.113.0/28]\n  staging",
            `    sshSources: [203.0.113.0/28, "${cidr}"]\n  staging`,
          )
        : mutate(SAFE_PROJECT, anchor, anchor.replace("[203.0.113.0/28]", `[203.0.113.0/28, "${cidr}"]`));
    const [v, ...rest] = await check(sshNotOpenToWorld, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v!.where).toMatch(
      new RegExp(`^${PROJECT_FILE}:${lineOf(yaml, cidr)}:\\d+ environments.${stage}.sshSources\\[1\\]$`),
    );
    expect(v!.message).toContain(cidr);
  });

  const firewall = (inboundRules: unknown[]) => [
    resource("digitalocean:index/firewall:Firewall", "fw", { inboundRules, outboundRules: [] }),
  ];
  const web = [
    { protocol: "tcp", portRange: "443", sourceAddresses: ["0.0.0.0/0", "::/0"] },
    { protocol: "tcp", portRange: "22", sourceAddresses: ["203.0.113.0/28"] },
  ];

  it("passes a firewall with SSH from a CIDR and HTTPS from anywhere, or a deny rule", async () => {
    expect(await check(sshNotOpenToWorld, firewall(web))).toEqual([]);
    const deny = { protocol: "tcp", portRange: "22", action: "deny", sourceAddresses: ["0.0.0.0/0"] };
    expect(await check(sshNotOpenToWorld, firewall([...web, deny]))).toEqual([]);
  });

  it.each([
    ["port 22 from 0.0.0.0/0", { protocol: "tcp", portRange: "22", sourceAddresses: ["0.0.0.0/0"] }],
    ["port 22 from ::/0", { protocol: "tcp", portRange: "22", sourceAddresses: ["::/0"] }],
    ["every port from 0.0.0.0/0", { protocol: "tcp", portRange: "1-65535", sourceAddresses: ["0.0.0.0/0"] }],
    ["a range around 22", { protocol: "tcp", portRange: "20-30", sourceAddresses: ["0.0.0.0/0"] }],
    [
      "port 22 from 0.0.0.0/1",
      { protocol: "tcp", portRange: "22", sourceAddresses: ["0.0.0.0/1", "128.0.0.0/1"] },
    ],
  ])("refuses a firewall opening %s", async (_, rule) => {
    const [v] = await check(sshNotOpenToWorld, firewall([...web, rule]));
    expect(v!.message).toMatch(
      /admits SSH \(port 22\) from (0\.0\.0\.0\/[01]|::\/0)\b.* \(100% of the public IPv[46] Internet\)/,
    );
  });
});

function githubEnvironment(inputs: Record<string, unknown>) {
  return [
    resource("github:index/repositoryEnvironment:RepositoryEnvironment", "shop-github-production", inputs),
  ];
}
const PRODUCTION_ENV = {
  repository: "shop",
  environment: "production",
  reviewers: [{ teams: [42], users: [] }],
  preventSelfReview: true,
};

describe("production-environment-reviewers", () => {
  it("passes a project with release managers and self-review prevented", async () => {
    expect(await check(productionEnvironmentReviewers, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it.each([
    [
      "no release manager",
      mutate(SAFE_PROJECT, "  release_manager: { users: [rm-ben] }", "  qa_tester: { users: [qa-ana] }"),
      "personas.release_manager",
    ],
    [
      "an empty release manager persona",
      mutate(SAFE_PROJECT, "{ users: [rm-ben] }", "{ users: [], teams: [] }"),
      "personas.release_manager",
    ],
    [
      "self-review allowed",
      mutate(SAFE_PROJECT, "preventSelfReview: true", "preventSelfReview: false"),
      "governance.production.preventSelfReview",
    ],
  ])("refuses a project with %s", async (_, yaml, field) => {
    const violations = await check(productionEnvironmentReviewers, projectResources(yaml));
    expect(violations.map((v) => v.where?.split(" ")[1])).toEqual([field]);
  });

  it("passes the GitHub production environment with reviewers, and staging ones without", async () => {
    expect(await check(productionEnvironmentReviewers, githubEnvironment(PRODUCTION_ENV))).toEqual([]);
    const staging = {
      ...PRODUCTION_ENV,
      environment: "development",
      reviewers: [],
      preventSelfReview: false,
    };
    expect(await check(productionEnvironmentReviewers, githubEnvironment(staging))).toEqual([]);
  });

  it.each([
    ["no reviewers", { reviewers: [] }, "has no required reviewers"],
    [
      "reviewers without anyone in them",
      { reviewers: [{ teams: [], users: [] }] },
      "has no required reviewers",
    ],
    ["self-review allowed", { preventSelfReview: false }, "approve their own"],
    ["self-review left to GitHub's default", { preventSelfReview: undefined }, "approve their own"],
  ])("refuses a GitHub production environment with %s", async (_, change, text) => {
    const [v] = await check(
      productionEnvironmentReviewers,
      githubEnvironment({ ...PRODUCTION_ENV, ...change }),
    );
    expect(v!.message).toContain(text);
  });
});

/** The project in the prod stack, with GitHub protection rules under it. */
function governed(yaml: string, rules: (parent: CapturedResource) => CapturedResource[]) {
  const [project, ...rest] = projectResources(yaml, ["production"]);
  return [project!, ...rest, ...rules(project!)];
}
const ruleset =
  (overrides: Record<string, unknown> = {}) =>
  (parent: CapturedResource) => [
    resource(
      "github:index/repositoryRuleset:RepositoryRuleset",
      "shop-github-production-branch",
      {
        repository: "shop",
        target: "branch",
        enforcement: "active",
        conditions: { refName: { includes: ["refs/heads/main"], excludes: [] } },
        rules: {
          requiredStatusChecks: {
            requiredChecks: [{ context: "odooops/build" }, { context: "odooops/module-tests" }],
          },
        },
        ...overrides,
      },
      { parent },
    ),
  ];

describe("environment-reviewers-within-github-limit", () => {
  const withTeams = (n: number) =>
    mutate(
      SAFE_PROJECT,
      "{ users: [rm-ben] }",
      `{ users: [rm-ben], teams: [${Array.from({ length: n }, (_, i) => `rm-${i}`).join(", ")}] }`,
    );

  it("passes up to six reviewers: the persona team and five named teams", async () => {
    expect(await check(environmentReviewersWithinLimit, projectResources(SAFE_PROJECT))).toEqual([]);
    expect(await check(environmentReviewersWithinLimit, projectResources(withTeams(5)))).toEqual([]);
  });

  it("refuses a seventh reviewer, naming the teams to fold", async () => {
    const [v, ...rest] = await check(environmentReviewersWithinLimit, projectResources(withTeams(6)));
    expect(rest).toEqual([]);
    expect(v!.where).toMatch(/ personas\.release_manager\.teams$/);
    expect(v!.message).toMatch(/production GitHub environment would need 7 required reviewers.*at most 6/);
  });
});

describe("production-branch-required-checks", () => {
  it("passes a ruleset requiring the G1 checks on the production branch", async () => {
    expect(await check(productionBranchRequiredChecks, governed(SAFE_PROJECT, ruleset()))).toEqual([]);
  });

  it("passes a classic branch protection doing the same", async () => {
    const protection = (parent: CapturedResource) => [
      resource(
        "github:index/branchProtection:BranchProtection",
        "bp",
        {
          pattern: "main",
          repositoryId: "shop",
          requiredStatusChecks: [{ strict: true, contexts: ["odooops/build", "odooops/module-tests"] }],
        },
        { parent },
      ),
    ];
    expect(await check(productionBranchRequiredChecks, governed(SAFE_PROJECT, protection))).toEqual([]);
  });

  it("leaves GitHub rules to the stack that manages GitHub", async () => {
    expect(
      await check(
        productionBranchRequiredChecks,
        governed(SAFE_PROJECT, () => []),
      ),
    ).toEqual([]);
  });

  it("refuses a project that requires no checks, at its line", async () => {
    const yaml = mutate(
      SAFE_PROJECT,
      "requiredChecks: [odooops/build, odooops/module-tests]",
      "requiredChecks: []",
    );
    const [v, ...rest] = await check(
      productionBranchRequiredChecks,
      governed(yaml, () => []),
    );
    expect(rest).toEqual([]);
    expect(v!.where).toBe(`${PROJECT_FILE}:${lineOf(yaml, "requiredChecks")}:19 governance.requiredChecks`);
  });

  it("refuses requiredChecks that leave out the module tests G1 reads", async () => {
    const yaml = mutate(SAFE_PROJECT, "[odooops/build, odooops/module-tests]", "[odooops/build, lint]");
    const [v, ...rest] = await check(
      productionBranchRequiredChecks,
      governed(yaml, () => []),
    );
    expect(rest).toEqual([]);
    expect(v!.message).toContain("does not require odooops/module-tests, which G1 (Build Integrity) reads");
    expect(v!.where).toMatch(/:\d+:\d+ governance\.requiredChecks$/);
    expect(v!.fix).toContain("[odooops/build, lint, odooops/module-tests]");
  });

  it.each([
    ["only evaluated, not enforced", { enforcement: "evaluate" }],
    ["on another branch", { conditions: { refName: { includes: ["refs/heads/develop"], excludes: [] } } }],
    [
      "excluding the production branch",
      { conditions: { refName: { includes: ["~ALL"], excludes: ["refs/heads/main"] } } },
    ],
    [
      "without the build check",
      { rules: { requiredStatusChecks: { requiredChecks: [{ context: "lint" }] } } },
    ],
    ["without status checks", { rules: { deletion: true } }],
  ])("refuses a ruleset %s", async (_, overrides) => {
    const [v, ...rest] = await check(
      productionBranchRequiredChecks,
      governed(SAFE_PROJECT, ruleset(overrides)),
    );
    expect(rest).toEqual([]);
    expect(v!.message).toBe(
      "the production branch main of acme/shop does not require odooops/build, odooops/module-tests",
    );
  });
});

describe("personas-separated", () => {
  const personas = (lines: string) => mutate(SAFE_PROJECT, "  release_manager: { users: [rm-ben] }", lines);

  it("passes different people, and the same person in unrelated personas", async () => {
    const yaml = personas(
      "  release_manager: { users: [rm-ben], teams: [release-crew] }\n  qa_tester: { users: [qa-ana], teams: [qa-crew] }\n  sre: { users: [rm-ben] }",
    );
    expect(await check(personasSeparated, projectResources(yaml))).toEqual([]);
  });

  it.each([
    [
      "the same user",
      "  release_manager: { users: [rm-ben, qa-ana] }\n  qa_tester: { users: [qa-ana] }",
      "personas.release_manager.users",
      "qa-ana is both qa_tester and release_manager",
    ],
    [
      "the same user, differently placed",
      "  qa_tester: { users: [rm-ben] }\n  release_manager: { users: [rm-ben] }",
      "personas.release_manager.users",
      "rm-ben is both",
    ],
    [
      "the qa_tester persona team named as release managers",
      "  release_manager: { users: [rm-ben], teams: [shop-qa-tester] }\n  qa_tester: { users: [qa-ana] }",
      "personas.release_manager.teams",
      "qa-ana is both",
    ],
    [
      "an organisation team under both",
      "  release_manager: { users: [rm-ben], teams: [erp-leads] }\n  qa_tester: { teams: [erp-leads] }",
      "personas.release_manager.teams",
      "team erp-leads is named under both",
    ],
  ])("refuses %s", async (_, lines, field, says) => {
    const yaml = personas(lines);
    const [v, ...rest] = await check(personasSeparated, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v!.message).toContain(says);
    expect(v!.message).toContain("(G2)");
    expect(v!.where).toMatch(new RegExp(`^${PROJECT_FILE}:\\d+:\\d+ ${field.replaceAll(".", "\\.")}$`));
  });

  it("is the production stack's concern", async () => {
    const yaml = personas("  release_manager: { users: [qa-ana] }\n  qa_tester: { users: [qa-ana] }");
    expect(await check(personasSeparated, projectResources(yaml, ["staging", "development"]))).toEqual([]);
  });
});
