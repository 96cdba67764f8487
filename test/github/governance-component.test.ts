import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CapturedResource, captureProgram } from "../../cli/plan/capture.ts";
import { mockId } from "../../cli/plan/mock-outputs.ts";
import { toPlannedResources } from "../../cli/plan/report.ts";
import { RepositoryGovernance } from "../../components/github-governance.ts";
import { Platform } from "../../components/platform.ts";
import { planPlatform } from "../../model/environment-plan.ts";
import { planRepositoryGovernance, ROLE_PERMISSION } from "../../model/github-governance.ts";
import { loadProjects } from "../../model/loader.ts";
import type { StackSettings } from "../../model/stack-settings.ts";

const FILES = [
  "examples/projects/acme-erp.yaml",
  "examples/projects/hello.yaml",
  "test/github/fixtures/several-releases.yaml",
];
const settings = (stages: StackSettings["stages"]): StackSettings => ({
  stages,
  platformDomain: "odooops.example",
  region: "sgp1",
});
const T = {
  environment: "github:index/repositoryEnvironment:RepositoryEnvironment",
  policy: "github:index/repositoryEnvironmentDeploymentPolicy:RepositoryEnvironmentDeploymentPolicy",
  ruleset: "github:index/repositoryRuleset:RepositoryRuleset",
  team: "github:index/team:Team",
  teamRepository: "github:index/teamRepository:TeamRepository",
  membership: "github:index/teamMembership:TeamMembership",
  secret: "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret",
  component: "odooops:github:RepositoryGovernance",
};

async function capture(stack: string, stages: StackSettings["stages"]): Promise<CapturedResource[]> {
  const { projects, problems } = loadProjects(FILES);
  expect(problems).toEqual([]);
  const plan = planPlatform(projects, { projects: {} }, settings(stages));
  return captureProgram("odooops", stack, () => new Platform("odooops", plan));
}

/** The resources of one project's governance component, by type. */
function governance(resources: CapturedResource[], project: string) {
  const component = resources.find((r) => r.type === T.component && r.name === `${project}-github`)!;
  expect(component).toBeDefined();
  const children = resources.filter((r) => r.parent === component.urn);
  const ofType = (type: string) => children.filter((r) => r.type === type);
  const environment = (name: string) => ofType(T.environment).find((r) => r.inputs.environment === name)!;
  const patterns = (name: string) =>
    ofType(T.policy)
      .filter((r) => r.inputs.environment === name)
      .map((r) => r.inputs.branchPattern);
  const teamId = (role: string) => Number(mockId(T.team, `${project}-github-team-${role}`));
  return { component, children, ofType, environment, patterns, teamId };
}

/** A well-formed build key per project and stage, told apart by a letter: `odooops_bk_` + 43 characters. */
const buildKey = (letter: string, stage: string) =>
  `odooops_bk_${letter}${stage.slice(0, 3)}${"x".repeat(39)}`;
const BUILD_KEYS = {
  "acme-erp": {
    development: buildKey("a", "development"),
    staging: buildKey("a", "staging"),
    production: buildKey("a", "production"),
  },
  hello: { staging: buildKey("h", "staging") },
};
const APP_CONFIG = {
  "odooops-app:controlPlaneUrl": "https://control-plane.example",
  "odooops-app:controlPlaneAnonKey": "test-anon-key-not-a-secret",
  "odooops-app:buildKeys": JSON.stringify(BUILD_KEYS),
};
const SECRET_KEYS = ["odooops-app:controlPlaneAnonKey", "odooops-app:buildKeys"];

describe("GitHub governance on the mock runtime", () => {
  let prod: CapturedResource[];
  let staging: CapturedResource[];
  beforeAll(async () => {
    pulumi.runtime.setAllConfig(APP_CONFIG, SECRET_KEYS);
    prod = await capture("prod", ["production"]);
    staging = await capture("staging", ["staging", "development"]);
  });

  it("is created by the prod stack only, so the stacks never both own a GitHub resource", () => {
    expect(staging.filter((r) => r.type.startsWith("github:") || r.type === T.component)).toEqual([]);
    expect(prod.filter((r) => r.type === T.component).map((r) => r.name)).toEqual(
      expect.arrayContaining(["acme-erp-github", "hello-github", "several-releases-github"]),
    );
  });

  it("creates development, staging and production environments with the branch rules as policies", () => {
    const acme = governance(prod, "acme-erp");
    expect(
      acme
        .ofType(T.environment)
        .map((r) => r.inputs.environment)
        .sort(),
    ).toEqual(["development", "production", "staging"]);
    for (const env of acme.ofType(T.environment))
      expect(env.inputs.deploymentBranchPolicy).toEqual({
        customBranchPolicies: true,
        protectedBranches: false,
      });
    expect(acme.patterns("production")).toEqual(["main"]);
    expect(acme.patterns("staging").sort()).toEqual(["hotfix/*", "release/*"]);
    expect(acme.patterns("development").sort()).toEqual(["feature/*", "feature/*/**/*"]);
    const several = governance(prod, "several-releases");
    expect(several.patterns("production")).toEqual(["18.0"]);
    expect(several.patterns("staging").sort()).toEqual([
      "18.0-rc?",
      "hotfix/*",
      "release/*",
      "release/*/**/*",
    ]);
  });

  it("requires release managers for production and QA for staging, self-review prevented", () => {
    const acme = governance(prod, "acme-erp");
    expect(acme.environment("production").inputs).toMatchObject({
      reviewers: [{ teams: [acme.teamId("release-manager")], users: [] }],
      preventSelfReview: true,
      waitTimer: 15,
      canAdminsBypass: false,
    });
    expect(acme.environment("staging").inputs).toMatchObject({
      reviewers: [{ teams: [acme.teamId("qa-tester")], users: [] }],
      preventSelfReview: true,
    });
    expect(acme.environment("development").inputs.reviewers).toEqual([]);

    // Org teams named in the YAML are looked up and referenced by their numeric id.
    const several = governance(prod, "several-releases");
    const production = several.environment("production").inputs as { reviewers: { teams: number[] }[] };
    expect(production.reviewers[0]!.teams).toHaveLength(1);
    expect(Number.isInteger(production.reviewers[0]!.teams[0])).toBe(true);
    expect(several.environment("production").inputs).toMatchObject({
      waitTimer: 30,
      preventSelfReview: true,
    });
    expect(several.environment("staging").inputs).toMatchObject({
      reviewers: [{ teams: [several.teamId("qa-tester"), expect.any(Number)] }],
      preventSelfReview: false,
    });
  });

  it("protects the production branch: PR, G1 checks, no force push, no deletion", () => {
    for (const [project, branch, checks] of [
      ["acme-erp", "main", ["odooops/build", "odooops/module-tests", "odooops/oca-lint"]],
      [
        "several-releases",
        "18.0",
        ["odooops/build", "odooops/module-tests", "ci/oca-lint", "ci/upgrade-check"],
      ],
    ] as const) {
      const rulesets = governance(prod, project).ofType(T.ruleset);
      expect(rulesets).toHaveLength(1);
      const inputs = rulesets[0]!.inputs as {
        conditions: { refName: { includes: string[] } };
        enforcement: string;
        bypassActors?: unknown[];
        rules: {
          pullRequest: { requiredApprovingReviewCount: number };
          requiredStatusChecks: { requiredChecks: { context: string }[] };
        };
      };
      expect(inputs.conditions.refName.includes).toEqual([`refs/heads/${branch}`]);
      expect(inputs.enforcement).toBe("active");
      expect(inputs.bypassActors ?? []).toEqual([]);
      expect(inputs.rules).toMatchObject({ deletion: true, nonFastForward: true });
      expect(inputs.rules.pullRequest.requiredApprovingReviewCount).toBeGreaterThanOrEqual(1);
      expect(
        inputs.rules.requiredStatusChecks.requiredChecks.map((c: { context: string }) => c.context),
      ).toEqual(checks);
    }
  });

  it("creates one team per persona with its least permission and the YAML's members", () => {
    const acme = governance(prod, "acme-erp");
    const teams = acme.ofType(T.team);
    expect(teams.map((t) => t.inputs.name).sort()).toEqual([
      "acme-erp-auditor",
      "acme-erp-developer",
      "acme-erp-qa-tester",
      "acme-erp-release-manager",
      "acme-erp-sre",
    ]);
    const access = acme.ofType(T.teamRepository);
    for (const [role, permission] of Object.entries(ROLE_PERMISSION)) {
      const name = `acme-erp-github-team-${role.replaceAll("_", "-")}-access`;
      expect(access.find((a) => a.name === name)?.inputs).toMatchObject({
        repository: "acme-erp",
        permission,
      });
    }
    expect(access.find((a) => a.inputs.teamId === "acme-devs")?.inputs.permission).toBe("push");
    expect(access.find((a) => a.inputs.teamId === "platform-sre")?.inputs.permission).toBe("triage");
    const members = acme
      .ofType(T.membership)
      .map((m) => m.inputs.username)
      .sort();
    expect(members).toEqual(["audit-dana", "qa-ana", "rm-ben", "rm-chloe"]);
  });

  it("writes deploy credentials as environment secrets that never reach the plan output", () => {
    const acme = governance(prod, "acme-erp");
    const secrets = acme.ofType(T.secret);
    const where = (env: string) =>
      secrets
        .filter((s) => s.inputs.environment === env)
        .map((s) => s.inputs.secretName)
        .sort();
    expect(where("production")).toEqual([
      "ODOOOPS_BUILD_KEY",
      "ODOOOPS_CONTROL_PLANE_ANON_KEY",
      "ODOOOPS_CONTROL_PLANE_URL",
    ]);
    expect(where("staging")).toEqual([
      "ODOOOPS_BUILD_KEY",
      "ODOOOPS_CONTROL_PLANE_ANON_KEY",
      "ODOOOPS_CONTROL_PLANE_URL",
    ]);
    for (const secret of secrets) expect(secret.secretPaths).toContain("plaintextValue");
    const printed = JSON.stringify(toPlannedResources("prod", prod));
    expect(printed).not.toContain("test-anon-key-not-a-secret");
    expect(printed).not.toContain("odooops_bk_");
  });

  it("gives each environment the build key of its project and stage, and never the service-role key", () => {
    const value = (project: string, env: string) =>
      governance(prod, project)
        .ofType(T.secret)
        .find((s) => s.inputs.environment === env && s.inputs.secretName === "ODOOOPS_BUILD_KEY")?.inputs
        .plaintextValue;
    for (const stage of ["development", "staging", "production"] as const)
      expect(value("acme-erp", stage), stage).toBe(BUILD_KEYS["acme-erp"][stage]);
    expect(value("hello", "staging")).toBe(BUILD_KEYS.hello.staging);
    // No key configured for hello's development or production: no secret (a warning on a real update).
    expect(value("hello", "development")).toBeUndefined();
    expect(value("hello", "production")).toBeUndefined();
    expect(value("several-releases", "staging")).toBeUndefined();
    const names = prod.filter((r) => r.type === T.secret).map((r) => String(r.inputs.secretName));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).not.toMatch(/SERVICE_ROLE|^ODOOOPS_CONTROL_PLANE_KEY$/);
  });

  it("parents every GitHub resource to the component and hands it the project's provider", () => {
    const acme = governance(prod, "acme-erp");
    const provider = acme.children.find((r) => r.type === "pulumi:providers:github")!;
    expect(provider.inputs.owner).toBe("insightpulseai");
    for (const child of acme.children.filter((r) => r.type.startsWith("github:")))
      expect(child.options.provider).toContain(provider.urn);
    const githubResources = prod.filter((r) => r.type.startsWith("github:"));
    const components = new Set(prod.filter((r) => r.type === T.component).map((r) => r.urn));
    for (const r of githubResources) expect(components.has(r.parent!)).toBe(true);
  });
});

describe("build keys in the stack config", () => {
  afterEach(() => pulumi.runtime.setAllConfig(APP_CONFIG, SECRET_KEYS));

  /** Only the governance component of acme-erp, so a refusal leaves no other registration pending. */
  function governanceOnly(buildKeys: string) {
    pulumi.runtime.setAllConfig({ ...APP_CONFIG, "odooops-app:buildKeys": buildKeys }, SECRET_KEYS);
    const { projects } = loadProjects(["examples/projects/acme-erp.yaml"]);
    const plan = planRepositoryGovernance(projects[0]!.project, "examples/projects/acme-erp.yaml");
    return captureProgram("odooops", "prod", () => new RepositoryGovernance("acme-erp-github", { plan }));
  }

  it.each([
    ["a malformed key", JSON.stringify({ "acme-erp": { staging: "not-a-build-key-but-a-credential" } })],
    ["an unknown stage", JSON.stringify({ "acme-erp": { preview: buildKey("a", "preview") } })],
    ["a bare key instead of the object", "not-a-build-key-but-a-credential"],
  ])("stops the program on %s, naming the place and never the value", async (_, value) => {
    const error = await governanceOnly(value).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/odooops-app:buildKeys/);
    expect(error?.message).not.toContain("but-a-credential");
    expect(error?.message).not.toContain("odooops_bk_a");
  });

  it("accepts keys with the whitespace a paste leaves, and trims it", async () => {
    const key = buildKey("a", "staging");
    const captured = await governanceOnly(JSON.stringify({ "acme-erp": { staging: `${key}\n` } }));
    const secret = captured.find(
      (r) =>
        r.type === T.secret &&
        r.inputs.environment === "staging" &&
        r.inputs.secretName === "ODOOOPS_BUILD_KEY",
    );
    expect(secret?.inputs.plaintextValue).toBe(key);
  });
});
