import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type yauzl from "yauzl";
import {
  type DumpFacts,
  dumpFactsSchema,
  type OdooManifest,
  odooManifestSchema,
} from "../../model/data/backup-record.ts";
import { AgentError, AgentInputError, errorMessage } from "../errors.ts";
import { safeFilestorePath } from "./filestore.ts";
import { Digest } from "./hashing.ts";

/** An opened, structurally checked backup zip. */
export interface BackupZip {
  path: string;
  manifest: OdooManifest;
  /** Present in odooops's own backups; other Odoo zips have none. */
  facts: DumpFacts | undefined;
  dump: yauzl.Entry;
  filestore: { entry: yauzl.Entry; path: string }[];
  zip: yauzl.ZipFile;
}

async function readWhole(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<Buffer> {
  if (entry.uncompressedSize > limit)
    throw new AgentInputError(`${entry.fileName} is larger than ${limit} bytes`);
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson<T>(
  text: Buffer,
  what: string,
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { message: string; path: PropertyKey[] }[] } };
  },
): T {
  let json: unknown;
  try {
    json = JSON.parse(text.toString("utf8"));
  } catch {
    throw new AgentInputError(`${what} is not valid JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AgentInputError(
      `${what} ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`,
    );
  }
  return parsed.data;
}

/** Size of a zip local file header before its name (APPNOTE 4.3.7). */
const LOCAL_HEADER_BYTES = 30;

/**
 * Two entries whose data overlap, by name, or undefined. Each entry's local header, name and compressed
 * data must end before the next entry's header starts (the local extra field is left out: the bound
 * stays conservative).
 */
function sharedData(entries: readonly yauzl.Entry[]): [string, string] | undefined {
  const sorted = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const end =
      previous.relativeOffsetOfLocalHeader +
      LOCAL_HEADER_BYTES +
      previous.fileNameLength +
      previous.compressedSize;
    if (sorted[i]!.relativeOffsetOfLocalHeader < end) return [previous.fileName, sorted[i]!.fileName];
  }
  return undefined;
}

/**
 * Opens a backup zip and checks its structure before anything is changed: a zip (a truncated file has
 * no central directory), with dump.sql as a plain SQL dump, a valid Odoo manifest.json, safe filestore
 * paths, and — for odooops's own zips — odooops.json. Errors say which of these failed.
 */
export async function openBackupZip(path: string): Promise<BackupZip> {
  const { default: yauzl } = await import("yauzl"); // not at the CLI's start-up
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, {
      autoClose: false,
      strictFileNames: false,
      validateEntrySizes: true,
    });
  } catch (error) {
    throw new AgentInputError(
      `${path} is not a readable zip archive (${errorMessage(error)}); it may be truncated or not a backup`,
    );
  }
  try {
    const entries: yauzl.Entry[] = [];
    for await (const entry of zip.eachEntry()) entries.push(entry);
    const shared = sharedData(entries);
    if (shared)
      throw new AgentInputError(
        `${path}: ${shared[0]} and ${shared[1]} point at the same compressed data, which no zip tool writes (one small stream would be written out again for every name: a zip bomb); refusing it`,
      );
    const byName = new Map(entries.map((e) => [e.fileName, e]));
    const dump = byName.get("dump.sql");
    if (!dump)
      throw new AgentInputError(
        `${path} has no dump.sql: it is not an Odoo database-manager backup (entries: ${
          entries
            .slice(0, 5)
            .map((e) => e.fileName)
            .join(", ") || "none"
        })`,
      );
    const manifestEntry = byName.get("manifest.json");
    if (!manifestEntry)
      throw new AgentInputError(`${path} has no manifest.json: it is not an Odoo database-manager backup`);
    const manifest = parseJson(
      await readWhole(zip, manifestEntry, 16 << 20),
      `${path} manifest.json`,
      odooManifestSchema,
    );
    const factsEntry = byName.get("odooops.json");
    const facts = factsEntry
      ? parseJson(await readWhole(zip, factsEntry, 16 << 20), `${path} odooops.json`, dumpFactsSchema)
      : undefined;
    const filestore: BackupZip["filestore"] = [];
    for (const entry of entries) {
      if (!entry.fileName.startsWith("filestore/") || entry.fileName.endsWith("/")) continue;
      const safe = safeFilestorePath(entry.fileName);
      if (!safe)
        throw new AgentInputError(`${path} holds an unsafe path "${entry.fileName}"; refusing to extract it`);
      filestore.push({ entry, path: safe });
    }
    const head = await firstBytes(zip, dump);
    if (head.subarray(0, 5).toString("latin1") === "PGDMP")
      throw new AgentInputError(
        `${path}: dump.sql is in pg_dump's custom format; Odoo zips hold a plain SQL dump`,
      );
    if (!/^(--|SET |\\|CREATE |SELECT |\s)/.test(head.toString("utf8")))
      throw new AgentInputError(`${path}: dump.sql does not look like a PostgreSQL plain SQL dump`);
    return { path, manifest, facts, dump, filestore, zip };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function firstBytes(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  for await (const chunk of stream) {
    stream.destroy();
    return chunk as Buffer;
  }
  throw new AgentInputError("dump.sql is empty");
}

/** What an entry's content hashed to, once it was read to the end and its CRC-32 matched. */
export interface EntryDigest {
  sha256: string;
  bytes: number;
}

/** The entry's content; the returned promise rejects if its CRC-32 does not match what the zip says. */
export async function readEntry(
  backup: BackupZip,
  entry: yauzl.Entry,
  onBytes?: (n: number) => void,
): Promise<{ stream: Readable; verified: Promise<EntryDigest> }> {
  let raw: Readable;
  try {
    raw = await backup.zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new AgentInputError(`${backup.path}: cannot read ${entry.fileName} (${errorMessage(error)})`);
  }
  const digest = new Digest(onBytes, true);
  const stream = raw.pipe(digest);
  raw.on("error", (error) =>
    digest.destroy(new AgentInputError(`${backup.path}: ${entry.fileName} is damaged (${error.message})`)),
  );
  const verified = (async () => {
    if (!digest.readableEnded) await once(digest, "end");
    if (digest.crc32() !== entry.crc32 >>> 0)
      throw new AgentInputError(
        `${backup.path}: ${entry.fileName} fails its CRC-32 check; the archive is corrupted`,
      );
    return { sha256: digest.sha256(), bytes: digest.bytes };
  })();
  verified.catch(() => undefined);
  return { stream, verified };
}

/**
 * Reads every entry once and checks its CRC-32, and the dump against the SHA-256 in odooops.json when the
 * zip has one: proves a zip intact before anything is changed. A CRC-32 only shows the zip was written as
 * it is; a dump edited and re-zipped passes it, but not the checksum recorded when the dump was made.
 */
export async function verifyAllEntries(backup: BackupZip, onBytes?: (n: number) => void): Promise<void> {
  for (const entry of [backup.dump, ...backup.filestore.map((f) => f.entry)]) {
    const { stream, verified } = await readEntry(backup, entry, onBytes);
    stream.resume();
    const digest = await verified;
    if (entry === backup.dump) assertDumpMatchesFacts(backup, digest);
  }
}

/** Refuses a dump whose content is not the one odooops.json describes (no-op for zips without one). */
export function assertDumpMatchesFacts(backup: BackupZip, digest: EntryDigest): void {
  const expected = backup.facts?.dump;
  if (!expected || (expected.sha256 === digest.sha256 && expected.bytes === digest.bytes)) return;
  throw new AgentInputError(
    `${backup.path}: dump.sql does not match the checksum in odooops.json (SHA-256 ${digest.sha256.slice(0, 12)}…, ${digest.bytes} bytes; recorded ${expected.sha256.slice(0, 12)}…, ${expected.bytes} bytes): the dump was changed after the backup was made`,
  );
}

/**
 * Writes the filestore entries under `dir`, checking each one's CRC-32, once the file system holding it is
 * seen to have room for all of them (their sizes are the zip's, which reading them holds it to): a
 * filestore that cannot fit fails before it fills the volume the live filestores share.
 */
export async function extractFilestore(
  backup: BackupZip,
  dir: string,
): Promise<{ files: number; bytes: number }> {
  await mkdir(dir, { recursive: true });
  const needed = backup.filestore.reduce((sum, { entry }) => sum + entry.uncompressedSize, 0);
  const { bavail, bsize } = await statfs(dir);
  if (needed > bavail * bsize)
    throw new AgentError(
      `the filestore needs ${needed} bytes and ${dir} has ${bavail * bsize} free: nothing of it was written`,
    );
  let bytes = 0;
  for (const { entry, path } of backup.filestore) {
    const target = join(dir, ...path.split("/"));
    await mkdir(dirname(target), { recursive: true });
    const { stream, verified } = await readEntry(backup, entry);
    await pipeline(stream, createWriteStream(target));
    await verified;
    bytes += entry.uncompressedSize;
  }
  return { files: backup.filestore.length, bytes };
}

export function assertIntact(error: unknown): never {
  if (error instanceof AgentError) throw error;
  throw new AgentInputError(`the backup could not be read: ${errorMessage(error)}`);
}
