import { z } from "zod";
import { AGENT_KEY_PATTERN, BUILD_KEY_PATTERN } from "../model/governance/build-keys.ts";
import { GATE_IDS } from "../model/governance/gates.ts";
import { MEMBER_ROLES } from "../model/governance/personas.ts";
import { RELEASE_STATUSES } from "../model/governance/release-rules.ts";
import { STAGES } from "../model/stages.ts";

/**
 * What the control plane's functions return, validated at the boundary: a client built against another
 * schema version fails here with a clear message instead of carrying malformed data onwards.
 */
const time = z.string().min(1);
const stage = z.enum(STAGES);
const gate = z.enum(GATE_IDS);

/** What a production restore request is now (ops.restore_request_states()). */
export const RESTORE_REQUEST_STATES = ["pending", "approved", "rejected", "consumed", "expired"] as const;
export type RestoreRequestState = (typeof RESTORE_REQUEST_STATES)[number];

export const releaseRecord = z.object({
  id: z.string(),
  release: z.string(),
  status: z.enum(RELEASE_STATUSES),
  createdBy: z.string(),
  createdAt: time,
});

export const buildRecord = z.object({
  id: z.string(),
  project: z.string(),
  branch: z.string(),
  stage,
  image: z.string(),
  commit: z.string(),
  checks: z.record(z.string(), z.string()),
  g1Evidence: z.array(z.string()),
});

/** A build recorded with a build key names the key (ops.record_build_with_key). */
export const keyedBuildRecord = buildRecord.extend({ recordedWith: z.string() });

/** A build key as anyone who may see it reads it: never the key, never its hash. */
export const buildKeyRecord = z.object({
  id: z.string(),
  purpose: z.enum(["build", "agent"]),
  project: z.string(),
  stages: z.array(stage),
  label: z.string().nullable(),
  createdBy: z.string(),
  createdAt: time,
  revokedBy: z.string().nullable(),
  revokedAt: time.nullable(),
  active: z.boolean(),
});

/** The answer of ops.create_build_key: the only time the key itself is shown. */
export const createdBuildKey = buildKeyRecord.extend({
  key: z.union([z.string().regex(BUILD_KEY_PATTERN), z.string().regex(AGENT_KEY_PATTERN)]),
});

export const evidenceRecord = z.object({
  id: z.string(),
  gate,
  kind: z.string(),
  uri: z.string(),
  stage,
});

export const gateSignature = z.object({
  release: z.string(),
  gate,
  stage,
  outcome: z.enum(["passed", "excepted"]),
  signedBy: z.string(),
  exception: z.string().nullable(),
  nextGate: gate.nullable(),
});

export const exceptionRecord = z.object({
  id: z.string(),
  release: z.string(),
  type: z.string(),
  rationale: z.string(),
  risk: z.string(),
  gates: z.array(gate),
  expiresAt: time,
  reviewRequired: z.boolean(),
  status: z.enum(["requested", "approved", "rejected", "revoked"]),
  requestedBy: z.string(),
  requestedAt: time,
  approver: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: time.nullable(),
  active: z.boolean(),
});

export const deploymentRecord = z.object({
  project: z.string(),
  branch: z.string(),
  stage,
  build: z.string(),
  release: z.string().nullable(),
  deployedBy: z.string(),
});

export const accessDecision = z.object({
  allowed: z.boolean(),
  reason: z.string(),
  role: z.string().nullable(),
  action: z.string(),
  stage,
  branch: z.string(),
});

/** A restore's access decision: in production also the approved request it consumed and its backup. */
export const restoreAccessDecision = accessDecision.extend({
  backup: z.string().nullable(),
  request: z.string().nullable(),
});

export const restoreRequestRecord = z.object({
  id: z.string(),
  project: z.string(),
  branch: z.string(),
  stage,
  backup: z.string(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: time,
  expiresAt: time,
  approvedBy: z.string().nullable(),
  approvedAt: time.nullable(),
  consumedBy: z.string().nullable(),
  consumedAt: time.nullable(),
  rejectedBy: z.string().nullable(),
  rejectedAt: time.nullable(),
  rejectReason: z.string().nullable(),
  /** Derived by the control plane when it answers (ops.restore_request_state). */
  state: z.enum(RESTORE_REQUEST_STATES),
});

export const backupRecord = z.object({
  id: z.string(),
  project: z.string(),
  branch: z.string(),
  stage,
  kind: z.string(),
  status: z.enum(["succeeded", "failed"]),
  location: z.string(),
  finishedAt: time,
});

export const restoreDrillRecord = z.object({
  id: z.string(),
  backup: z.string(),
  result: z.enum(["passed", "failed"]),
  criteria: z.record(z.string(), z.boolean()),
  drilledAt: time,
});

const gateStatus = z.object({
  gate,
  name: z.string(),
  stage,
  outcome: z.enum(["passed", "excepted", "missing"]),
  signedBy: z.string().nullable(),
  signedAt: time.nullable(),
  exception: z.string().nullable(),
  required: z.array(z.string()),
  present: z.array(z.string()),
  missing: z.array(z.string()),
});

export const releaseStatus = releaseRecord.extend({
  project: z.string(),
  build: z.object({
    id: z.string(),
    image: z.string(),
    commit: z.string(),
    branch: z.string(),
    stage,
    builtAt: time,
    checks: z.record(z.string(), z.string()),
    author: z.string().nullable(),
  }),
  gates: z.array(gateStatus),
  nextGate: gate.nullable(),
  evidence: z.array(
    z.object({ gate, kind: z.string(), uri: z.string(), attachedBy: z.string(), attachedAt: time }),
  ),
  exceptions: z.array(exceptionRecord.omit({ release: true })),
  approvals: z.array(
    z.object({
      decision: z.enum(["approved", "rejected"]),
      approver: z.string(),
      exception: z.string().nullable(),
      comment: z.string().nullable(),
      decidedAt: time,
    }),
  ),
  deployments: z.array(z.object({ branch: z.string(), stage, deployedBy: z.string(), deployedAt: time })),
});

export const auditEvent = z.object({
  id: z.number(),
  occurredAt: time,
  actor: z.string(),
  actorRole: z.string(),
  action: z.string(),
  stage: stage.nullable(),
  release: z.string().nullable(),
  subject: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const decision = z.object({
  role: z.union([z.enum(MEMBER_ROLES), z.literal("service_role")]).nullable(),
  allowed: z.boolean(),
  reason: z.string(),
});

export type ReleaseRecord = z.output<typeof releaseRecord>;
export type BuildRecord = z.output<typeof buildRecord>;
export type KeyedBuildRecord = z.output<typeof keyedBuildRecord>;
export type BuildKeyRecord = z.output<typeof buildKeyRecord>;
export type CreatedBuildKey = z.output<typeof createdBuildKey>;
export type EvidenceRecord = z.output<typeof evidenceRecord>;
export type GateSignature = z.output<typeof gateSignature>;
export type ExceptionRecord = z.output<typeof exceptionRecord>;
export type DeploymentRecord = z.output<typeof deploymentRecord>;
export type AccessDecision = z.output<typeof accessDecision>;
export type RestoreAccessDecision = z.output<typeof restoreAccessDecision>;
export type RestoreRequestRecord = z.output<typeof restoreRequestRecord>;
export type BackupRecord = z.output<typeof backupRecord>;
export type RestoreDrillRecord = z.output<typeof restoreDrillRecord>;
export type ReleaseStatusRecord = z.output<typeof releaseStatus>;
export type AuditEvent = z.output<typeof auditEvent>;
export type Decision = z.output<typeof decision>;
