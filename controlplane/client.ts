import { z } from "zod";
import { type Catalog, catalogSchema } from "../model/input/catalog.ts";
import { deploymentRunRecord, incidentRecord, pendingBuild, rollbackRecord } from "./deployment-records.ts";
import { ControlPlaneError } from "./errors.ts";
import { catalogKeyRecord, claimRecord, whoamiRecord } from "./identity-records.ts";
import * as records from "./records.ts";
import { projectSyncResult } from "./sync-records.ts";
import type { BuildInput, ControlPlane, RpcTransport } from "./types.ts";

/** Drops undefined arguments so the SQL function's defaults apply, as PostgREST does for absent keys. */
function args(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

function buildArgs(i: BuildInput): Record<string, unknown> {
  return {
    p_project: i.project,
    p_branch: i.branch,
    p_stage: i.stage,
    p_build: i.build,
    p_image: i.image,
    p_commit: i.commit,
    p_checks: i.checks,
    p_built_at: i.builtAt,
    p_author_login: i.author,
    p_log_uri: i.logUri,
  };
}

/**
 * ControlPlane over any RpcTransport: maps each method to its SQL function and validates the answer.
 * It translates; it never re-checks a rule the database enforces.
 */
export class RpcControlPlane implements ControlPlane {
  constructor(private readonly transport: RpcTransport) {}

  private async call<S extends z.ZodType>(fn: string, input: Record<string, unknown>, schema: S) {
    const result = await this.transport.call(fn, args(input));
    const parsed = schema.safeParse(result);
    if (parsed.success) return parsed.data as z.output<S>;
    throw new ControlPlaneError(
      "unexpected",
      "",
      `ops.${fn} answered in an unexpected shape (${parsed.error.issues[0]?.message ?? "invalid"})`,
      "the database schema and this client differ in version; apply supabase/migrations",
    );
  }

  private async run(fn: string, input: Record<string, unknown>): Promise<void> {
    await this.transport.call(fn, args(input));
  }

  registerProject: ControlPlane["registerProject"] = (i) =>
    this.run("register_project", {
      p_name: i.project,
      p_repo: i.repo,
      p_required_checks: i.requiredChecks,
      p_branches: i.branches?.map(({ match, stage }) => ({ match, stage })),
    });

  setMember: ControlPlane["setMember"] = (i) =>
    this.run("set_member", {
      p_project: i.project,
      p_user_id: i.userId,
      p_github_login: i.githubLogin,
      p_role: i.role,
    });

  syncProjects: ControlPlane["syncProjects"] = (i) =>
    this.call("sync_projects", { p_projects: i.projects, p_commit: i.commit }, projectSyncResult.array());

  recordBuild: ControlPlane["recordBuild"] = (i) =>
    this.call("record_build", buildArgs(i), records.buildRecord);

  recordBuildWithKey: ControlPlane["recordBuildWithKey"] = ({ key, ...build }) =>
    this.call("record_build_with_key", { p_key: key, ...buildArgs(build) }, records.keyedBuildRecord);

  createBuildKey: ControlPlane["createBuildKey"] = (i) =>
    this.call(
      "create_build_key",
      { p_project: i.project, p_stages: i.stages, p_label: i.label, p_purpose: i.purpose },
      records.createdBuildKey,
    );

  revokeBuildKey: ControlPlane["revokeBuildKey"] = (i) =>
    this.call("revoke_build_key", { p_id: i.id }, records.buildKeyRecord);

  listBuildKeys: ControlPlane["listBuildKeys"] = (i) =>
    this.call("list_build_keys", { p_project: i.project }, records.buildKeyRecord.array());

  closeEnvironment: ControlPlane["closeEnvironment"] = (i) =>
    this.run("close_environment", { p_project: i.project, p_branch: i.branch });

  createRelease: ControlPlane["createRelease"] = (i) =>
    this.call(
      "create_release",
      { p_project: i.project, p_release: i.release, p_build: i.build },
      records.releaseRecord,
    );

  attachEvidence: ControlPlane["attachEvidence"] = (i) =>
    this.call(
      "attach_evidence",
      {
        p_project: i.project,
        p_release: i.release,
        p_gate: i.gate,
        p_kind: i.evidence.kind,
        p_uri: i.evidence.uri,
        p_summary: i.evidence.summary,
        p_sha256: i.evidence.sha256,
      },
      records.evidenceRecord,
    );

  signGate: ControlPlane["signGate"] = (i) =>
    this.call(
      "sign_gate",
      { p_project: i.project, p_release: i.release, p_gate: i.gate, p_evidence: i.evidence ?? [] },
      records.gateSignature,
    );

  approveRelease: ControlPlane["approveRelease"] = (i) =>
    this.call(
      "approve_release",
      { p_project: i.project, p_release: i.release, p_comment: i.comment },
      records.releaseRecord,
    );

  rejectRelease: ControlPlane["rejectRelease"] = (i) =>
    this.call(
      "reject_release",
      { p_project: i.project, p_release: i.release, p_reason: i.reason },
      records.releaseRecord.extend({ rejectedBy: z.string() }),
    );

  recordDeployment: ControlPlane["recordDeployment"] = (i) =>
    this.call(
      "record_deployment",
      { p_project: i.project, p_branch: i.branch, p_build: i.build, p_release: i.release },
      records.deploymentRecord,
    );

  recordDeploymentRun: ControlPlane["recordDeploymentRun"] = (i) =>
    this.call(
      "record_deployment_run",
      { p_project: i.project, p_branch: i.branch, p_image: i.image, p_commit: i.commit, p_run_url: i.runUrl },
      deploymentRunRecord,
    );

  pendingBuilds = () => this.call("pending_builds", {}, pendingBuild.array());

  openIncident: ControlPlane["openIncident"] = (i) =>
    this.call(
      "open_incident",
      { p_project: i.project, p_branch: i.branch, p_summary: i.summary, p_details: i.details },
      incidentRecord,
    );

  recordRollback: ControlPlane["recordRollback"] = (i) =>
    this.call(
      "record_rollback",
      { p_project: i.project, p_from_image: i.from, p_to_image: i.to, p_reason: i.reason },
      rollbackRecord,
    );

  requestException: ControlPlane["requestException"] = (i) =>
    this.call(
      "request_exception",
      {
        p_project: i.project,
        p_release: i.release,
        p_type: i.type,
        p_rationale: i.rationale,
        p_risk: i.risk,
        p_gates: i.gates,
        p_expires_at: i.expiresAt,
        p_review_required: i.reviewRequired,
      },
      records.exceptionRecord,
    );

  approveException: ControlPlane["approveException"] = (i) =>
    this.call("approve_exception", { p_id: i.id, p_comment: i.comment }, records.exceptionRecord);

  rejectException: ControlPlane["rejectException"] = (i) =>
    this.call("reject_exception", { p_id: i.id, p_comment: i.comment }, records.exceptionRecord);

  requestAccess: ControlPlane["requestAccess"] = (i) =>
    this.call(
      "request_access",
      { p_project: i.project, p_branch: i.branch, p_action: i.action },
      records.accessDecision,
    );

  requestRestoreAccess: ControlPlane["requestRestoreAccess"] = (i) =>
    this.call(
      "request_restore_access",
      { p_project: i.project, p_branch: i.branch, p_backup: i.backup, p_request: i.request },
      records.restoreAccessDecision,
    );

  requestRestore: ControlPlane["requestRestore"] = (i) =>
    this.call(
      "request_restore",
      { p_project: i.project, p_branch: i.branch, p_backup: i.backup, p_reason: i.reason },
      records.restoreRequestRecord,
    );

  approveRestore: ControlPlane["approveRestore"] = (i) =>
    this.call("approve_restore", { p_id: i.id }, records.restoreRequestRecord);

  rejectRestore: ControlPlane["rejectRestore"] = (i) =>
    this.call("reject_restore", { p_id: i.id, p_reason: i.reason }, records.restoreRequestRecord);

  listRestoreRequests: ControlPlane["listRestoreRequests"] = (i) =>
    this.call(
      "list_restore_requests",
      { p_project: i.project, p_state: i.state },
      records.restoreRequestRecord.array(),
    );

  // With an agent key (a data agent, as anon), the same records go through the key's own functions.
  recordBackup: ControlPlane["recordBackup"] = (i) =>
    this.call(
      i.agentKey ? "record_backup_with_key" : "record_backup",
      {
        p_key: i.agentKey,
        p_project: i.project,
        p_branch: i.branch,
        p_kind: i.kind,
        p_status: i.status,
        p_location: i.location,
        p_started_at: i.startedAt,
        p_finished_at: i.finishedAt,
        p_size_bytes: i.sizeBytes,
        p_sha256: i.sha256,
        p_details: i.details,
      },
      records.backupRecord,
    );

  recordRestoreDrill: ControlPlane["recordRestoreDrill"] = (i) =>
    this.call(
      i.agentKey ? "record_restore_drill_with_key" : "record_restore_drill",
      {
        ...(i.agentKey ? { p_key: i.agentKey, p_project: i.project } : {}),
        p_backup: i.backupId,
        p_result: i.result,
        p_criteria: i.criteria,
        p_log_uri: i.logUri,
        p_drilled_at: i.drilledAt,
        p_duration_seconds: i.durationSeconds,
      },
      records.restoreDrillRecord,
    );

  findBackup: ControlPlane["findBackup"] = (i) =>
    this.call(
      i.agentKey ? "find_backup_with_key" : "find_backup",
      { p_key: i.agentKey, p_project: i.project, p_location: i.location },
      records.backupRecord,
    );

  claimMemberships = () => this.call("claim_memberships", {}, claimRecord);

  whoami = () => this.call("whoami", {}, whoamiRecord);

  releaseStatus: ControlPlane["releaseStatus"] = (i) =>
    this.call("release_status", { p_project: i.project, p_release: i.release }, records.releaseStatus);

  auditEvents: ControlPlane["auditEvents"] = (i) =>
    this.call(
      "audit_log",
      { p_project: i.project, p_release: i.release, p_limit: i.limit },
      records.auditEvent.array(),
    );

  catalog = (projects?: string[]): Promise<Catalog> =>
    this.call("catalog", { p_projects: projects }, catalogSchema);

  catalogWithKey = (key: string, projects?: string[]): Promise<Catalog> =>
    this.call("catalog_with_key", { p_key: key, p_projects: projects }, catalogSchema);

  createCatalogKey: ControlPlane["createCatalogKey"] = (i) =>
    this.call("create_catalog_key", { p_label: i.label }, catalogKeyRecord);

  revokeCatalogKey: ControlPlane["revokeCatalogKey"] = (i) =>
    this.call("revoke_catalog_key", { p_id: i.id }, catalogKeyRecord);

  can: ControlPlane["can"] = (i) =>
    this.call("can", { p_project: i.project, p_action: i.action, p_stage: i.stage }, records.decision);

  close = (): Promise<void> => this.transport.close();
}
