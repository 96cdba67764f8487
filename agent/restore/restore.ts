import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { compactTimestamp, type DumpFacts } from "../../model/data/backup-record.ts";
import {
  AGENT_STAGE_ENV,
  type DataStage,
  PRODUCTION_DB_URL_ENV,
  productionRefusal,
  STAGE_MARKER_KEY,
} from "../../model/data/data-safety.ts";
import type { MaskProfileName, MaskRule } from "../../model/data/masking.ts";
import { AgentError, AgentInputError } from "../errors.ts";
import type { MaskedTable } from "../mask/dump-masker.ts";
import type { LeakScanResult } from "../mask/leak-scan.ts";
import { newMaskRun } from "../mask/run-context.ts";
import type { NeutralizeOptions, NeutralizeStep } from "../neutralize/run.ts";
import { type DatabaseUrl, withClient, withDatabase } from "../pg/connection.ts";
import {
  connectServer,
  createDatabase,
  databaseComment,
  databaseExists,
  derivedName,
  dropDatabase,
  INCOMPLETE_MARK,
  otherSessions,
  renameDatabase,
  setDatabaseComment,
  terminateSessions,
} from "../pg/databases.ts";
import { readParameter } from "../pg/markers.ts";
import type { Reporter } from "../progress.ts";
import { type BackupSource, fetchBackup, type Verification } from "./fetch.ts";
import { finishCopy } from "./finish.ts";
import { loadBackup } from "./load.ts";

export interface RestoreOptions {
  source: BackupSource;
  /** The database to restore (its URL's database name); it is replaced only once the restore worked. */
  target: DatabaseUrl;
  filestoreDir?: string;
  /** Stage marker of the restored database; needed with neutralize or mask. */
  stage?: DataStage;
  mask?: { profile: MaskProfileName; extras: readonly MaskRule[]; password: string | undefined };
  neutralize?: NeutralizeOptions;
  dropPrevious: boolean;
  forceDisconnect: boolean;
  reporter: Reporter;
}

export interface RestoreResult {
  backup: string;
  verifiedBy: Verification;
  /** What the backup says was running when it was taken (odooops.json; absent from older zips). */
  origin: Pick<DumpFacts, "build" | "logs">;
  database: string;
  previous: string | undefined;
  bytes: number;
  durationMs: number;
  masked: MaskedTable[] | undefined;
  scan: LeakScanResult | undefined;
  neutralized: NeutralizeStep[] | undefined;
  filestore: { files: number; bytes: number } | undefined;
}

/** Restores outside production may be neutralized and masked; production itself never is. */
async function refuseUnsafe(options: RestoreOptions, targetExists: boolean): Promise<void> {
  if (!options.mask && !options.neutralize) return;
  if (!options.stage)
    throw new AgentInputError(
      "--neutralize and --mask need --stage staging or --stage development for the restored copy",
    );
  const marker = targetExists
    ? await withClient(options.target.url, (c) => readParameter(c, STAGE_MARKER_KEY)).catch(() => undefined)
    : undefined;
  const refusal = productionRefusal({
    operation: options.mask ? "mask a restore into" : "neutralize a restore into",
    target: options.target.id,
    urlEnvName: options.target.envName,
    productionUrl: process.env[PRODUCTION_DB_URL_ENV],
    agentStage: process.env[AGENT_STAGE_ENV],
    marker,
    assumedStage: options.stage,
  });
  if (refusal) throw new AgentError(refusal);
}

/**
 * `odooops agent restore`: verifies the backup, restores it into a scratch database (and the filestore
 * into a scratch directory), finishes it (mask scan, stage marker, neutralize), and only then swaps it in
 * for the target by renaming. The target is never dropped first; the replaced database is kept under a
 * `__before_<time>` name unless --drop-previous.
 */
export async function restoreDatabase(options: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const name = options.target.id.database;
  const scratch = derivedName(name, "__restoring");
  const server = await connectServer(options.target.url);
  try {
    const exists = await databaseExists(server, name);
    await refuseUnsafe(options, exists);
    if (exists && !options.forceDisconnect && (await otherSessions(server, name)) > 0)
      throw new AgentError(
        `${name} has open sessions (Odoo is running?); stop them or pass --force-disconnect. Nothing was changed.`,
      );
    const backup = await fetchBackup(options.source, options.reporter);
    const scratchDir = options.filestoreDir ? `${options.filestoreDir}.restoring` : undefined;
    try {
      if (await databaseExists(server, scratch)) {
        if (!(await databaseComment(server, scratch))?.startsWith(INCOMPLETE_MARK))
          throw new AgentError(
            `${scratch} exists and is not an unfinished restore of odooops; remove it first`,
          );
        await dropDatabase(server, scratch);
      }
      await createDatabase(server, scratch, `${INCOMPLETE_MARK} restore of ${backup.label}`);
      const scratchUrl = withDatabase(options.target.url, scratch);
      const mask = options.mask
        ? newMaskRun(options.mask.profile, options.mask.extras, options.mask.password)
        : undefined;
      const loaded = await loadBackup(backup, scratchUrl, {
        mask,
        filestoreDir: scratchDir,
        reporter: options.reporter,
      });
      const finished = await finishCopy(scratchUrl, {
        stage: options.stage,
        mask,
        neutralize: options.neutralize,
        reporter: options.reporter,
      });
      options.reporter.progress(`restore: restored and checked; swapping ${scratch} in as ${name}`);
      const previous = await swapIn(server, options, scratch);
      await setDatabaseComment(
        server,
        name,
        `odooops: restored from ${backup.label} at ${new Date().toISOString()}`,
      );
      if (options.filestoreDir && scratchDir)
        await swapDirectory(options.filestoreDir, scratchDir, options.dropPrevious);
      if (previous && options.dropPrevious) await dropDatabase(server, previous);
      return {
        backup: backup.label,
        verifiedBy: backup.verifiedBy,
        origin: { build: backup.zip.facts?.build, logs: backup.zip.facts?.logs },
        database: name,
        previous: options.dropPrevious ? undefined : previous,
        bytes: backup.bytes,
        durationMs: Date.now() - started,
        masked: mask ? loaded.masked : undefined,
        scan: finished.scan,
        neutralized: finished.neutralized,
        filestore: loaded.filestore,
      };
    } catch (error) {
      await dropDatabase(server, scratch).catch(() => undefined);
      if (scratchDir) await rm(scratchDir, { recursive: true, force: true });
      throw error;
    } finally {
      await backup.cleanup();
    }
  } finally {
    await server.end();
  }
}

/** Renames target → previous and scratch → target; puts the target back if the second rename fails. */
async function swapIn(
  server: Awaited<ReturnType<typeof connectServer>>,
  options: RestoreOptions,
  scratch: string,
) {
  const name = options.target.id.database;
  if (!(await databaseExists(server, name))) {
    await renameDatabase(server, scratch, name);
    return undefined;
  }
  const previous = derivedName(name, `__before_${compactTimestamp(new Date()).toLowerCase()}`);
  if (options.forceDisconnect) await terminateSessions(server, name);
  await renameDatabase(server, name, previous);
  try {
    await renameDatabase(server, scratch, name);
  } catch (error) {
    await renameDatabase(server, previous, name);
    throw error;
  }
  await setDatabaseComment(server, previous, `odooops: replaced by a restore at ${new Date().toISOString()}`);
  return previous;
}

/** Renames scratchDir to dir; a dir already there is moved aside first, and removed with dropPrevious. */
export async function swapDirectory(dir: string, scratchDir: string, dropPrevious: boolean) {
  if (existsSync(dir)) {
    const aside = `${dir}.before-${compactTimestamp(new Date()).toLowerCase()}`;
    await rename(dir, aside);
    if (dropPrevious) await rm(aside, { recursive: true, force: true });
  }
  await rename(scratchDir, dir);
}
