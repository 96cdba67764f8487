import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectUri, openEvidenceSink } from "../../agent/evidence-sink.ts";
import { listBackups } from "../../agent/storage/backups.ts";
import { openStore } from "../../agent/storage/open.ts";
import { BRANCHES, PEOPLE } from "../controlplane/support/fixtures.ts";
import {
  type AgentWithControlPlane,
  agentWithControlPlane,
  failingPgDump,
  PROJECT,
} from "./control-plane-support.ts";
import { agent, tempDir } from "./support.ts";

/**
 * The agent's evidence reaches the control plane: backups and drills run through `odooops agent` with a
 * real control plane database (as the service role, as on a host), then read back from ops.backups and
 * ops.restore_drills; refusals and outages never lose the evidence.
 */
let h: AgentWithControlPlane;
beforeAll(async () => {
  h = await agentWithControlPlane("cpev");
});
afterAll(() => h.close());

const backupArgs = (...extra: string[]) => h.backupArgs(...extra);
const drillArgs = (...extra: string[]) => [
  "drill",
  "--db-url-env",
  h.prodEnv,
  "--location",
  h.s3.location(),
  "--json",
  "--quiet",
  ...extra,
];

async function backupRow(id: string) {
  const { rows } = await h.cp.sql(
    `select b.kind, b.status, b.location, b.size_bytes::int as size, b.sha256, b.recorded_login, e.branch, e.stage
       from ops.backups b join ops.environments e on e.id = b.environment_id where b.id = $1`,
    [id],
  );
  return rows[0];
}

async function drillRow(id: string) {
  const { rows } = await h.cp.sql(
    "select backup_id, result, criteria, log_uri, recorded_login from ops.restore_drills where id = $1",
    [id],
  );
  return rows[0];
}

const count = async (table: string) =>
  (await h.cp.sql<{ n: number }>(`select count(*)::int as n from ops.${table}`)).rows[0]!.n;

describe("agent evidence in the control plane", () => {
  it("records a backup and the restore drill of it, as the service role", async () => {
    h.onProductionHost();
    const dir = tempDir("cp-evidence-files");
    try {
      const backupFile = join(dir.path, "backup.json");
      const backup = await agent(...backupArgs("--kind", "scheduled", "--evidence-file", backupFile));
      expect(backup.err).toBe("");
      expect(backup.code).toBe(0);
      const taken = JSON.parse(backup.out);
      expect(taken.controlPlane).toMatchObject({ status: "recorded" });
      expect(await backupRow(taken.controlPlane.id)).toEqual({
        kind: "scheduled",
        status: "succeeded",
        location: `${h.s3.location()}${taken.record.name}.zip`,
        size: taken.record.zip.bytes,
        sha256: taken.record.zip.sha256,
        recorded_login: "service_role",
        branch: BRANCHES.production,
        stage: "production",
      });
      expect(JSON.parse(readFileSync(backupFile, "utf8"))).toEqual(taken.evidence);

      const drillFile = join(dir.path, "drill.json");
      const drill = await agent(...drillArgs("--evidence-file", drillFile));
      expect(drill.err).toBe("");
      expect(drill.code).toBe(0);
      const drilled = JSON.parse(drill.out);
      expect(drilled.evidence).toMatchObject({ result: "passed", backup: taken.record.name });
      const row = await drillRow(drilled.controlPlane.id);
      expect(row).toMatchObject({ backup_id: taken.controlPlane.id, result: "passed" });
      expect(Object.keys(row!.criteria)).toHaveLength(6);
      expect(Object.values(row!.criteria).every((met) => met === true)).toBe(true);
      // The record points at the full evidence, stored next to the backups.
      expect(row!.log_uri).toMatch(
        new RegExp(`^${h.s3.location()}drills/${h.prod.name}/\\d{8}T\\d{6}Z\\.json$`),
      );
      const log = await (await openStore(h.s3.location())).getText(
        row!.log_uri.slice(h.s3.location().length),
      );
      expect(JSON.parse(log!)).toEqual(JSON.parse(readFileSync(drillFile, "utf8")));
    } finally {
      dir.remove();
    }
  });

  it("records a drill that fails as failed, with the criteria as measured", async () => {
    h.onProductionHost();
    const taken = JSON.parse((await agent(...backupArgs("--kind", "manual"))).out);
    const store = await openStore(h.s3.location());
    await store.upload(`${taken.record.name}.zip`, Readable.from([Buffer.from("not a zip")]));
    try {
      const drill = await agent(...drillArgs());
      expect(drill.code).toBe(1);
      const { evidence, controlPlane } = JSON.parse(drill.out);
      expect(evidence.result).toBe("failed");
      expect(await drillRow(controlPlane.id)).toMatchObject({
        backup_id: taken.controlPlane.id,
        result: "failed",
        criteria: { restore: false },
      });
    } finally {
      await store.remove([`${taken.record.name}.zip`, `${taken.record.name}.json`]);
    }
  });

  it("refuses a member without the right, and the evidence survives the refusal", async () => {
    h.onProductionHost();
    const before = { backups: await count("backups"), drills: await count("restore_drills") };
    // A developer may not see production's backups, so cannot attach a drill to one either.
    const drill = await agent(...drillArgs("--as", PEOPLE.dev.login));
    expect(drill.code).toBe(1);
    expect(JSON.parse(drill.out)).toMatchObject({
      evidence: { result: "passed" },
      controlPlane: {
        status: "failed",
        detail: expect.stringMatching(/^not found: no backup at .* you can see/),
      },
    });
    const dir = tempDir("cp-refused");
    try {
      const file = join(dir.path, "backup.json");
      const backup = await agent(...backupArgs("--as", PEOPLE.dev.login, "--evidence-file", file));
      expect(backup.code).toBe(1);
      expect(backup.err).toMatch(
        /the control plane did not record the evidence \(it is in the output and in .*backup\.json\): not allowed: /,
      );
      const out = JSON.parse(backup.out);
      expect(out.controlPlane).toMatchObject({ status: "failed" });
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(out.evidence);
      expect((await listBackups(await openStore(h.s3.location()))).map((b) => b.name)).toContain(
        out.record.name,
      );
    } finally {
      dir.remove();
    }
    expect({ backups: await count("backups"), drills: await count("restore_drills") }).toEqual(before);
  });

  it("records a backup that failed as failed, at the location it was meant for", async () => {
    h.onProductionHost();
    const sink = openEvidenceSink({
      project: PROJECT,
      branch: BRANCHES.production,
      recordsBackups: true,
      actor: undefined,
    });
    try {
      const outcome = await sink.record({
        kind: "backup",
        project: PROJECT,
        database: h.prod.name,
        startedAt: "2026-11-23T02:00:00.000Z",
        finishedAt: "2026-11-23T02:00:05.000Z",
        durationMs: 5000,
        agentVersion: "test",
        backupKind: "scheduled",
        location: "/var/backups/acme/",
        sizeBytes: 0,
        result: "failed",
        error: "pg_dump exited with code 1",
      });
      expect(outcome.status).toBe("recorded");
      expect(await backupRow((outcome as { id: string }).id)).toMatchObject({
        status: "failed",
        location: "file:///var/backups/acme/",
        size: null,
        sha256: null,
      });
    } finally {
      await sink.close();
    }
    expect(objectUri("file:///var/backups/acme", "db/20261123T020000Z-manual.zip")).toBe(
      "file:///var/backups/acme/db/20261123T020000Z-manual.zip",
    );
    expect(objectUri("s3://bucket/daily", "db/x.zip")).toBe("s3://bucket/daily/db/x.zip");
  });

  it("says when no control plane is configured, and refuses a misconfigured one before any work", async () => {
    h.onProductionHost();
    delete process.env.ODOOOPS_CONTROL_PLANE_URL;
    const plain = await agent(...backupArgs().filter((a) => a !== "--json"));
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/^control plane: not configured, evidence not recorded there \(set /m);

    const stored = (await listBackups(await openStore(h.s3.location()))).length;
    process.env.ODOOOPS_CONTROL_PLANE_URL = "mysql://nope";
    const malformed = await agent(...backupArgs());
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(/control plane: ODOOOPS_CONTROL_PLANE_URL must be a postgresql:\/\/ URL/);
    h.onProductionHost();
    delete process.env.ODOOOPS_BRANCH;
    const noBranch = await agent(...backupArgs());
    expect(noBranch.code).toBe(2);
    expect(noBranch.err).toMatch(/pass --branch or set ODOOOPS_BRANCH/);
    expect((await listBackups(await openStore(h.s3.location()))).length).toBe(stored);
  });

  it("records a one-shot backup that failed as failed, with why, and fails the command", async () => {
    h.onProductionHost();
    const before = (await (await openStore(h.s3.location())).list()).map((o) => o.name).sort();
    const bin = failingPgDump();
    const dir = tempDir("cp-failed");
    process.env.ODOOOPS_PG_BIN = bin.path;
    try {
      const file = join(dir.path, "backup.json");
      const run = await agent(...backupArgs("--kind", "manual", "--evidence-file", file));
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /^odooops agent backup: backup of \S+ failed, nothing was stored: pg_dump failed \(exit 1\):\npg_dump: error: simulated outage$/m,
      );
      const out = JSON.parse(run.out);
      expect(out.evidence).toMatchObject({
        kind: "backup",
        project: PROJECT,
        database: h.prod.name,
        backupKind: "manual",
        location: h.s3.location(),
        sizeBytes: 0,
        result: "failed",
        error: expect.stringMatching(/pg_dump failed \(exit 1\)/),
      });
      expect(out.evidence).not.toHaveProperty("name");
      expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(out.evidence);
      expect(out.controlPlane).toMatchObject({ status: "recorded" });
      const id = out.controlPlane.id as string;
      expect(await backupRow(id)).toEqual({
        kind: "manual",
        status: "failed",
        location: h.s3.location(),
        size: null,
        sha256: null,
        recorded_login: "service_role",
        branch: BRANCHES.production,
        stage: "production",
      });
      const { rows } = await h.cp.sql<{ error: string }>(
        "select details ->> 'error' as error from ops.backups where id = $1",
        [id],
      );
      expect(rows[0]!.error).toMatch(/pg_dump failed \(exit 1\):\npg_dump: error: simulated outage/);
      // Audited like every other record, in the same transaction.
      const audit = await h.cp.sql(
        `select action, stage, actor_login, details -> 'row' ->> 'status' as status
           from ops.audit_events where subject_id = $1`,
        [id],
      );
      expect(audit.rows).toEqual([
        { action: "backup.recorded", stage: "production", actor_login: "service_role", status: "failed" },
      ]);

      // A wrong command line is no backup attempt: refused (exit 2), nothing recorded.
      const backups = await count("backups");
      const wrong = await agent(...backupArgs("--filestore-dir", join(dir.path, "missing")));
      expect(wrong.code).toBe(2);
      expect(wrong.out).toBe("");
      expect(await count("backups")).toBe(backups);
    } finally {
      delete process.env.ODOOOPS_PG_BIN;
      bin.remove();
      dir.remove();
    }
    expect((await (await openStore(h.s3.location())).list()).map((o) => o.name).sort()).toEqual(before);
  });
});
