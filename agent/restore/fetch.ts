import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { type BackupRecord, backupRecordSchema } from "../../model/data/backup-record.ts";
import { Digest } from "../archive/hashing.ts";
import { type BackupZip, openBackupZip, verifyAllEntries } from "../archive/read-zip.ts";
import { AgentInputError } from "../errors.ts";
import { Progress, type Reporter } from "../progress.ts";
import { newestBackup, readRecord } from "../storage/backups.ts";
import { openStore } from "../storage/open.ts";

/** Which backup to use: a zip file on disk, or a backup in a location (a named one, or the newest). */
export type BackupSource = { file: string } | { location: string; name?: string; database?: string };

/**
 * How a backup was proven intact before anything was changed: the zip's SHA-256 in its side record;
 * without one, every entry's CRC-32 and the dump's SHA-256 in the zip's own odooops.json; for a zip Odoo
 * made (no odooops.json), every entry's CRC-32, the restore into a scratch database then proving the
 * dump loads.
 */
export type Verification = "sha256" | "dump-sha256" | "crc32";

export const VERIFICATION_WORDS: Readonly<Record<Verification, string>> = {
  sha256: "its recorded SHA-256",
  "dump-sha256": "the dump's SHA-256 in odooops.json and every entry's CRC-32",
  crc32: "every entry's CRC-32",
};

export interface FetchedBackup {
  zip: BackupZip;
  /** Where it came from, for messages and evidence. */
  label: string;
  record: BackupRecord | undefined;
  bytes: number;
  verifiedBy: Verification;
  cleanup(): Promise<void>;
}

/**
 * Gets a backup onto local disk (zips need random access) and proves it intact before anything else
 * happens: against the SHA-256 in its record when there is one, else by reading every entry's CRC-32
 * and the dump's SHA-256 against odooops.json.
 */
export async function fetchBackup(source: BackupSource, reporter: Reporter): Promise<FetchedBackup> {
  const work = await mkdtemp(join(tmpdir(), "odooops-backup-"));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    let path: string;
    let label: string;
    let record: BackupRecord | undefined;
    let sha256: string | undefined;
    let bytes: number;
    if ("file" in source) {
      if (!existsSync(source.file)) throw new AgentInputError(`${source.file} does not exist`);
      path = source.file;
      label = source.file;
      record = await localRecord(`${source.file.replace(/\.zip$/, "")}.json`);
      const digest = new Digest();
      await pipeline(createReadStream(path), digest, async (hashed: AsyncIterable<Buffer>) => {
        for await (const _ of hashed);
      });
      sha256 = digest.sha256();
      bytes = digest.bytes;
    } else {
      const store = await openStore(source.location);
      const name = source.name ?? (await newestBackup(store, source.database)).name;
      record = await readRecord(store, name);
      label = `${store.location}${name}.zip`;
      const { body, bytes: size } = await store.read(`${name}.zip`);
      // Refused before a byte is written: a zip larger than its record says would only fill the disk.
      if (size !== record.zip.bytes) {
        body.destroy();
        throw new AgentInputError(
          `${label} is ${size} bytes, its record says ${record.zip.bytes}: the backup is corrupted or not the one recorded; nothing was downloaded`,
        );
      }
      const progress = new Progress(reporter, "download", { bytes: record.zip.bytes || size, exact: true });
      const digest = new Digest((n) => progress.add(n));
      path = join(work, "backup.zip");
      await pipeline(body, digest, createWriteStream(path));
      sha256 = digest.sha256();
      bytes = digest.bytes;
    }
    if (record && (record.zip.sha256 !== sha256 || record.zip.bytes !== bytes))
      throw new AgentInputError(
        `${label} does not match its record (SHA-256 ${sha256.slice(0, 12)}…, ${bytes} bytes; recorded ${record.zip.sha256.slice(0, 12)}…, ${record.zip.bytes} bytes): the backup is corrupted or truncated`,
      );
    const zip = await openBackupZip(path);
    if (record && zip.facts && zip.facts.dump.sha256 !== record.facts.dump.sha256)
      throw new AgentInputError(`${label}: odooops.json does not match the backup record`);
    if (!record) {
      const progress = new Progress(reporter, "verify", {
        bytes: zip.dump.uncompressedSize + zip.filestore.reduce((n, f) => n + f.entry.uncompressedSize, 0),
        exact: true,
      });
      await verifyAllEntries(zip, (n) => progress.add(n)).catch((error) => {
        zip.zip.close();
        throw error;
      });
    }
    return {
      zip,
      label,
      record,
      bytes,
      verifiedBy: record ? "sha256" : zip.facts ? "dump-sha256" : "crc32",
      cleanup: async () => {
        zip.zip.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function localRecord(path: string): Promise<BackupRecord | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentInputError(`${path} is not JSON; it should be the backup's record`);
  }
  const parsed = backupRecordSchema.safeParse(json);
  if (!parsed.success) throw new AgentInputError(`${path} is not an odooops backup record`);
  return parsed.data;
}
