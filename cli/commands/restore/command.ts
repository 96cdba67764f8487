import type { Command } from "commander";
import { z } from "zod";
import { RESTORE_REQUEST_STATES, type RestoreRequestRecord } from "../../../controlplane/records.ts";
import { branchName, projectName } from "../../../model/input/schema/primitives.ts";
import { backupNameSchema, restoreArgv, restoreUnavailable } from "../../../model/plan/remote-access.ts";
import type { CommandContext } from "../../context.ts";
import { UsageError } from "../../io.ts";
import { type AccessOptions, accessCommand, runAccess } from "../access/command.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  shortTime,
  withSessionOptions,
} from "../control-plane/session.ts";

/**
 * `odooops restore`: the data agent on the environment's host restores a backup into its database,
 * under audit. In production a release manager first approves an SRE's request (`restore request`,
 * `restore approve`, or `restore reject` with a reason; `restore list` shows them); the grant consumes
 * it, so one approval restores one backup once.
 */
interface RestoreOptions extends AccessOptions {
  backup?: string;
  request?: string;
}

const requestId = z.uuid({ error: "must be the request's id as printed by restore request" });
const reasonSchema = z
  .string()
  .trim()
  .min(1, { error: "say why the restore is needed" })
  .max(1000, { error: "at most 1000 characters" });

const stateSchema = z.enum(RESTORE_REQUEST_STATES, { error: `one of ${RESTORE_REQUEST_STATES.join(", ")}` });

function renderRequest(r: RestoreRequestRecord): string {
  const state = r.consumedBy
    ? `used by ${r.consumedBy} at ${shortTime(r.consumedAt)}`
    : r.rejectedBy
      ? `rejected by ${r.rejectedBy} at ${shortTime(r.rejectedAt)}: ${r.rejectReason}`
      : r.state === "expired"
        ? `expired at ${shortTime(r.expiresAt)}`
        : r.approvedBy
          ? `approved by ${r.approvedBy}; valid until ${shortTime(r.expiresAt)}`
          : `awaiting a release manager's approval until ${shortTime(r.expiresAt)}`;
  return (
    `restore request ${r.id}: ${r.backup} into ${r.branch} of ${r.project} (${r.stage}), ` +
    `requested by ${r.requestedBy}: ${state}\n  reason: ${r.reason}`
  );
}

/** One line per request: id, branch, backup, requested by/at, state, who approved or rejected it. */
function renderList(requests: RestoreRequestRecord[]): string {
  if (requests.length === 0) return "no restore requests you can see";
  const header = ["ID", "BRANCH", "BACKUP", "REQUESTED BY", "REQUESTED AT", "STATE", "APPROVER"];
  const rows = requests.map((r) => [
    r.id,
    r.branch,
    r.backup,
    r.requestedBy,
    shortTime(r.requestedAt),
    r.state,
    r.rejectedBy ? `${r.rejectedBy} (rejected: ${r.rejectReason})` : (r.approvedBy ?? "-"),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * `odooops restore`: asks the control plane for an approved restore of an environment, then runs the
 * agent's restore (registerAgentRestore, `odooops agent restore`) on the environment's host over ssh.
 */
export function registerRemoteRestore(program: Command, context: CommandContext): void {
  const restore = accessCommand(
    program,
    "restore",
    "Restore an environment's database from a backup, under audit (production: with an approved request)",
  )
    .option("--backup <name>", "which backup, e.g. acme_erp/20261123T020000Z-scheduled (default: the newest)")
    .option("--request <id>", "production: the approved restore request (odooops restore request)")
    // `restore request|approve` have options of the same names: theirs, not the parent's.
    .enablePositionalOptions()
    .action((project: string, branch: string, options: RestoreOptions) => {
      const backup =
        options.backup === undefined ? undefined : parseInput(backupNameSchema, options.backup, "--backup");
      const request =
        options.request === undefined ? undefined : parseInput(requestId, options.request, "--request");
      return runAccess(context, {
        project,
        branch,
        options,
        action: "backup.restore",
        checkStage: (stage) => {
          const unavailable = restoreUnavailable(stage);
          if (unavailable) throw new UsageError(`cannot restore ${branch} of ${project}: ${unavailable}`);
          if (request !== undefined && stage !== "production")
            throw new UsageError(`--request is for production restores; ${branch} is ${stage}`);
        },
        decide: (cp, where) => cp.requestRestoreAccess({ ...where, backup, request }),
        argv: (env, decision) => restoreArgv(env, decision.backup ?? backup),
      });
    });

  withSessionOptions(
    restore
      .command("request")
      .description("Ask to restore a production backup; a release manager other than you approves it")
      .argument("<project>", "project name")
      .argument("<branch>", "the production branch")
      .requiredOption("--backup <name>", "the backup to restore, e.g. acme_erp/20261123T020000Z-scheduled")
      .requiredOption("--reason <text>", "why, for the approver and the audit trail"),
  ).action(
    async (project: string, branch: string, options: SessionOptions & { backup: string; reason: string }) => {
      const input = {
        project: parseInput(projectName, project, "project"),
        branch: parseInput(branchName, branch, "branch"),
        backup: parseInput(backupNameSchema, options.backup, "--backup"),
        reason: parseInput(reasonSchema, options.reason, "--reason"),
      };
      await runWithControlPlane(context, options, (cp) => cp.requestRestore(input), renderRequest);
    },
  );

  withSessionOptions(
    restore
      .command("approve")
      .description("Approve a production restore someone else requested (valid two hours from the request)")
      .argument("<id>", "restore request id"),
  ).action(async (id: string, options: SessionOptions) => {
    const input = { id: parseInput(requestId, id, "id") };
    await runWithControlPlane(context, options, (cp) => cp.approveRestore(input), renderRequest);
  });

  withSessionOptions(
    restore
      .command("reject")
      .description(
        "Reject a pending production restore request, saying why; it can no longer be approved or used",
      )
      .argument("<id>", "restore request id")
      .requiredOption("--reason <text>", "why not, for the requester and the audit trail"),
  ).action(async (id: string, options: SessionOptions & { reason: string }) => {
    const input = {
      id: parseInput(requestId, id, "id"),
      reason: parseInput(reasonSchema, options.reason, "--reason"),
    };
    await runWithControlPlane(context, options, (cp) => cp.rejectRestore(input), renderRequest);
  });

  withSessionOptions(
    restore
      .command("list")
      .description("A project's restore requests: who asked for which backup, and what became of it")
      .argument("<project>", "project name")
      .option("--state <state>", `only requests in this state (${RESTORE_REQUEST_STATES.join(", ")})`),
  ).action(async (project: string, options: SessionOptions & { state?: string }) => {
    const input = {
      project: parseInput(projectName, project, "project"),
      state: options.state === undefined ? undefined : parseInput(stateSchema, options.state, "--state"),
    };
    await runWithControlPlane(context, options, (cp) => cp.listRestoreRequests(input), renderList);
  });
}
