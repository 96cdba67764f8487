import { z } from "zod";
import { BACKUP_KINDS } from "./backup-record.ts";

/**
 * Evidence the data agent produces for the control plane: every backup and every restore drill leaves a
 * record of what was done, when, how big, how long, and whether it worked (seed 000: "Backup/Restore
 * drill: drill log, restore result, success criteria met"). The agent prints it (`--json`) and writes it
 * to `--evidence-file`; the control plane stores it as is.
 */

const isoTime = z.iso.datetime({ offset: true });

export const checkResultSchema = z.strictObject({
  name: z.string().min(1),
  ok: z.boolean(),
  detail: z.string(),
});
export type CheckResult = z.output<typeof checkResultSchema>;

const common = {
  project: z.string().optional(),
  database: z.string().min(1),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: z.int().nonnegative(),
  agentVersion: z.string(),
};

export const backupEvidenceSchema = z.strictObject({
  kind: z.literal("backup"),
  ...common,
  backupKind: z.enum(BACKUP_KINDS),
  location: z.string().min(1),
  /** The stored backup; absent when the backup failed and nothing was stored. */
  name: z.string().min(1).optional(),
  sizeBytes: z.int().nonnegative(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  result: z.enum(["passed", "failed"]),
  error: z.string().optional(),
});
export type BackupEvidence = z.output<typeof backupEvidenceSchema>;

export const drillEvidenceSchema = z.strictObject({
  kind: z.literal("restore-drill"),
  ...common,
  location: z.string().min(1),
  /** The backup that was restored; absent when none could be found. */
  backup: z.string().optional(),
  backupTakenAt: isoTime.optional(),
  sizeBytes: z.int().nonnegative(),
  result: z.enum(["passed", "failed"]),
  checks: z.array(checkResultSchema),
});
export type DrillEvidence = z.output<typeof drillEvidenceSchema>;

export const dataEvidenceSchema = z.discriminatedUnion("kind", [backupEvidenceSchema, drillEvidenceSchema]);
export type DataEvidence = z.output<typeof dataEvidenceSchema>;
