import {
  applyRetention,
  describeShortfall,
  type RetentionPolicy,
  retentionShortfalls,
} from "../model/data/retention.ts";
import { AgentInputError } from "./errors.ts";
import type { Reporter } from "./progress.ts";
import { listBackups, type StoredBackup } from "./storage/backups.ts";
import { openStore } from "./storage/open.ts";

export interface PruneOptions {
  location: string;
  database?: string;
  policy: RetentionPolicy;
  dryRun: boolean;
  /** Allows a policy below 7 daily / 4 weekly / 3 monthly (e.g. for a development database's backups). */
  allowBelowMinimum: boolean;
  /** Unfinished uploads younger than this are left alone: they may still be running. */
  unfinishedGraceMs?: number;
  now?: Date;
  reporter: Reporter;
}

export interface PruneDecision {
  name: string;
  time: string;
  kind: string;
  action: "keep" | "forget";
  reasons: string[];
}

export interface PruneResult {
  location: string;
  dryRun: boolean;
  decisions: PruneDecision[];
  deletedObjects: number;
}

/**
 * `odooops agent prune`: applies grandfather-father-son retention (model/data/retention.ts, restic's
 * semantics) to each database's finished backups, and removes unfinished uploads older than a day.
 * A backup's record is deleted before its zip, so an interrupted prune leaves an unfinished backup that
 * the next prune removes, never a record that points at nothing.
 */
export async function pruneBackups(options: PruneOptions): Promise<PruneResult> {
  const shortfalls = retentionShortfalls(options.policy);
  if (shortfalls.length > 0 && !options.allowBelowMinimum)
    throw new AgentInputError(
      `the retention policy is below the production minimum (${shortfalls.map(describeShortfall).join("; ")}); raise it, or pass --allow-below-minimum for non-production backups`,
    );
  const store = await openStore(options.location);
  const now = options.now ?? new Date();
  const grace = options.unfinishedGraceMs ?? 24 * 3600 * 1000;
  const backups = await listBackups(store, options.database, now);
  const decisions: PruneDecision[] = [];
  const byDatabase = new Map<string, StoredBackup[]>();
  for (const b of backups) byDatabase.set(b.database, [...(byDatabase.get(b.database) ?? []), b]);
  for (const series of byDatabase.values()) {
    const complete = series.filter((b) => b.complete).map((b) => ({ ...b, id: b.name }));
    for (const d of applyRetention(complete, options.policy))
      decisions.push({
        name: d.snapshot.name,
        time: d.snapshot.time.toISOString(),
        kind: d.snapshot.kind,
        action: d.keep ? "keep" : "forget",
        reasons: d.reasons,
      });
    for (const b of series.filter((x) => !x.complete)) {
      if (b.future) {
        decisions.push({
          name: b.name,
          time: b.time.toISOString(),
          kind: b.kind,
          action: "keep",
          reasons: ["dated in the future: no agent took it, so it is left alone and counts for nothing"],
        });
        continue;
      }
      const stale = now.getTime() - b.time.getTime() > grace;
      decisions.push({
        name: b.name,
        time: b.time.toISOString(),
        kind: b.kind,
        action: stale ? "forget" : "keep",
        reasons: [
          stale
            ? "unfinished upload (zip or record missing), older than a day"
            : "unfinished, may still be uploading",
        ],
      });
    }
  }
  let deletedObjects = 0;
  if (!options.dryRun) {
    const byName = new Map(backups.map((b) => [b.name, b]));
    for (const d of decisions.filter((x) => x.action === "forget")) {
      const b = byName.get(d.name)!;
      const objects = [b.record ? `${b.name}.json` : undefined, b.zip ? `${b.name}.zip` : undefined].filter(
        (o): o is string => o !== undefined,
      );
      await store.remove(objects);
      deletedObjects += objects.length;
      options.reporter.progress(`prune: removed ${d.name}`);
    }
  }
  return { location: store.location, dryRun: options.dryRun, decisions, deletedObjects };
}
