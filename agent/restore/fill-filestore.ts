import { mkdir, readdir, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { AGENT_STAGE_ENV } from "../../model/data/data-safety.ts";
import { extractFilestore } from "../archive/read-zip.ts";
import { AgentError, AgentInputError, errorMessage } from "../errors.ts";
import { formatBytes, type Reporter } from "../progress.ts";
import { type BackupSource, type FetchedBackup, fetchBackup, type Verification } from "./fetch.ts";
import { swapDirectory } from "./restore.ts";

export interface FillFilestoreOptions {
  source: BackupSource;
  /** The filestore to fill: Odoo's `<data_dir>/filestore/<database>`. */
  dir: string;
  /** Replace a filled directory once the new copy is complete (a fork's previous build left it). */
  replace: boolean;
  reporter: Reporter;
}

export interface FillFilestoreResult {
  backup: string;
  verifiedBy: Verification;
  filestoreDir: string;
  files: number;
  bytes: number;
  /** A filled directory was replaced (--replace). */
  replaced: boolean;
  durationMs: number;
}

/** Names the work directory as ours, so a later run may remove it; a directory without it is never touched. */
const UNFINISHED_MARK = "ODOOOPS-UNFINISHED-FILL";

/** Entries of `dir`; undefined when it does not exist. */
async function entriesOf(dir: string): Promise<string[] | undefined> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new AgentError(`cannot read ${dir}: ${errorMessage(error)}`);
  }
}

/** Refuses to fill over files unless asked to replace them, and never on a production host. */
async function refuseFilled(dir: string, replace: boolean): Promise<boolean> {
  const entries = await entriesOf(dir);
  if (!entries?.length) return false;
  if (!replace)
    throw new AgentError(
      `filestore directory ${dir} is not empty; a fill never overwrites files. Empty it, choose another, or pass --replace. Nothing was changed.`,
    );
  if (process.env[AGENT_STAGE_ENV] === "production")
    throw new AgentError(
      `refusing to replace ${dir} on a production host (${AGENT_STAGE_ENV}=production); use \`odooops agent restore\`, which swaps database and filestore together. Nothing was changed.`,
    );
  return true;
}

/** The work directory may only be an unfinished fill of ours; anything else there is someone's data. */
async function refuseForeignWork(work: string): Promise<void> {
  const entries = await entriesOf(work);
  if (entries && !entries.includes(UNFINISHED_MARK))
    throw new AgentError(
      `${work} exists and is not an unfinished fill of odooops; remove it first. Nothing was changed.`,
    );
}

/** With odooops.json, the zip must hold exactly the filestore the backup counted. */
function checkFacts(backup: FetchedBackup): void {
  const facts = backup.zip.facts?.filestore;
  if (!facts) return;
  const files = backup.zip.filestore.length;
  const bytes = backup.zip.filestore.reduce((n, f) => n + f.entry.uncompressedSize, 0);
  if (facts.files !== files || facts.bytes !== bytes)
    throw new AgentInputError(
      `${backup.label}: its filestore (${files} files, ${bytes} bytes) does not match odooops.json (${facts.files} files, ${facts.bytes} bytes)`,
    );
}

/**
 * `odooops agent filestore`: fills a filestore, and nothing else, from a backup — for a `fork` staging
 * build, whose database DigitalOcean restored from production's cluster backup without the files. The
 * backup is verified before anything is written; the files go to a marked sibling directory that is
 * renamed into place only when complete, so the target is either untouched or whole.
 */
export async function fillFilestore(options: FillFilestoreOptions): Promise<FillFilestoreResult> {
  const started = Date.now();
  const dir = resolve(options.dir);
  if (dirname(dir) === dir) throw new AgentInputError(`--filestore-dir ${options.dir} is a filesystem root`);
  await refuseFilled(dir, options.replace);
  const work = `${dir}.odooops-fill`;
  await refuseForeignWork(work);
  const backup = await fetchBackup(options.source, options.reporter);
  let wrote = false;
  try {
    checkFacts(backup);
    wrote = true;
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    await writeFile(
      join(work, UNFINISHED_MARK),
      `unfinished fill of ${dir} from ${backup.label}, started ${new Date().toISOString()}\n`,
    );
    const files = join(work, "files");
    const extracted = await extractFilestore(backup.zip, files);
    options.reporter.progress(`filestore: ${extracted.files} files, ${formatBytes(extracted.bytes)} written`);
    // Checked again: the directory may have been filled while the backup was read.
    const replaced = await refuseFilled(dir, options.replace);
    if (!replaced && (await entriesOf(dir))) await rmdir(dir);
    await swapDirectory(dir, files, true);
    await rm(work, { recursive: true, force: true });
    return {
      backup: backup.label,
      verifiedBy: backup.verifiedBy,
      filestoreDir: dir,
      ...extracted,
      replaced,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    // Only the work directory is removed (ours, checked above); the target is touched by the swap alone.
    if (wrote) await rm(work, { recursive: true, force: true });
    throw error;
  } finally {
    await backup.cleanup();
  }
}
