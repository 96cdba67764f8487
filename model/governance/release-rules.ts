import type { Stage } from "../stages.ts";
import { type Action, type Authorization, authorize, DECISION_RIGHTS } from "./decision-rights.ts";
import type { GateId } from "./gates.ts";
import type { MemberRole } from "./personas.ts";

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
 * What automation may do in a stage: one of AUTOMATION_ACTIONS, and only where the decision-rights table
 * lets someone take that action. Stage rules bind automation too: nobody closes production, so CI cannot
 * either. The control plane mirrors this in ops.automation_refusal (a parity test compares every cell).
 */
export function authorizeAutomation(action: Action, stage: Stage): Authorization {
  if (!AUTOMATION_ACTIONS.includes(action))
    return {
      allowed: false,
      reason: `the service role may not ${action} in ${stage}: that decision needs a person`,
    };
  if ((DECISION_RIGHTS[action][stage] ?? []).length === 0)
    return {
      allowed: false,
      reason: `the service role may not ${action} in ${stage}: nobody may ${action} in ${stage}`,
    };
  return { allowed: true, reason: `the service role may ${action} in ${stage}` };
}

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
