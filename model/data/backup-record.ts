import { z } from "zod";

/**
 * Backups as stored: an Odoo database-manager zip (`dump.sql`, `filestore/`, `manifest.json`) that Odoo's
 * own "Restore Database" accepts, plus `odooops.json` inside it (what the dump holds, to verify a restore)
 * and a sidecar `<name>.json` next to it holding the zip's checksum (a zip cannot hold its own).
 * A zip without its sidecar is an unfinished upload and never counts as a backup.
 */

export const BACKUP_KINDS = ["scheduled", "pre-deploy", "manual"] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

/** Odoo's manifest.json, as written by odoo/service/db.py dump_db_manifest (16.0–19.0). */
export const odooManifestSchema = z.looseObject({
  odoo_dump: z.literal("1", { error: 'odoo_dump must be "1": this is not an Odoo database-manager backup' }),
  db_name: z.string().min(1),
  version: z.string().min(1),
  version_info: z.array(z.union([z.number(), z.string()])).optional(),
  major_version: z.string().min(1),
  pg_version: z.string().min(1),
  modules: z.record(z.string(), z.string().nullable()),
});
export type OdooManifest = z.output<typeof odooManifestSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be a SHA-256 in hex" });
const isoTime = z.iso.datetime({ offset: true });

/** What was running when the backup was taken (seed 004: backups include build metadata and logs). */
export const buildFactsSchema = z.strictObject({
  image: z.string().min(1).max(500).optional(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, { error: "must be a git commit SHA" })
    .optional(),
  buildId: z.string().min(1).max(200).optional(),
});
export type BuildFacts = z.output<typeof buildFactsSchema>;

/** The environment's recent log lines, tail first cut, tokens redacted (model/plan/backup-logs.ts). */
export const backupLogsSchema = z.strictObject({
  source: z.string().max(500),
  lines: z.array(z.string().max(4000)).max(2000),
  truncated: z.boolean(),
});
export type BackupLogs = z.output<typeof backupLogsSchema>;

/**
 * `odooops.json` inside our zips: enough to prove a restore got back exactly what was dumped, and what
 * produced the data. `build` and `logs` came later: zips without them stay valid.
 */
export const dumpFactsSchema = z.strictObject({
  format: z.literal("odooops-dump/1"),
  dump: z.strictObject({ bytes: z.int().nonnegative(), sha256 }),
  /** Rows per table in dump.sql, keyed by schema-qualified table name. */
  tables: z.record(z.string(), z.int().nonnegative()),
  filestore: z.strictObject({ files: z.int().nonnegative(), bytes: z.int().nonnegative() }),
  build: buildFactsSchema.optional(),
  logs: backupLogsSchema.optional(),
});
export type DumpFacts = z.output<typeof dumpFactsSchema>;

/** The sidecar next to each zip. */
export const backupRecordSchema = z.strictObject({
  format: z.literal("odooops-backup/1"),
  name: z.string().min(1),
  database: z.string().min(1),
  kind: z.enum(BACKUP_KINDS),
  /** Release or build the pre-deploy backup was taken for. */
  release: z.string().optional(),
  startedAt: isoTime,
  finishedAt: isoTime,
  zip: z.strictObject({ bytes: z.int().nonnegative(), sha256 }),
  odooVersion: z.string(),
  pgVersion: z.string(),
  modules: z.int().nonnegative(),
  facts: dumpFactsSchema,
});
export type BackupRecord = z.output<typeof backupRecordSchema>;

/** `20260214T020000Z`: sorts like the time it stands for and needs no quoting anywhere. */
export function compactTimestamp(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

export function parseCompactTimestamp(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) : undefined;
}

/** The object name of a backup: `<database>/<timestamp>-<kind>`; `.zip` and `.json` are added to it. */
export function backupName(database: string, time: Date, kind: BackupKind): string {
  return `${database}/${compactTimestamp(time)}-${kind}`;
}

export interface ParsedBackupName {
  name: string;
  database: string;
  time: Date;
  kind: BackupKind;
}

export function parseBackupName(name: string): ParsedBackupName | undefined {
  const m = /^(.+)\/(\d{8}T\d{6}Z)-([a-z-]+)$/.exec(name);
  if (!m) return undefined;
  const time = parseCompactTimestamp(m[2]!);
  const kind = BACKUP_KINDS.find((k) => k === m[3]);
  return time && kind ? { name, database: m[1]!, time, kind } : undefined;
}
