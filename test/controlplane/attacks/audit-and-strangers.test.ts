import { describe, expect, it } from "vitest";
import { accessCli } from "../support/access-cli.ts";
import { BRANCHES, PEOPLE, refusal } from "../support/fixtures.ts";
import { attackerSession, type Caller, errorOf, member } from "./attacker.ts";

/**
 * Attacks 3 and 4. A developer, who may not read production backups, read their locations in the audit
 * trail (and `odooops audit --json` printed them). A signed-in stranger wrote ~950 KB into another
 * project's audit trail, and learned from the answers whether a project or branch exists.
 */
const project = "acme-erp";
const LOCATION = "s3://acme-erp-backups/production/secret-location.zip";
const BACKUP = "acme_erp/20261123T020000Z-scheduled";
const stranger: Caller = { role: "authenticated", sub: "00000000-0000-4000-8000-00000000beef" };

describe("attack: reading protected records through the audit trail; strangers writing into it", () => {
  const cli = accessCli();

  it("shows audit events of backups, drills and restore requests only to whoever may read those", async () => {
    const service = cli.h.as("service");
    const backup = await service.recordBackup({
      project,
      branch: BRANCHES.production,
      kind: "scheduled",
      status: "succeeded",
      location: LOCATION,
      startedAt: "2026-11-23T02:00:00Z",
      finishedAt: "2026-11-23T02:03:00Z",
    });
    await service.recordRestoreDrill({
      backupId: backup.id,
      result: "passed",
      criteria: { restored: true },
      logUri: "s3://acme-erp-backups/drills/secret-drill.log",
      drilledAt: "2026-11-23T05:00:00Z",
    });
    await cli.h.as(PEOPLE.sre).requestRestore({
      project,
      branch: BRANCHES.production,
      backup: BACKUP,
      reason: "a confidential incident",
    });
    await cli.h.as(PEOPLE.sre).requestRestoreAccess({ project, branch: BRANCHES.production, backup: BACKUP });

    const secrets = ["secret-location", "secret-drill", "a confidential incident", BACKUP];
    for (const who of ["dev-dan", "qa-ana"]) {
      const trail = await cli.odooops("audit", project, "--json", "--limit", "10000", "--as", who);
      expect(trail.code, trail.err).toBe(0);
      for (const secret of secrets) expect(trail.out, `${who} reads ${secret}`).not.toContain(secret);
      expect(trail.out).toContain("member.added"); // the rest of the trail is theirs to read
    }
    for (const who of ["audit-dana", "sre-sam"]) {
      const trail = await cli.odooops("audit", project, "--json", "--limit", "10000", "--as", who);
      for (const secret of secrets) expect(trail.out, `${who} reads ${secret}`).toContain(secret);
    }
  });

  it("refuses a stranger before writing anything, alike whether the project or branch exists", async () => {
    const count = async () =>
      (await cli.h.db.sql<{ n: number }>("select count(*)::int as n from ops.audit_events")).rows[0]!.n;
    const before = await count();
    const session = await attackerSession(cli.h.db, stranger);
    try {
      const answers: string[] = [];
      for (const [p, branch] of [
        [project, BRANCHES.production],
        [project, "no/such-branch"],
        ["no-such-erp", BRANCHES.production],
      ] as const) {
        for (const sql of [
          `select ops.request_restore_access($1, $2, repeat('x', 950000), null)`,
          `select ops.request_restore_access($1, $2, '${BACKUP}', null)`,
          `select ops.request_access($1, $2, 'logs.read')`,
          `select ops.request_restore($1, $2, '${BACKUP}', repeat('x', 950000))`,
          `select ops.can($1, 'deploy', 'production'), $2::text`,
        ]) {
          const error = errorOf(await session.run(sql, [p, branch]));
          answers.push(`${error.code} ${error.message.replace(p, "<project>")}`);
        }
      }
      // One answer to everything, before any lookup of the branch and before any write.
      expect(new Set(answers)).toEqual(new Set(["42501 you are not a member of project <project>"]));
      expect(answers).toHaveLength(15);
    } finally {
      await session.close();
    }
    expect(await count()).toBe(before);
  });

  it("bounds the free text members send: reasons, rationales, comments, labels", async () => {
    const before = (await cli.h.db.sql("select id from ops.audit_events")).rowCount;
    const huge = "x".repeat(950_000);
    const sre = cli.h.as(PEOPLE.sre);
    await refusal(
      sre.requestRestore({ project, branch: BRANCHES.production, backup: BACKUP, reason: huge }),
      "invalid_input",
    );
    await refusal(
      sre.requestRestoreAccess({ project, branch: BRANCHES.production, backup: huge }),
      "invalid_input",
    );
    await refusal(
      cli.h.as(PEOPLE.rm).createBuildKey({ project, stages: ["staging"], label: huge }),
      "invalid_input",
    );
    const session = await attackerSession(cli.h.db, member(PEOPLE.dev));
    try {
      const refused = errorOf(
        await session.run(
          "select ops.record_backup($1, $2, 'manual', 'succeeded', 's3://x/y', now(), now(), null, null, jsonb_build_object('x', repeat('x', 950000)))",
          [project, BRANCHES.development],
        ),
      );
      expect(refused.message).toBe("backup details is at most 16384 bytes of JSON");
    } finally {
      await session.close();
    }
    expect((await cli.h.db.sql("select id from ops.audit_events")).rowCount).toBe(before);
  });
});
