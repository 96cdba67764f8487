import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BuildInput } from "../../../controlplane/types.ts";
import { matchesPattern } from "../../../model/glob.ts";
import type { Stage } from "../../../model/stages.ts";
import { BRANCHES, image, PEOPLE, refusal, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";

/**
 * Attack 2: a development build key recorded a build of `main` as development, which flipped the
 * production environment's stage — after which developers got shell and restore rights on production.
 * The stage of a branch now comes only from the project's registered branch rules.
 */
const project = "acme-erp";
let n = 0;
function build(branch: string, stage: Stage): BuildInput {
  n++;
  return { project, branch, stage, build: `b-flip-${n}`, image: image(`flip-${n}`), commit: "abcdef1" };
}

describe("attack: a build changes the stage of an environment", () => {
  let h: AdapterHarness;
  let devKey: string;
  const stageOf = async (branch: string) =>
    (
      await h.db.sql<{ stage: string; status: string }>(
        "select stage, status from ops.environments where branch = $1",
        [branch],
      )
    ).rows[0];

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), project);
    devKey = (await h.as(PEOPLE.rm).createBuildKey({ project, stages: ["development"] })).key;
  });
  afterAll(() => h.close());

  it("refuses a development key's build of main: the branch rules make main production", async () => {
    const refused = await refusal(
      h.as("anon").recordBuildWithKey({ key: devKey, ...build(BRANCHES.production, "development") }),
      "forbidden",
    );
    expect(refused.message).toBe(
      "branch main of acme-erp is production, not development: a build never chooses or changes a stage",
    );
    expect(await stageOf(BRANCHES.production)).toEqual({ stage: "production", status: "live" });
    const shell = await h
      .as(PEOPLE.dev)
      .requestAccess({ project, branch: BRANCHES.production, action: "shell.open" });
    expect(shell.allowed).toBe(false);
  });

  it("opens a new environment in the stage of its rule, whatever the caller says", async () => {
    await refusal(h.as("service").recordBuild(build("release/2027.01", "development")), "forbidden");
    await refusal(
      h.as("anon").recordBuildWithKey({ key: devKey, ...build("release/2027.01", "development") }),
      "forbidden",
    );
    expect(await stageOf("release/2027.01")).toBeUndefined();
    await h.as("anon").recordBuildWithKey({ key: devKey, ...build("feature/new", "development") });
    expect(await stageOf("feature/new")).toEqual({ stage: "development", status: "live" });
    const unmatched = await refusal(
      h.as("service").recordBuild(build("hotfix/x", "development")),
      "invalid_input",
    );
    expect(unmatched.message).toBe("no branch rule of acme-erp matches branch hotfix/x");
  });

  it("keeps an existing environment's stage when the rules change, and its builds follow it", async () => {
    await h.as("service").registerProject({
      project,
      repo: `insightpulseai/${project}`,
      branches: [{ match: "**", stage: "development" }],
    });
    await refusal(h.as("service").recordBuild(build(BRANCHES.staging, "development")), "forbidden");
    expect(await stageOf(BRANCHES.staging)).toEqual({ stage: "staging", status: "live" });
    await h.as("service").recordBuild(build(BRANCHES.staging, "staging"));
    await h.as("service").registerProject({
      project,
      repo: `insightpulseai/${project}`,
      branches: [
        { match: "main", stage: "production" },
        { match: "release/*", stage: "staging" },
        { match: "feature/*", stage: "development" },
      ],
    });
  });

  it("does not let a build key reopen a closed environment; automation with the deploy right does", async () => {
    await h.as(PEOPLE.dev).closeEnvironment({ project, branch: BRANCHES.development });
    const refused = await refusal(
      h.as("anon").recordBuildWithKey({ key: devKey, ...build(BRANCHES.development, "development") }),
      "forbidden",
    );
    expect(refused.message).toContain("is closed; a build key records builds, it does not reopen one");
    expect(await stageOf(BRANCHES.development)).toEqual({ stage: "development", status: "closed" });
    await h.as("service").recordBuild(build(BRANCHES.development, "development"));
    expect(await stageOf(BRANCHES.development)).toEqual({ stage: "development", status: "live" });
  });

  it("matches branches in SQL exactly as model/glob.ts does", async () => {
    const patterns = [
      "main",
      "release/*",
      "feature/**",
      "hot?ix/*",
      "a.b+c",
      "x[1]",
      "*",
      "**",
      "v(1)|2",
      "a\\b",
    ];
    const branches = [
      "main",
      "release/1",
      "release/1/2",
      "feature/a/b",
      "hotfix/x",
      "hot/ix/x",
      "a.b+c",
      "aXb+c",
      "x[1]",
      "x1",
      "v(1)|2",
      "a\\b",
      "feature/",
      "maine",
    ];
    const { rows } = await h.db.sql<{ pattern: string; branch: string; matched: boolean }>(
      `select p as pattern, b as branch, b ~ ops.branch_pattern_regex(p) as matched
         from unnest($1::text[]) p, unnest($2::text[]) b`,
      [patterns, branches],
    );
    expect(rows).toHaveLength(patterns.length * branches.length);
    for (const r of rows)
      expect(r.matched, `${r.pattern} ~ ${r.branch}`).toBe(matchesPattern(r.pattern, r.branch));
  });
});
