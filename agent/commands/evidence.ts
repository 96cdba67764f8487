import { type Command, Option } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { type ControlPlaneOutcome, type EvidenceSink, openEvidenceSink } from "../evidence-sink.ts";
import { envDefault } from "./common.ts";

/**
 * The control-plane side of `backup`, `drill` and `serve`. Where the control plane is comes from the
 * environment, as for every odooops command (ODOOOPS_CONTROL_PLANE_URL, or SUPABASE_URL with a key);
 * who records is the service role unless --as / ODOOOPS_ACTOR names a member.
 */
export interface ControlPlaneCli {
  project?: string;
  branch?: string;
  as?: string;
}

export function withControlPlaneOptions(command: Command, { branch }: { branch: boolean }): Command {
  if (branch)
    command.option(
      "--branch <name>",
      "the environment's branch, under which the control plane records backups (default: ODOOOPS_BRANCH)",
    );
  return command.addOption(
    new Option(
      "--as <github-login>",
      "record evidence as this member (direct connection only; default: the service role)",
    ).env("ODOOOPS_ACTOR"),
  );
}

export function evidenceSink(options: ControlPlaneCli, recordsBackups: boolean): EvidenceSink {
  return openEvidenceSink({
    project: options.project ?? envDefault("ODOOOPS_PROJECT"),
    branch: options.branch ?? envDefault("ODOOOPS_BRANCH"),
    recordsBackups,
    actor: options.as,
  });
}

export function outcomeLine(outcome: ControlPlaneOutcome): string {
  return outcome.status === "failed"
    ? `control plane: NOT RECORDED: ${outcome.detail}`
    : `control plane: ${outcome.detail}`;
}

/**
 * After a one-shot command has printed (and written) its evidence: a control plane that did not record it
 * is an error the caller sees (exit 1), though the backup or drill itself is done.
 */
export function reportOutcome(
  context: CommandContext,
  name: string,
  outcome: ControlPlaneOutcome,
  evidenceFile: string | undefined,
): void {
  if (outcome.status !== "failed") return;
  const kept = evidenceFile ? `in the output and in ${evidenceFile}` : "in the output";
  context.io.err(
    `odooops agent ${name}: the control plane did not record the evidence (it is ${kept}): ${outcome.detail}`,
  );
  context.exit.code = 1;
}
