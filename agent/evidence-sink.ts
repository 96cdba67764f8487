import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import { controlPlaneConfigFromEnv, openControlPlane } from "../controlplane/connection.ts";
import { ControlPlaneError, redactUrl } from "../controlplane/errors.ts";
import type { BackupRecord } from "../controlplane/records.ts";
import type { ControlPlane } from "../controlplane/types.ts";
import { compactTimestamp } from "../model/data/backup-record.ts";
import {
  type BackupEvidence,
  type DataEvidence,
  type DrillEvidence,
  dataEvidenceSchema,
} from "../model/data/data-evidence.ts";
import { AGENT_KEY_PATTERN } from "../model/governance/build-keys.ts";
import { AgentInputError, errorMessage } from "./errors.ts";
import { openStore } from "./storage/open.ts";
import { parseLocation } from "./storage/store.ts";

/**
 * Sends the agent's evidence (model/data/data-evidence.ts) to the control plane: backups through
 * ops.record_backup, restore drills through ops.record_restore_drill. The control plane is configured as
 * for every other command (controlplane/connection.ts, environment only). On a host the agent holds no
 * service-role key: Supabase's public anon key plus its own agent key (ODOOOPS_AGENT_KEY, one project and
 * stage), with which it may record exactly its backups, failed backups and drills (the *_with_key
 * functions, supabase/migrations *_build_keys.sql). Recording never throws: the caller has already printed or written the evidence, and a
 * control plane that is down or refuses must not lose it, only be reported.
 */

/** What the control plane did with one evidence record. */
export type ControlPlaneOutcome =
  | { status: "recorded"; id: string; detail: string }
  /** Only with `unlessRecorded`: the control plane already holds this backup's record; nothing was sent. */
  | { status: "already-recorded"; id: string; detail: string }
  | { status: "not-configured"; detail: string }
  | { status: "failed"; detail: string };

export interface EvidenceSink {
  /** Where evidence goes, without credentials; undefined when no control plane is configured. */
  readonly where: string | undefined;
  record(evidence: DataEvidence, options?: RecordOptions): Promise<ControlPlaneOutcome>;
  close(): Promise<void>;
}

export interface RecordOptions {
  /**
   * Evidence recorded later (`odooops agent evidence record`) may have been recorded already, and
   * ops.record_backup inserts a new row every time: look the backup up first (ops.find_backup, by the
   * location it was stored at, same finish time) and send nothing when it is there. Drills have no such
   * lookup and are always sent.
   */
  unlessRecorded?: boolean;
}

export interface EvidenceSinkOptions {
  project: string | undefined;
  /** The environment's branch (ODOOOPS_BRANCH on a host): the control plane records backups per environment. */
  branch: string | undefined;
  /** Whether backups will be recorded, so a missing branch is caught before any work is done. */
  recordsBackups: boolean;
  /** Acting member (--as / ODOOOPS_ACTOR, direct connection only); the service role without one. */
  actor: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export const NOT_CONFIGURED =
  "not configured, evidence not recorded there (set SUPABASE_URL, SUPABASE_KEY and ODOOOPS_AGENT_KEY, or ODOOOPS_CONTROL_PLANE_URL)";

/** The agent's own key, from the environment only; its value is never echoed. */
function agentKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  const key = env.ODOOOPS_AGENT_KEY;
  if (!key) return undefined;
  if (!AGENT_KEY_PATTERN.test(key))
    throw new AgentInputError(
      "control plane: ODOOOPS_AGENT_KEY is not an agent key (odooops_ak_ and 43 characters, from odooops build-key create --agent)",
    );
  return key;
}

const name = (what: string) =>
  z
    .string()
    .regex(/^[^\s]{1,255}$/, { error: `${what} must be 1 to 255 characters without spaces` })
    .optional();
const targetSchema = z.object({ project: name("the project"), branch: name("the branch") });

/**
 * Opens the sink the environment configures. Configuration mistakes (a malformed URL, evidence that could
 * not say which project or environment it is about) are input errors, raised before any work starts.
 */
export function openEvidenceSink(options: EvidenceSinkOptions): EvidenceSink {
  const found = controlPlaneConfigFromEnv(options.env);
  if (found.problem) throw new AgentInputError(`control plane: ${found.problem}`);
  const agentKey = agentKeyFrom(options.env ?? process.env);
  if (!found.config)
    return {
      where: undefined,
      record: async () => ({ status: "not-configured", detail: NOT_CONFIGURED }),
      close: async () => undefined,
    };
  const target = targetSchema.safeParse({ project: options.project, branch: options.branch });
  if (!target.success) throw new AgentInputError(`control plane: ${target.error.issues[0]!.message}`);
  const { project, branch } = target.data;
  if (!project)
    throw new AgentInputError(
      "the control plane records evidence per project: pass --project or set ODOOOPS_PROJECT",
    );
  if (options.recordsBackups && !branch)
    throw new AgentInputError(
      "the control plane records backups per environment: pass --branch or set ODOOOPS_BRANCH (e.g. main)",
    );
  let controlPlane: ControlPlane;
  try {
    controlPlane = openControlPlane(found.config, options.actor, agentKey !== undefined);
  } catch (error) {
    if (error instanceof ControlPlaneError) throw new AgentInputError(`control plane: ${error.describe()}`);
    throw error;
  }
  return {
    where: redactUrl(found.config.url),
    record: async (evidence, recordOptions) => {
      try {
        const checked = dataEvidenceSchema.safeParse(evidence);
        if (!checked.success)
          return { status: "failed", detail: `not an evidence record: ${checked.error.issues[0]?.message}` };
        const parsed = checked.data;
        const about = parsed.project ?? project;
        const target = { project: about, agentKey };
        return parsed.kind === "backup"
          ? await recordBackup(controlPlane, parsed, target, branch, recordOptions?.unlessRecorded ?? false)
          : await recordDrill(controlPlane, parsed, target);
      } catch (error) {
        const detail = error instanceof ControlPlaneError ? error.describe() : errorMessage(error);
        return { status: "failed", detail };
      }
    },
    close: () => controlPlane.close(),
  };
}

/**
 * The URI of an object in a backup location, as the control plane stores it: `s3://bucket/prefix/name`,
 * or a `file://` URL for a directory (the control plane accepts URIs only). The same backup gets the same
 * URI from the backup and from a later drill, which is how a drill finds the backup's record.
 */
export function objectUri(location: string, object: string): string {
  const parsed = parseLocation(location);
  if (parsed.kind === "s3") return `s3://${parsed.bucket}/${parsed.prefix}${object}`;
  const href = pathToFileURL(resolve(parsed.path, ...object.split("/").filter(Boolean))).href;
  return object ? href : `${href.replace(/\/+$/, "")}/`;
}

/** Whose evidence it is, and the agent key to record it with (the caller's own rights without one). */
interface Target {
  project: string;
  agentKey: string | undefined;
}

async function recordBackup(
  controlPlane: ControlPlane,
  evidence: BackupEvidence,
  { project, agentKey }: Target,
  branch: string | undefined,
  unlessRecorded: boolean,
): Promise<ControlPlaneOutcome> {
  if (!branch) return { status: "failed", detail: "no branch: pass --branch or set ODOOOPS_BRANCH" };
  const stored = evidence.name !== undefined;
  // A failed backup stored nothing: its record points at the location it was meant for.
  const location = objectUri(evidence.location, stored ? `${evidence.name}.zip` : "");
  if (unlessRecorded) {
    const existing = await recordedBackup(controlPlane, { project, agentKey }, location);
    if (existing && Date.parse(existing.finishedAt) === Date.parse(evidence.finishedAt))
      return {
        status: "already-recorded",
        id: existing.id,
        detail: `backup already recorded as ${existing.id} (${existing.project} ${existing.branch}, ${existing.stage}), not sent again`,
      };
  }
  const recorded = await controlPlane.recordBackup({
    agentKey,
    project,
    branch,
    kind: evidence.backupKind === "pre-deploy" ? "pre_deploy" : evidence.backupKind,
    status: evidence.result === "passed" ? "succeeded" : "failed",
    location,
    startedAt: evidence.startedAt,
    finishedAt: evidence.finishedAt,
    ...(stored ? { sizeBytes: evidence.sizeBytes } : {}),
    ...(evidence.sha256 ? { sha256: evidence.sha256 } : {}),
    details: {
      database: evidence.database,
      agentVersion: evidence.agentVersion,
      durationMs: evidence.durationMs,
      ...(evidence.name ? { name: evidence.name } : {}),
      ...(evidence.error ? { error: evidence.error } : {}),
    },
  });
  return {
    status: "recorded",
    id: recorded.id,
    detail: `backup recorded as ${recorded.id} (${project} ${branch}, ${recorded.stage})`,
  };
}

/**
 * The newest record of the backup at `location`, or undefined when there is none the caller can see (a
 * caller who may not see it may not record it either, which record_backup then says).
 */
async function recordedBackup(
  controlPlane: ControlPlane,
  target: Target,
  location: string,
): Promise<BackupRecord | undefined> {
  try {
    return await controlPlane.findBackup({ ...target, location });
  } catch (error) {
    if (error instanceof ControlPlaneError && error.kind === "not_found") return undefined;
    throw error;
  }
}

/** Check name → met; a criterion checked twice is met only if it passed both times. */
function criteria(evidence: DrillEvidence): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const check of evidence.checks) out[check.name] = (out[check.name] ?? true) && check.ok;
  return out;
}

async function recordDrill(
  controlPlane: ControlPlane,
  evidence: DrillEvidence,
  target: Target,
): Promise<ControlPlaneOutcome> {
  if (!evidence.backup)
    return {
      status: "failed",
      detail: `the drill found no backup in ${evidence.location}; the control plane records drills of recorded backups only`,
    };
  const backup = await controlPlane.findBackup({
    ...target,
    location: objectUri(evidence.location, `${evidence.backup}.zip`),
  });
  // The record keeps criteria and a log URI; the full evidence (every check's detail) is stored next to
  // the backups, in the project's own bucket, and the record points at it.
  const log = `drills/${evidence.database}/${compactTimestamp(new Date(evidence.startedAt))}.json`;
  await (await openStore(evidence.location)).putText(log, `${JSON.stringify(evidence, null, 2)}\n`);
  const drill = await controlPlane.recordRestoreDrill({
    ...target,
    backupId: backup.id,
    result: evidence.result,
    criteria: criteria(evidence),
    logUri: objectUri(evidence.location, log),
    drilledAt: evidence.startedAt,
    durationSeconds: evidence.durationMs / 1000,
  });
  return {
    status: "recorded",
    id: drill.id,
    detail: `restore drill recorded as ${drill.id} (${drill.result}, backup ${backup.id}, ${backup.stage})`,
  };
}
