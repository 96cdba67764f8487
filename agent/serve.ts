import { Cron } from "croner";
import type { BackupEvidence, DataEvidence } from "../model/data/data-evidence.ts";
import type { RetentionPolicy } from "../model/data/retention.ts";
import { backupDatabase, failedBackupEvidence } from "./backup.ts";
import { drillBackup } from "./drill.ts";
import { errorMessage } from "./errors.ts";
import type { DatabaseUrl } from "./pg/connection.ts";
import type { Reporter } from "./progress.ts";
import { pruneBackups } from "./prune.ts";

export interface ServeOptions {
  db: DatabaseUrl;
  location: string | undefined;
  backupCron: string | undefined;
  drillCron: string | undefined;
  policy: RetentionPolicy;
  filestoreDir: string | undefined;
  project: string | undefined;
  reporter: Reporter;
  onEvidence(evidence: DataEvidence): void | Promise<void>;
}

/**
 * The agent's resident mode on a host: on production it takes the scheduled backups (each followed by a
 * prune) and runs the monthly restore drill, reporting every result as evidence; elsewhere it only idles
 * so that remote commands can run inside its container. Schedules are cron expressions in UTC; a run
 * still going when the next one is due is not started twice.
 */
export function startServe(options: ServeOptions): { stop(): void } {
  const jobs: Cron[] = [];
  const location = options.location;
  if (options.backupCron && location)
    jobs.push(
      new Cron(options.backupCron, { timezone: "UTC", protect: true }, async () => {
        const attempt = {
          db: options.db,
          location,
          kind: "scheduled" as const,
          ...(options.project ? { project: options.project } : {}),
        };
        const started = new Date();
        // Any failure of the backup itself (bad filestore directory included) is a failed backup on record.
        const evidence: BackupEvidence = await backupDatabase({
          ...attempt,
          filestoreDir: options.filestoreDir,
          reporter: options.reporter,
        }).then(
          (taken) => taken.evidence,
          (error: unknown) => {
            options.reporter.info(`scheduled backup failed: ${errorMessage(error)}`);
            return failedBackupEvidence(attempt, started, error);
          },
        );
        await options.onEvidence(evidence);
        if (evidence.result !== "passed") return;
        // Pruning after a good backup is housekeeping: its failure is logged, the backup stays good.
        try {
          const pruned = await pruneBackups({
            location,
            database: options.db.id.database,
            policy: options.policy,
            dryRun: false,
            allowBelowMinimum: false,
            reporter: options.reporter,
          });
          options.reporter.info(`prune: ${pruned.deletedObjects} objects deleted`);
        } catch (error) {
          options.reporter.info(`prune after the scheduled backup failed: ${errorMessage(error)}`);
        }
      }),
    );
  if (options.drillCron && location)
    jobs.push(
      new Cron(options.drillCron, { timezone: "UTC", protect: true }, async () => {
        const evidence = await drillBackup({
          location,
          database: options.db.id.database,
          server: options.db,
          ...(options.project ? { project: options.project } : {}),
          reporter: options.reporter,
        });
        await options.onEvidence(evidence);
      }),
    );
  return {
    stop: () => {
      for (const job of jobs) job.stop();
    },
  };
}
