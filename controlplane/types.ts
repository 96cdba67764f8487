import type { Action } from "../model/governance/decision-rights.ts";
import type { GateId } from "../model/governance/gates.ts";
import type { MemberRole } from "../model/governance/personas.ts";
import type { Catalog } from "../model/input/catalog.ts";
import type { Stage } from "../model/stages.ts";
import type {
  DeploymentRunInput,
  DeploymentRunRecord,
  IncidentInput,
  IncidentRecord,
  PendingBuild,
  RollbackRecord,
} from "./deployment-records.ts";
import type { CatalogKeyRecord, ClaimRecord, WhoamiRecord } from "./identity-records.ts";
import type {
  AccessDecision,
  AuditEvent,
  BackupRecord,
  BuildKeyRecord,
  BuildRecord,
  CreatedBuildKey,
  Decision,
  DeploymentRecord,
  EvidenceRecord,
  ExceptionRecord,
  GateSignature,
  KeyedBuildRecord,
  ReleaseRecord,
  ReleaseStatusRecord,
  RestoreAccessDecision,
  RestoreDrillRecord,
  RestoreRequestRecord,
  RestoreRequestState,
} from "./records.ts";
import type { ProjectSyncInput, ProjectSyncResult } from "./sync-records.ts";

/**
 * The control plane as the CLI, CI and the data agent see it. Two adapters implement it over the same SQL
 * functions: `pg` (a direct connection; local use and the host agent) and `supabase-js` (`rpc`; CI).
 * Every rule is enforced by the database; a refusal arrives as a ControlPlaneError (errors.ts).
 */
export interface ControlPlane {
  // Automation (service role): facts from projects/*.yaml and the app repository's CI.
  /**
   * `branches` are the project's branch rules in YAML order (first match wins): the only source of a
   * branch's stage for recorded builds. Left out, the rules on record stay.
   */
  registerProject(input: {
    project: string;
    repo: string;
    requiredChecks?: string[];
    branches?: readonly { match: string; stage: Stage }[];
  }): Promise<void>;
  setMember(input: { project: string; userId: string; githubLogin: string; role: MemberRole }): Promise<void>;
  recordBuild(input: BuildInput): Promise<BuildRecord>;
  closeEnvironment(input: { project: string; branch: string }): Promise<void>;
  /** Every project of projects/*.yaml with its branch rules and members, in one transaction. */
  syncProjects(input: { projects: ProjectSyncInput[]; commit: string }): Promise<ProjectSyncResult[]>;

  // Build keys: what an app repository's CI records builds with instead of the service-role key.
  /** Release managers and SREs per decision rights; the answer carries the key, shown this once. */
  /** `purpose: "agent"`: a data agent's key for one stage (backups and drills), not builds. */
  createBuildKey(input: {
    project: string;
    stages: Stage[];
    label?: string;
    purpose?: "build" | "agent";
  }): Promise<CreatedBuildKey>;
  revokeBuildKey(input: { id: string }): Promise<BuildKeyRecord>;
  listBuildKeys(input: { project: string }): Promise<BuildKeyRecord[]>;
  /** As the app repository's CI does it: Supabase's anon key plus the build key of the project and stage. */
  recordBuildWithKey(input: BuildInput & { key: string }): Promise<KeyedBuildRecord>;

  // Release governance.
  createRelease(input: ReleaseRef & { build: string }): Promise<ReleaseRecord>;
  attachEvidence(input: ReleaseRef & { gate: GateId; evidence: EvidenceInput }): Promise<EvidenceRecord>;
  /** Attaches `evidence` and signs the gate in one transaction: all of it or none. */
  signGate(input: ReleaseRef & { gate: GateId; evidence?: EvidenceInput[] }): Promise<GateSignature>;
  approveRelease(input: ReleaseRef & { comment?: string }): Promise<ReleaseRecord>;
  /** A final no to a candidate, with a reason; the fix ships as a new release. */
  rejectRelease(input: ReleaseRef & { reason: string }): Promise<ReleaseRecord & { rejectedBy: string }>;
  recordDeployment(input: {
    project: string;
    branch: string;
    build: string;
    release?: string;
  }): Promise<DeploymentRecord>;
  /** After `pulumi up`: the build (in production the approved release) running `image`, once per change. */
  recordDeploymentRun(input: DeploymentRunInput): Promise<DeploymentRunRecord>;
  /** Scheduled reconcile (service role): staging and preview builds no deployment has put in place yet. */
  pendingBuilds(): Promise<PendingBuild[]>;
  /** A failed post-deploy check, linked to the environment's latest deployment. */
  openIncident(input: IncidentInput): Promise<IncidentRecord>;
  /** A person's rollback of production: from which image to which, and why (release.rollback). */
  recordRollback(input: {
    project: string;
    from: string;
    to: string;
    reason: string;
  }): Promise<RollbackRecord>;
  requestException(input: ExceptionRequest): Promise<ExceptionRecord>;
  approveException(input: { id: string; comment?: string }): Promise<ExceptionRecord>;
  rejectException(input: { id: string; comment?: string }): Promise<ExceptionRecord>;

  // Operations and data safety.
  requestAccess(input: { project: string; branch: string; action: Action }): Promise<AccessDecision>;
  /**
   * `odooops restore`: decision rights and, in production, an approved, unexpired, unused request for the
   * environment (and `backup`, when given), which the grant consumes. Audited either way.
   */
  requestRestoreAccess(input: {
    project: string;
    branch: string;
    backup?: string;
    request?: string;
  }): Promise<RestoreAccessDecision>;
  /** An SRE asks to restore a production backup; valid for two hours once approved by someone else. */
  requestRestore(input: {
    project: string;
    branch: string;
    backup: string;
    reason: string;
  }): Promise<RestoreRequestRecord>;
  /** A release manager other than the requester approves it (restore.approve). */
  approveRestore(input: { id: string }): Promise<RestoreRequestRecord>;
  /** Whoever may approve it says no to a pending request, with a reason; it can no longer be approved or used. */
  rejectRestore(input: { id: string; reason: string }): Promise<RestoreRequestRecord>;
  /** A project's restore requests as the caller may read them (data personas and auditors), oldest first. */
  listRestoreRequests(input: {
    project: string;
    state?: RestoreRequestState;
  }): Promise<RestoreRequestRecord[]>;
  recordBackup(input: BackupInput): Promise<BackupRecord>;
  recordRestoreDrill(input: RestoreDrillInput): Promise<RestoreDrillRecord>;
  /** The recorded backup stored at `location` (the newest such record), as the caller may see it. */
  findBackup(input: {
    project: string;
    location: string;
    agentKey?: string | undefined;
  }): Promise<BackupRecord>;

  // Signed-in members (odooops login / whoami).
  claimMemberships(): Promise<ClaimRecord>;
  whoami(): Promise<WhoamiRecord>;

  // Reads (row-level security applies).
  releaseStatus(input: ReleaseRef): Promise<ReleaseStatusRecord>;
  auditEvents(input: { project: string; release?: string; limit?: number }): Promise<AuditEvent[]>;
  catalog(projects?: string[]): Promise<Catalog>;
  /** Drift and preview: the catalog with Supabase's anon key plus a catalog key, and nothing else. */
  catalogWithKey(key: string, projects?: string[]): Promise<Catalog>;
  /** Service role only: a key that reads the catalog (shown once), and its revocation. */
  createCatalogKey(input: { label: string }): Promise<CatalogKeyRecord>;
  revokeCatalogKey(input: { id: string }): Promise<CatalogKeyRecord>;
  can(input: { project: string; action: Action; stage: Stage }): Promise<Decision>;

  close(): Promise<void>;
}

export interface ReleaseRef {
  project: string;
  release: string;
}

export interface EvidenceInput {
  kind: string;
  uri: string;
  summary?: string;
  sha256?: string;
}

export interface BuildInput {
  project: string;
  branch: string;
  stage: Stage;
  /** CI's build id, e.g. b-1042. */
  build: string;
  image: string;
  commit: string;
  checks?: Record<string, "success" | "failure" | "pending">;
  builtAt?: string;
  author?: string;
  logUri?: string;
}

export interface ExceptionRequest extends ReleaseRef {
  type: string;
  rationale: string;
  risk: string;
  gates: GateId[];
  /** ISO 8601 time; exceptions authorize nothing after it. */
  expiresAt: string;
  reviewRequired: boolean;
}

/**
 * A data agent's own credential (ops.build_keys, purpose agent): with it, the agent's records go through
 * the *_with_key functions as anon instead of the service role; unset, the caller's own rights apply.
 */
export interface AgentKeyed {
  agentKey?: string | undefined;
}

export interface BackupInput extends AgentKeyed {
  project: string;
  branch: string;
  kind: "scheduled" | "manual" | "pre_deploy";
  status: "succeeded" | "failed";
  location: string;
  startedAt: string;
  finishedAt: string;
  sizeBytes?: number;
  sha256?: string;
  details?: Record<string, unknown>;
}

export interface RestoreDrillInput extends AgentKeyed {
  /** The backup's project; needed with an agent key (the key belongs to one project). */
  project?: string;
  backupId: string;
  result: "passed" | "failed";
  /** Each success criterion and whether it was met (seed 001 FR-5). */
  criteria: Record<string, boolean>;
  logUri: string;
  drilledAt: string;
  durationSeconds?: number;
}

/** How a request reaches the database: a named SQL function in schema `ops` with named arguments. */
export interface RpcTransport {
  call(fn: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}
