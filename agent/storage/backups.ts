import {
  type BackupRecord,
  backupRecordSchema,
  type ParsedBackupName,
  parseBackupName,
} from "../../model/data/backup-record.ts";
import { AgentError } from "../errors.ts";
import type { BackupStore, StoredObject } from "./store.ts";

export interface StoredBackup extends ParsedBackupName {
  zip: StoredObject | undefined;
  record: StoredObject | undefined;
  /** Zip and sidecar both present, and not dated in the future: a finished backup. */
  complete: boolean;
  /** Named for a time later than now (give or take CLOCK_SKEW_MS): no agent took it. */
  future: boolean;
}

/**
 * How far ahead of this host's clock a backup's name may be and still count. Further ahead, no agent
 * took it: it was written by hand or by whoever holds a writer key, and counted as the newest it would be
 * what drills and clones load, and it would push real backups out of retention at every prune.
 */
export const CLOCK_SKEW_MS = 60 * 60 * 1000;

/** Backups in a store, newest first; objects whose names are not backups are ignored. */
export async function listBackups(
  store: BackupStore,
  database?: string,
  now: Date = new Date(),
): Promise<StoredBackup[]> {
  const byName = new Map<string, StoredBackup>();
  for (const object of await store.list()) {
    const m = /^(.*)\.(zip|json)$/.exec(object.name);
    const parsed = m ? parseBackupName(m[1]!) : undefined;
    if (!parsed || (database && parsed.database !== database)) continue;
    const entry = byName.get(parsed.name) ?? {
      ...parsed,
      zip: undefined,
      record: undefined,
      complete: false,
      future: parsed.time.getTime() > now.getTime() + CLOCK_SKEW_MS,
    };
    if (m![2] === "zip") entry.zip = object;
    else entry.record = object;
    entry.complete = entry.zip !== undefined && entry.record !== undefined && !entry.future;
    byName.set(parsed.name, entry);
  }
  return [...byName.values()].sort(
    (a, b) => b.time.getTime() - a.time.getTime() || (a.name < b.name ? 1 : -1),
  );
}

export async function readRecord(store: BackupStore, name: string): Promise<BackupRecord> {
  const text = await store.getText(`${name}.json`);
  if (text === undefined)
    throw new AgentError(`${store.location}${name}.json is missing: the backup is incomplete`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AgentError(`${store.location}${name}.json is not JSON: the backup record is damaged`);
  }
  const parsed = backupRecordSchema.safeParse(json);
  if (!parsed.success)
    throw new AgentError(
      `${store.location}${name}.json is not an odooops backup record: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/** The newest finished backup of `database` (or of any database when none is given). */
export async function newestBackup(store: BackupStore, database?: string): Promise<StoredBackup> {
  const newest = (await listBackups(store, database)).find((b) => b.complete);
  if (!newest)
    throw new AgentError(`no finished backup${database ? ` of ${database}` : ""} in ${store.location}`);
  return newest;
}
