import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { image, seedProject } from "../../../controlplane/support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../../../controlplane/support/harness.ts";
import { runCli } from "../../../support/cli.ts";

const record = (branch: string, stage: string, build: string, ...more: string[]) => [
  "build",
  "record",
  "acme-erp",
  branch,
  "--stage",
  stage,
  "--build",
  build,
  "--image",
  image(build),
  "--commit",
  "9f8e7d6c",
  "--check",
  "odooops/build=success",
  "--check",
  "odooops/module-tests=success",
  "--log-uri",
  `https://ci.example/${build}`,
  ...more,
];

/** `odooops build record`: as the service role, or as an app repository's CI with its build key. */
describe("odooops build record", () => {
  let h: AdapterHarness;
  const saved = { ...process.env };

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), "acme-erp");
    for (const key of [
      "SUPABASE_URL",
      "SUPABASE_KEY",
      "SUPABASE_SERVICE_ROLE_KEY",
      "ODOOOPS_ACTOR",
      "ODOOOPS_BUILD_KEY",
    ])
      delete process.env[key];
    process.env.ODOOOPS_CONTROL_PLANE_URL = h.db.url;
  });
  afterAll(async () => {
    process.env = saved;
    await h.close();
  });

  it("records as the service role, with the checks and the log as G1 evidence", async () => {
    const done = await runCli(...record("release/2027.01", "staging", "b-3001", "--author", "dev-dan"));
    expect(done).toMatchObject({ code: 0, stderr: "" });
    expect(done.stdout).toContain(
      `recorded build b-3001 of acme-erp release/2027.01 (staging): ${image("b-3001")}`,
    );
    expect(done.stdout).toMatch(/G1 evidence: build_log, checks_status/);
  });

  it("with ODOOOPS_BUILD_KEY records only its project's stage, and never as a member", async () => {
    const key = (
      await runCli("build-key", "create", "acme-erp", "--stage", "staging", "--as", "rm-ben")
    ).stdout.trim();
    process.env.ODOOOPS_BUILD_KEY = key;
    try {
      expect((await runCli(...record("release/2027.02", "staging", "b-3002"))).code).toBe(0);
      const production = await runCli(...record("main", "production", "b-3003"));
      expect(production.code).toBe(1);
      expect(production.stderr).toMatch(
        /^odooops: not allowed: .*records staging builds only, not production\n/,
      );
      const asMember = await runCli(...record("release/2027.02", "staging", "b-3004", "--as", "rm-ben"));
      expect(asMember).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("a build key acts as itself"),
      });
    } finally {
      delete process.env.ODOOOPS_BUILD_KEY;
    }
  });

  it("names the option a mistake is in, in one line, and records nothing", async () => {
    for (const [argv, field] of [
      [["--stage", "prod"], "--stage"],
      [["--check", "odooops/build=green"], "--check"],
      [["--log-uri", "http://ci.example/1"], "--log-uri"],
      [["--build", "B_3005"], "--build"],
    ] as const) {
      const bad = await runCli(...record("release/2027.03", "staging", "b-3005"), ...argv);
      expect(bad.code, field).toBe(2);
      expect(bad.stderr, field).toMatch(new RegExp(`^odooops: ${field}: .+\\n$`));
    }
    const builds = await h.db.sql("select 1 from ops.builds where name = 'b-3005'");
    expect(builds.rows).toEqual([]);
  });
});
