import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeAutomation } from "../../../model/governance/release-rules.ts";
import { BRANCHES, PEOPLE, seedProject } from "../support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "../support/harness.ts";
import { attackerSession, type Caller, errorOf, rowsOf } from "./attacker.ts";

/**
 * Attack 7: the service role was taken from a JWT claim, and automation skipped stage rules. PostgREST
 * only sets the database role service_role for a token signed with the service-role key; a member can put
 * `"role": "service_role"` in claims of their own making (or a forged request path), but not the role.
 */
const project = "acme-erp";

describe("attack: service role from a claim, automation outside stage rules", () => {
  let h: AdapterHarness;

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), project);
  });
  afterAll(() => h.close());

  const impostors: [string, Caller][] = [
    ["a developer", { role: "authenticated", sub: PEOPLE.dev.userId, claims: { role: "service_role" } }],
    [
      "a signed-in stranger",
      {
        role: "authenticated",
        sub: "00000000-0000-4000-8000-00000000beef",
        claims: { role: "service_role" },
      },
    ],
  ];
  for (const [who, caller] of impostors)
    it(`does not treat ${who} claiming role service_role as automation`, async () => {
      const session = await attackerSession(h.db, caller);
      try {
        const calls = [
          "select ops.register_project('evil-erp', 'evil/evil-erp')",
          `select ops.set_member('${project}', '${caller.role === "authenticated" ? caller.sub : ""}', 'evil', 'release_manager')`,
          `select ops.record_build('${project}', 'main', 'production', 'b-evil', 'ghcr.io/x/y@sha256:${"b".repeat(64)}', 'abcdef1')`,
          `select ops.close_environment('${project}', '${BRANCHES.staging}')`, // not a developer's to close
        ];
        for (const sql of calls) expect(errorOf(await session.run(sql)).code, sql).toBe("42501");
        const can = await session.run(`select ops.can('${project}', 'backup.run', 'production') as c`);
        if ("error" in can) expect(can.error.message).toBe(`you are not a member of project ${project}`);
        else expect((rowsOf(can)[0]!.c as { role: string | null }).role).toBe(PEOPLE.dev.role);
      } finally {
        await session.close();
      }
      const written = await h.db.sql("select 1 from ops.projects where name = 'evil-erp'");
      expect(written.rowCount).toBe(0);
      const env = await h.db.sql<{ status: string }>(
        "select status from ops.environments where branch = $1",
        [BRANCHES.staging],
      );
      expect(env.rows[0]?.status).toBe("live");
    });

  it("binds automation to stage rules: the service role cannot close production", async () => {
    const refused = await h
      .as("service")
      .closeEnvironment({ project, branch: BRANCHES.production })
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(refused?.message).toContain(authorizeAutomation("environment.destroy", "production").reason);
    const env = await h.db.sql<{ status: string }>("select status from ops.environments where branch = $1", [
      BRANCHES.production,
    ]);
    expect(env.rows[0]?.status).toBe("live");
    // Where the table lets someone close it, automation may too.
    await h.as("service").closeEnvironment({ project, branch: BRANCHES.development });
  });
});
