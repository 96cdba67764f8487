import { type Action, authorize } from "./decision-rights.ts";
import type { GateId } from "./gates.ts";
import type { MemberRole } from "./personas.ts";
import type { Stage } from "./stages.ts";

/**
 * Where each gate is decided. That stage selects the decision-rights cell that applies when the gate is
 * signed, when evidence for it is attached and when an exception covering it is requested or approved:
 * G1 where the build's branch lives (a feature build is checked in development, a `main` build in
 * production), G2 in staging (QA acceptance), G3 and G4 in production (promotion, post-deploy).
 * The control plane's SQL is generated from this table (scripts/generate-controlplane-rules.ts).
 */
export const GATE_STAGE: Readonly<Record<GateId, Stage | "build">> = {
  G1: "build",
  G2: "staging",
  G3: "production",
  G4: "production",
};

/**
 * What the platform's automation (CI and the host agent, acting as Supabase's service role) may do
 * without a persona: record facts it produces itself. Human judgement (G2–G4, exceptions, approvals,
 * promotion, shell access) is never automated.
 */
export const AUTOMATION_ACTIONS: readonly Action[] = [
  "deploy",
  "gate.sign.G1",
  "evidence.attach",
  "backup.run",
  "restore.drill",
  "environment.destroy",
];

/**
 * Actions that happen outside the control plane (a shell, a log stream, a restore, a rollback) but are
 * authorized and audited by it: the CLI asks before it acts, and the answer is recorded either way.
 */
export const ACCESS_ACTIONS: readonly Action[] = [
  "logs.read",
  "shell.open",
  "backup.restore",
  "environment.keep",
  "release.rollback",
];

/** A release is a build on its way to production: candidate → approved → deployed → closed (G4). */
export const RELEASE_STATUSES = ["candidate", "approved", "deployed", "closed"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** Backup and restore-drill records of a stage are read by whoever may take one of these actions there. */
export const DATA_RECORD_ACTIONS: readonly Action[] = ["backup.run", "backup.restore", "restore.drill"];

/** The auditor reads everything; other personas read data records of the stages they operate on. */
export function mayReadDataRecords(role: MemberRole, stage: Stage): boolean {
  return role === "auditor" || DATA_RECORD_ACTIONS.some((action) => authorize(role, action, stage).allowed);
}
