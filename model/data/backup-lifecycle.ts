/**
 * Lifecycle rules of a project's backup bucket. The agent prunes backups by grandfather-father-son
 * retention; the bucket's own rules are only a backstop that can never remove what the retention
 * keeps: objects expire a month after the oldest monthly backup retention could still want.
 */
export interface Retention {
  daily: number;
  weekly: number;
  monthly: number;
}

export interface LifecycleRule {
  id: string;
  prefix: string;
  expirationDays: number | undefined;
  noncurrentVersionDays: number | undefined;
  abortIncompleteUploadDays: number | undefined;
}

const DAYS_PER_MONTH = 31;

/** Days after which no retention rule can still keep a backup. */
export function retentionHorizonDays(r: Retention): number {
  return Math.max(r.daily, r.weekly * 7, r.monthly * DAYS_PER_MONTH);
}

export function backupLifecycle(prefix: string, retention: Retention): LifecycleRule[] {
  return [
    {
      id: "backstop-expiry",
      prefix,
      expirationDays: retentionHorizonDays(retention) + DAYS_PER_MONTH,
      // Versioning keeps a deleted or overwritten backup recoverable for a week.
      noncurrentVersionDays: 7,
      abortIncompleteUploadDays: 1,
    },
  ];
}
