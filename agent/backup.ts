import { existsSync } from "node:fs";
import {
  BACKUP_KINDS,
  type BackupKind,
  type BackupRecord,
  backupName,
  type DumpFacts,
} from "../model/data/backup-record.ts";
import type { BackupEvidence } from "../model/data/data-evidence.ts";
import { Digest } from "./archive/hashing.ts";
import { buildBackupZip } from "./archive/write-zip.ts";
import { AgentError, AgentInputError, errorMessage } from "./errors.ts";
import { odooManifest } from "./odoo-facts.ts";
import { connect, type DatabaseUrl } from "./pg/connection.ts";
import { startPgTool } from "./pg/tools.ts";
import { Progress, type Reporter } from "./progress.ts";
import { openStore } from "./storage/open.ts";
import type { BackupStore } from "./storage/store.ts";
import { AGENT_VERSION } from "./version.ts";

export interface BackupOptions {
  db: DatabaseUrl;
  location: string;
  kind: BackupKind;
  release?: string;
  filestoreDir?: string;
  project?: string;
  /** zlib level of dump.sql in the zip (0–9). */
  compressionLevel?: number;
  /** What was running: kept in odooops.json with the environment's recent logs. */
  origin?: Pick<DumpFacts, "build" | "logs">;
  reporter: Reporter;
}

export const DEFAULT_COMPRESSION_LEVEL = 3;

export interface BackupResult {
  record: BackupRecord;
  evidence: BackupEvidence;
}

/**
 * The evidence of a backup attempt that failed: nothing was stored, so it names the location the backup
 * was meant for and why it failed. It goes wherever a good backup's evidence goes (the control plane too).
 */
export function failedBackupEvidence(
  options: Pick<BackupOptions, "db" | "location" | "kind" | "project">,
  started: Date,
  error: unknown,
  finished = new Date(),
): BackupEvidence {
  return {
    kind: "backup",
    ...(options.project ? { project: options.project } : {}),
    database: options.db.id.database,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: Math.max(0, finished.getTime() - started.getTime()),
    agentVersion: AGENT_VERSION,
    backupKind: options.kind,
    location: options.location,
    sizeBytes: 0,
    result: "failed",
    error: errorMessage(error),
  };
}

/**
 * `odooops agent backup`: an Odoo database-manager zip streamed straight to the backup location. The
 * manifest and the dump come from one snapshot (pg_dump --snapshot), so the module list matches the data.
 * The record (sidecar) is written last: without it the zip is not a backup, so an interrupted run never
 * leaves something that looks like one, and earlier backups are never touched.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  if (options.filestoreDir && !existsSync(options.filestoreDir))
    throw new AgentInputError(
      `filestore directory ${options.filestoreDir} does not exist; check --filestore-dir`,
    );
  const store = await openStore(options.location);
  // Before anything is dumped: a missing bucket would otherwise only show once the whole dump streamed.
  await store.ensureWritable();
  const database = options.db.id.database;
  // Names have one-second resolution. A database gets at most one backup per second, whatever its kind,
  // so "newest" is never ambiguous (a drill or restore of the newest must take the one just made): a
  // second backup within the same second waits for the next one rather than sharing it.
  let started = new Date();
  while (await secondTaken(store, database, started)) {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    started = new Date();
  }
  const name = backupName(database, started, options.kind);

  const client = await connect(options.db.url, { readOnly: true });
  try {
    await client.query("begin isolation level repeatable read read only");
    const snapshot = (await client.query<{ s: string }>("select pg_export_snapshot() as s")).rows[0]!.s;
    const manifest = await odooManifest(client, database);
    const estimate = Number(
      (
        await client.query<{ n: string }>(
          "select coalesce(sum(pg_table_size(oid)), 0) as n from pg_class where relkind = 'r'",
        )
      ).rows[0]!.n,
    );
    const progress = new Progress(options.reporter, "backup", { bytes: estimate, exact: false });
    const dump = startPgTool(
      "pg_dump",
      ["-Fp", "--no-owner", "--no-privileges", `--snapshot=${snapshot}`],
      options.db.url,
    );
    const zip = buildBackupZip({
      dump: dump.child.stdout!,
      dumpExited: dump.exited,
      manifest,
      filestoreDir: options.filestoreDir,
      compressionLevel: options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL,
      origin: options.origin ?? {},
      onDumpBytes: (n) => progress.add(n),
    });
    const digest = new Digest();
    // A failed dump destroys the zip stream; the upload must see that as its own failure and abort.
    zip.output.on("error", (error) => digest.destroy(error));
    const [{ facts }] = await Promise.all([
      zip.done,
      store.upload(`${name}.zip`, zip.output.pipe(digest)),
    ]).catch(async (error) => {
      zip.output.destroy();
      throw new AgentError(`backup of ${database} failed, nothing was stored: ${errorMessage(error)}`);
    });
    const record: BackupRecord = {
      format: "odooops-backup/1",
      name,
      database,
      kind: options.kind,
      ...(options.release ? { release: options.release } : {}),
      startedAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      zip: { bytes: digest.bytes, sha256: digest.sha256() },
      odooVersion: manifest.version,
      pgVersion: manifest.pg_version,
      modules: Object.keys(manifest.modules).length,
      facts,
    };
    try {
      await store.putText(`${name}.json`, `${JSON.stringify(record, null, 2)}\n`);
    } catch (error) {
      await store.remove([`${name}.zip`]).catch(() => undefined);
      throw new AgentError(
        `backup of ${database} failed writing its record, nothing was kept: ${errorMessage(error)}`,
      );
    }
    options.reporter.progress(progress.line());
    const finished = new Date(record.finishedAt);
    return {
      record,
      evidence: {
        kind: "backup",
        ...(options.project ? { project: options.project } : {}),
        database,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        durationMs: finished.getTime() - started.getTime(),
        agentVersion: AGENT_VERSION,
        backupKind: options.kind,
        location: store.location,
        name,
        sizeBytes: record.zip.bytes,
        sha256: record.zip.sha256,
        result: "passed",
      },
    };
  } finally {
    await client.query("rollback").catch(() => undefined);
    await client.end();
  }
}

/** Whether a backup of `database` (of any kind, finished or not) already carries this second in its name. */
async function secondTaken(store: BackupStore, database: string, time: Date): Promise<boolean> {
  for (const kind of BACKUP_KINDS) {
    const name = backupName(database, time, kind);
    if ((await store.exists(`${name}.json`)) || (await store.exists(`${name}.zip`))) return true;
  }
  return false;
}
