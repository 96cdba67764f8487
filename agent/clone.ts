import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  type CopySafety,
  copySafety,
  type DataStage,
  databaseIdentity,
  describeDatabase,
  PRODUCTION_DB_URL_ENV,
  sameDatabase,
  unsafeCopyRefusal,
} from "../model/data/data-safety.ts";
import type { MaskProfileName, MaskRule } from "../model/data/masking.ts";
import { copyMasked } from "./clone-masked.ts";
import { AgentError, AgentInputError } from "./errors.ts";
import type { MaskedTable } from "./mask/dump-masker.ts";
import type { LeakScanResult } from "./mask/leak-scan.ts";
import { type MaskRun, newMaskRun } from "./mask/run-context.ts";
import type { NeutralizeOptions, NeutralizeStep } from "./neutralize/run.ts";
import { type DatabaseUrl, withClient } from "./pg/connection.ts";
import { settle } from "./pg/load.ts";
import { prepareTarget } from "./pg/target.ts";
import { startPgTool } from "./pg/tools.ts";
import { formatDuration, Progress, type Reporter } from "./progress.ts";
import { type BackupSource, fetchBackup } from "./restore/fetch.ts";
import { finishCopy } from "./restore/finish.ts";
import { loadBackup } from "./restore/load.ts";

export type CloneSource = { kind: "database"; db: DatabaseUrl } | { kind: "backup"; backup: BackupSource };

export interface CloneOptions {
  source: CloneSource;
  /** URL of the target database (its name included); created unless it exists and is empty. */
  targetUrl: string;
  stage: DataStage;
  mask?: { profile: MaskProfileName; extras: readonly MaskRule[]; password: string | undefined };
  neutralize?: NeutralizeOptions;
  /** The target's filestore directory; filled from the backup, or copied from sourceFilestoreDir. */
  filestoreDir?: string;
  sourceFilestoreDir?: string;
  /** Parallel pg_dump/pg_restore jobs for an unmasked copy of a live database. */
  jobs: number;
  reporter: Reporter;
}

export interface CloneResult {
  source: string;
  target: string;
  stage: DataStage;
  /** Said in every report: a production-to-production copy is the one made without masking. */
  safety: CopySafety;
  bytes: number;
  durationMs: number;
  masked: MaskedTable[] | undefined;
  scan: LeakScanResult | undefined;
  neutralized: NeutralizeStep[] | undefined;
  filestore: { files: number; bytes: number } | undefined;
}

function refuseUnsafeTarget(options: CloneOptions): void {
  const target = databaseIdentity(options.targetUrl)!;
  if (options.source.kind === "database" && sameDatabase(options.source.db.id, target))
    throw new AgentInputError(
      `the target ${describeDatabase(target)} is the source itself; choose another --target-db`,
    );
  const production = process.env[PRODUCTION_DB_URL_ENV]
    ? databaseIdentity(process.env[PRODUCTION_DB_URL_ENV]!)
    : undefined;
  if (production && sameDatabase(production, target))
    throw new AgentError(
      `refusing to clone into ${describeDatabase(target)}: it is the production database (${PRODUCTION_DB_URL_ENV})`,
    );
  if ((options.mask || options.neutralize) && options.stage === "production")
    throw new AgentInputError(
      "a copy marked --stage production is not neutralized or masked; use staging or development",
    );
  const unsafe = unsafeCopyRefusal({
    stage: options.stage,
    masked: options.mask !== undefined,
    neutralized: options.neutralize !== undefined,
  });
  if (unsafe) throw new AgentError(unsafe);
}

async function refuseFilledDirectory(dir: string | undefined): Promise<void> {
  if (!dir) return;
  const entries = await readdir(dir).catch(() => []);
  if (entries.length > 0)
    throw new AgentError(
      `filestore directory ${dir} is not empty; a copy never overwrites files. Empty it or choose another.`,
    );
}

/** Size of the source's table data (indexes are rebuilt, not copied): the progress estimate. */
async function dataSize(db: DatabaseUrl): Promise<number> {
  return withClient(
    db.url,
    async (c) =>
      Number(
        (
          await c.query<{ n: string }>(
            "select coalesce(sum(pg_table_size(c.oid)), 0) as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')",
          )
        ).rows[0]!.n,
      ),
    { readOnly: true },
  );
}

/** Every session the source sees is read-only: pg_dump only reads, and the agent's own queries too. */
const READ_ONLY = "-c default_transaction_read_only=on";

async function copyDatabase(
  db: DatabaseUrl,
  targetUrl: string,
  mask: MaskRun | undefined,
  jobs: number,
  reporter: Reporter,
) {
  const progress = new Progress(reporter, "clone", { bytes: await dataSize(db), exact: false });
  const sourceUrl = withOptions(db.url, READ_ONLY);
  if (mask) return copyMasked(sourceUrl, targetUrl, mask, progress, reporter);
  if (jobs > 1) {
    const dir = await mkdtemp(join(tmpdir(), "odooops-clone-"));
    try {
      await startPgTool("pg_dump", ["-Fd", "-Z0", "-j", String(jobs), "-f", join(dir, "dump")], sourceUrl)
        .exited;
      await startPgTool(
        "pg_restore",
        [
          "-j",
          String(jobs),
          "--exit-on-error",
          "--no-owner",
          "--no-privileges",
          "-d",
          targetName(targetUrl),
          join(dir, "dump"),
        ],
        targetUrl,
      ).exited;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { bytes: 0, masked: undefined, buildIndexes: undefined };
  }
  const dump = startPgTool("pg_dump", ["-Fc", "-Z0", "--no-owner", "--no-privileges"], sourceUrl);
  // After the last row, PostgreSQL builds indexes and checks constraints: minutes without a byte moving.
  void dump.exited.then(
    () =>
      reporter.progress(`${progress.line()}; all data sent, PostgreSQL is building indexes and constraints`),
    () => undefined,
  );
  const restore = startPgTool(
    "pg_restore",
    ["-1", "--exit-on-error", "--no-owner", "--no-privileges", "-d", targetName(targetUrl)],
    targetUrl,
    {
      stdin: "pipe",
    },
  );
  await Promise.all([
    settle(restore, pipeline(dump.child.stdout!, progress.meter(), restore.child.stdin!)),
    dump.exited,
  ]);
  return { bytes: progress.transferred, masked: undefined, buildIndexes: undefined };
}

/** pg_restore needs -d to restore into a database; the name alone (no credentials) on its command line. */
function targetName(url: string): string {
  return databaseIdentity(url)!.database;
}

function withOptions(url: string, options: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", options);
  return parsed.toString();
}

/**
 * `odooops agent clone`: a logical copy of a live database (pg_dump → pg_restore, never writing to the
 * source) or of a backup, into a new or empty database; optionally masked while it streams (personal
 * data is never written to the copy) and neutralized before anyone can start Odoo on it.
 */
export async function cloneDatabase(options: CloneOptions): Promise<CloneResult> {
  refuseUnsafeTarget(options);
  await refuseFilledDirectory(options.filestoreDir);
  const started = Date.now();
  const mask = options.mask
    ? newMaskRun(options.mask.profile, options.mask.extras, options.mask.password)
    : undefined;
  // A backup is fetched and proven intact (checksums) before the target database is created.
  const backup =
    options.source.kind === "backup" ? await fetchBackup(options.source.backup, options.reporter) : undefined;
  let target: Awaited<ReturnType<typeof prepareTarget>>;
  try {
    target = await prepareTarget(options.targetUrl);
  } catch (error) {
    await backup?.cleanup();
    throw error;
  }
  let wroteFiles = false;
  try {
    let label: string;
    let bytes: number;
    let masked: MaskedTable[] | undefined;
    let buildIndexes: (() => Promise<void>) | undefined;
    let filestore: CloneResult["filestore"];
    if (options.source.kind === "database") {
      label = describeDatabase(options.source.db.id);
      ({ bytes, masked, buildIndexes } = await copyDatabase(
        options.source.db,
        target.url,
        mask,
        options.jobs,
        options.reporter,
      ));
      if (options.filestoreDir && options.sourceFilestoreDir) {
        wroteFiles = true;
        await cp(options.sourceFilestoreDir, options.filestoreDir, { recursive: true, errorOnExist: true });
      }
    } else {
      const fetched = backup!;
      try {
        label = fetched.label;
        bytes = fetched.bytes;
        wroteFiles = options.filestoreDir !== undefined;
        const loaded = await loadBackup(fetched, target.url, {
          mask,
          filestoreDir: options.filestoreDir,
          reporter: options.reporter,
        });
        masked = mask ? loaded.masked : undefined;
        filestore = loaded.filestore;
      } finally {
        await fetched.cleanup();
      }
    }
    const copied = Date.now();
    const finished = await finishCopy(target.url, {
      stage: options.stage,
      mask,
      neutralize: options.neutralize,
      reporter: options.reporter,
      buildIndexes,
    });
    options.reporter.progress(
      `clone: copy ${formatDuration(copied - started)}, ${buildIndexes ? "indexes beside the " : ""}${mask ? "leak scan and " : ""}finishing ${formatDuration(Date.now() - copied)}`,
    );
    await target.finish(`odooops: ${options.stage} copy of ${label} made ${new Date().toISOString()}`);
    return {
      source: label,
      target: target.name,
      stage: options.stage,
      safety: copySafety(options.stage),
      bytes,
      durationMs: Date.now() - started,
      masked,
      scan: finished.scan,
      neutralized: finished.neutralized,
      filestore,
    };
  } catch (error) {
    await target.discard().catch(() => undefined);
    if (wroteFiles && options.filestoreDir) await rm(options.filestoreDir, { recursive: true, force: true });
    throw error;
  }
}
