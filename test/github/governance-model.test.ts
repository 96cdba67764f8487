import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  APP_REPO_SECRETS,
  type GithubGovernancePlan,
  ownsRepositoryGovernance,
  planRepositoryGovernance,
  ROLE_PERMISSION,
} from "../../model/github-governance.ts";
import { githubBranchPatterns } from "../../model/github-patterns.ts";
import { matchesPattern } from "../../model/glob.ts";
import { loadProjects } from "../../model/loader.ts";
import type { Stage } from "../../model/stages.ts";

const FIXTURE = "test/github/fixtures/several-releases.yaml";

function plan(file: string): GithubGovernancePlan {
  const { projects, problems } = loadProjects([file]);
  expect(problems).toEqual([]);
  return planRepositoryGovernance(projects[0]!.project, file);
}

const env = (p: GithubGovernancePlan, stage: Stage) => p.environments.find((e) => e.environment === stage)!;

/**
 * An independent oracle for GitHub's deployment-branch matching: Ruby's File.fnmatch with
 * FNM_PATHNAME, where `*` and `?` stop at `/` and only a whole `**​/` segment crosses directories.
 */
function rubyFnmatch(pattern: string): RegExp {
  let source = "";
  let segmentStart = true;
  for (let i = 0; i < pattern.length; ) {
    if (segmentStart && pattern.startsWith("**/", i)) {
      source += "(?:[^/]+/)*";
      i += 3;
      continue;
    }
    const char = pattern[i]!;
    if (char === "*") {
      while (pattern[i] === "*") i++;
      source += "[^/]*";
    } else {
      source += char === "?" ? "[^/]" : char === "/" ? "/" : char.replace(/[.+^${}()|[\]\\-]/g, "\\$&");
      i++;
    }
    segmentStart = char === "/";
  }
  return new RegExp(`^${source}$`);
}

describe("GitHub deployment branch patterns", () => {
  it("keeps literal and single-segment patterns as they are", () => {
    expect(githubBranchPatterns("main")).toEqual(["main"]);
    expect(githubBranchPatterns("release/*")).toEqual(["release/*"]);
    expect(githubBranchPatterns("18.0-rc?")).toEqual(["18.0-rc?"]);
  });

  it("spells a globstar as fnmatch's no-slash and any-slash alternatives", () => {
    expect(githubBranchPatterns("feature/**")).toEqual(["feature/*", "feature/*/**/*"]);
    // Written as-is, GitHub would admit feature/x but not feature/team/x.
    expect(rubyFnmatch("feature/**").test("feature/team/x")).toBe(false);
    expect(githubBranchPatterns("feature/**").some((p) => rubyFnmatch(p).test("feature/team/x"))).toBe(true);
  });

  it("admits on GitHub exactly the branches the rule matches", () => {
    const segment = fc.array(fc.constantFrom("a", "b", "-", "1"), { minLength: 1, maxLength: 3 });
    const branch = fc
      .array(segment, { minLength: 1, maxLength: 4 })
      .map((parts) => parts.map((p) => p.join("")).join("/"));
    const patternSegment = fc.array(fc.constantFrom("a", "b", "-", "*", "**", "?"), {
      minLength: 1,
      maxLength: 3,
    });
    const pattern = fc
      .array(patternSegment, { minLength: 1, maxLength: 3 })
      .map((parts) => parts.map((p) => p.join("")).join("/"));
    fc.assert(
      fc.property(pattern, branch, (rule, name) => {
        const onGithub = githubBranchPatterns(rule).some((p) => rubyFnmatch(p).test(name));
        expect(onGithub).toBe(matchesPattern(rule, name));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("GitHub governance plan", () => {
  it("routes each stage's branch rules to its environment (acme-erp)", () => {
    const acme = plan("examples/projects/acme-erp.yaml");
    expect(acme.owner).toBe("insightpulseai");
    expect(acme.repository).toBe("acme-erp");
    expect(env(acme, "production").branchPatterns).toEqual(["main"]);
    expect(env(acme, "staging").branchPatterns).toEqual(["release/*", "hotfix/*"]);
    expect(env(acme, "development").branchPatterns).toEqual(["feature/*", "feature/*/**/*"]);
  });

  it("derives reviewers from the decision rights: release managers for production, QA for staging", () => {
    const acme = plan("examples/projects/acme-erp.yaml");
    expect(env(acme, "production").reviewers).toEqual({
      roles: ["release_manager"],
      personaTeams: ["release_manager"],
      teams: [],
    });
    expect(env(acme, "staging").reviewers).toEqual({
      roles: ["qa_tester"],
      personaTeams: ["qa_tester"],
      teams: [],
    });
    expect(env(acme, "development").reviewers.roles).toEqual([]);
    expect(env(acme, "production")).toMatchObject({
      preventSelfReview: true,
      waitTimerMinutes: 15,
      canAdminsBypass: false,
    });
    expect(env(acme, "development").canAdminsBypass).toBe(true);
  });

  it("handles several release rules and a production branch that is not main", () => {
    const p = plan(FIXTURE);
    expect(env(p, "production").branchPatterns).toEqual(["18.0"]);
    expect(env(p, "staging").branchPatterns).toEqual(["18.0-rc?", "release/*", "release/*/**/*", "hotfix/*"]);
    expect(env(p, "development").branchPatterns).toEqual(["*", "*/**/*"]);
    expect(p.protection).toMatchObject({
      branch: "18.0",
      ref: "refs/heads/18.0",
      requiredChecks: ["odooops/build", "odooops/module-tests", "ci/oca-lint", "ci/upgrade-check"],
      forbidForcePush: true,
      forbidDeletion: true,
      requireLastPushApproval: true,
    });
    expect(p.protection.requiredApprovingReviews).toBeGreaterThanOrEqual(1);
    // Release managers are only an org team here: the empty persona team cannot approve, the org team can.
    expect(env(p, "production").reviewers).toEqual({
      roles: ["release_manager"],
      personaTeams: [],
      teams: ["release-leads"],
    });
    expect(env(p, "production").waitTimerMinutes).toBe(30);
    expect(env(p, "staging").reviewers).toEqual({
      roles: ["qa_tester"],
      personaTeams: ["qa_tester"],
      teams: ["qa-guild"],
    });
    expect(env(p, "staging").preventSelfReview).toBe(false);
  });

  it("gives each role its least repository permission, and a shared org team the strongest of its roles", () => {
    const p = plan(FIXTURE);
    for (const team of p.personaTeams) expect(team.permission).toBe(ROLE_PERMISSION[team.role]);
    expect(p.personaTeams.map((t) => t.name)).toEqual([
      "several-releases-developer",
      "several-releases-qa-tester",
      "several-releases-release-manager",
      "several-releases-sre",
      "several-releases-auditor",
    ]);
    expect(p.personaTeams.find((t) => t.role === "qa_tester")!.members).toEqual(["qa-ana", "qa-bo"]);
    expect(Object.values(ROLE_PERMISSION)).not.toContain("admin");
    expect(ROLE_PERMISSION.auditor).toBe("pull");
    const grants = Object.fromEntries(p.teamGrants.map((g) => [g.team, g]));
    expect(grants["erp-devs"]).toMatchObject({ permission: "push", roles: ["developer"] });
    expect(grants["qa-guild"]).toMatchObject({ permission: "triage" });
    // platform-sre is both sre (triage) and auditor (pull): one grant, the stronger role.
    expect(grants["platform-sre"]).toEqual({
      team: "platform-sre",
      roles: ["sre", "auditor"],
      permission: "triage",
    });
  });

  it("puts the build credentials in every environment and nothing that reaches the platform repository", () => {
    const p = plan(FIXTURE);
    const names = APP_REPO_SECRETS.map((s) => s.name);
    expect(env(p, "staging").secrets).toEqual(names);
    expect(env(p, "production").secrets).toEqual(names);
    expect(names).not.toContain("ODOOOPS_DISPATCH_TOKEN"); // new builds are pulled by the platform
  });

  it("belongs to the stack that owns production only", () => {
    expect(ownsRepositoryGovernance([{ stage: "production" }])).toBe(true);
    expect(ownsRepositoryGovernance([{ stage: "staging" }, { stage: "development" }])).toBe(false);
    expect(ownsRepositoryGovernance([])).toBe(false);
  });
});
