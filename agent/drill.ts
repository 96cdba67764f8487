import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { compactTimestamp } from "../model/data/backup-record.ts";
import type { CheckResult, DrillEvidence } from "../model/data/data-evidence.ts";
import { safeFilestorePath } from "./archive/filestore.ts";
import { errorMessage } from "./errors.ts";
import { type DatabaseUrl, withClient, withDatabase } from "./pg/connection.ts";
import {
  connectServer,
  createDatabase,
  derivedName,
  dropDatabase,
  INCOMPLETE_MARK,
  ident,
} from "./pg/databases.ts";
import type { Reporter } from "./progress.ts";
import { type FetchedBackup, fetchBackup, VERIFICATION_WORDS } from "./restore/fetch.ts";
import { loadBackup } from "./restore/load.ts";
import { newestBackup } from "./storage/backups.ts";
import { openStore } from "./storage/open.ts";
import { AGENT_VERSION } from "./version.ts";

export interface DrillOptions {
  location: string;
  /** Whose backups to drill; the newest finished backup of any database when absent. */
  database?: string;
  /** Any database URL on the server where the scratch database is created. */
  server: DatabaseUrl;
  project?: string;
  reporter: Reporter;
}

async function check(
  name: string,
  run: () => Promise<{ ok: boolean; detail: string }>,
): Promise<CheckResult> {
  try {
    return { name, ...(await run()) };
  } catch (error) {
    return { name, ok: false, detail: errorMessage(error) };
  }
}

const q = (qualified: string) => qualified.split(".").map(ident).join(".");

async function sanityChecks(
  client: pg.Client,
  backup: FetchedBackup,
  filestoreDir: string,
): Promise<CheckResult[]> {
  const { manifest, facts } = backup.zip;
  // Each check reads in a read-only transaction of its own, rolled back: a view or function of the
  // restored database (a backup is whatever its writer put there) runs when read, and may then change
  // nothing, not even a setting for the checks after it.
  const read = async <T extends pg.QueryResultRow>(sql: string) => {
    await client.query("begin transaction read only");
    try {
      return await client.query<T>(sql);
    } finally {
      await client.query("rollback");
    }
  };
  const checks: CheckResult[] = [
    {
      name: "backup intact",
      ok: true,
      detail: `verified by ${VERIFICATION_WORDS[backup.verifiedBy]}`,
    },
  ];
  checks.push(
    await check("row counts", async () => {
      if (!facts)
        return { ok: true, detail: "no odooops.json in this backup: row counts not recorded, not compared" };
      const wrong: string[] = [];
      let rows = 0;
      for (const [table, expected] of Object.entries(facts.tables)) {
        const actual = Number(
          (await read<{ n: string }>(`select count(*) as n from ${q(table)}`)).rows[0]!.n,
        );
        rows += actual;
        if (actual !== expected) wrong.push(`${table}: ${actual} rows, backup had ${expected}`);
      }
      return wrong.length === 0
        ? { ok: true, detail: `${Object.keys(facts.tables).length} tables, ${rows} rows, as recorded` }
        : { ok: false, detail: wrong.slice(0, 10).join("; ") };
    }),
  );
  checks.push(
    await check("modules match manifest", async () => {
      const { rows } = await read<{ name: string; latest_version: string | null }>(
        "select name, latest_version from ir_module_module where state = 'installed'",
      );
      const restored = new Map(rows.map((r) => [r.name, r.latest_version]));
      const expected = Object.entries(manifest.modules);
      const missing = expected.filter(([n, v]) => restored.get(n) !== v).map(([n]) => n);
      const extra = [...restored.keys()].filter((n) => !(n in manifest.modules));
      return missing.length === 0 && extra.length === 0
        ? { ok: true, detail: `${expected.length} installed modules, versions as in manifest.json` }
        : { ok: false, detail: `differs from manifest: ${[...missing, ...extra].slice(0, 10).join(", ")}` };
    }),
  );
  checks.push(
    await check("admin can log in", async () => {
      const { rows } = await read<{ login: string }>(
        `select u.login from res_users u
           join ir_model_data d on d.model = 'res.users' and d.res_id = u.id and d.module = 'base' and d.name = 'user_admin'
          where u.active and coalesce(u.password, '') <> ''`,
      );
      return rows.length === 1
        ? { ok: true, detail: "base.user_admin is active and has a password" }
        : { ok: false, detail: "base.user_admin is missing, inactive, or has no password" };
    }),
  );
  checks.push(
    await check("attachments present", async () => {
      const { rows } = await read<{ f: string }>(
        "select distinct store_fname as f from ir_attachment where store_fname is not null and store_fname <> ''",
      );
      // A name that leaves the filestore (`../`, absolute) is missing from it, never looked up elsewhere.
      const missing = rows.filter((r) => {
        const path = safeFilestorePath(`filestore/${r.f}`);
        return !path || !existsSync(join(filestoreDir, ...path.split("/")));
      });
      const recorded = facts ? ` (${facts.filestore.files} files recorded)` : "";
      return missing.length === 0
        ? {
            ok: true,
            detail: `${rows.length} stored attachments all found in the restored filestore${recorded}`,
          }
        : {
            ok: false,
            detail: `${missing.length} of ${rows.length} stored attachments missing from the filestore`,
          };
    }),
  );
  return checks;
}

/**
 * `odooops agent drill`: proves the newest backup restorable. It is restored into a scratch database
 * (and a temporary filestore), checked (row counts against the backup's own record, modules against
 * manifest.json, the admin login, attachments), then dropped. The evidence says what happened either way.
 */
export async function drillBackup(options: DrillOptions): Promise<DrillEvidence> {
  const startedAt = new Date();
  const store = await openStore(options.location);
  const checks: CheckResult[] = [];
  let backupName: string | undefined;
  let backupTakenAt: string | undefined;
  let sizeBytes = 0;
  const scratch = derivedName(
    options.database ?? "odooops",
    `__drill_${compactTimestamp(startedAt).toLowerCase()}`,
  );
  const filestoreDir = await mkdtemp(join(tmpdir(), "odooops-drill-"));
  const server = await connectServer(options.server.url);
  let created = false;
  try {
    const newest = await newestBackup(store, options.database);
    backupName = newest.name;
    backupTakenAt = newest.time.toISOString();
    const backup = await fetchBackup({ location: options.location, name: newest.name }, options.reporter);
    try {
      sizeBytes = backup.bytes;
      await createDatabase(server, scratch, `${INCOMPLETE_MARK} restore drill of ${backup.label}`);
      created = true;
      const url = withDatabase(options.server.url, scratch);
      await loadBackup(backup, url, { mask: undefined, filestoreDir, reporter: options.reporter });
      checks.push({ name: "restore", ok: true, detail: `dump.sql loaded into a scratch database` });
      checks.push(...(await withClient(url, (client) => sanityChecks(client, backup, filestoreDir))));
    } finally {
      await backup.cleanup();
    }
  } catch (error) {
    checks.push({ name: "restore", ok: false, detail: errorMessage(error) });
  } finally {
    if (created) await dropDatabase(server, scratch).catch(() => undefined);
    await server.end();
    await rm(filestoreDir, { recursive: true, force: true });
  }
  const finishedAt = new Date();
  return {
    kind: "restore-drill",
    ...(options.project ? { project: options.project } : {}),
    database: options.database ?? backupName?.split("/")[0] ?? "unknown",
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    agentVersion: AGENT_VERSION,
    location: store.location,
    ...(backupName ? { backup: backupName } : {}),
    ...(backupTakenAt ? { backupTakenAt } : {}),
    sizeBytes,
    result: checks.length > 0 && checks.every((c) => c.ok) ? "passed" : "failed",
    checks,
  };
}
