import type { Command } from "commander";
import { z } from "zod";
import type { BuildKeyRecord, CreatedBuildKey } from "../../../controlplane/records.ts";
import { CONTROL_PLANE_CONFIG, storeAgentKeyCommand } from "../../../model/governance/agent-control-plane.ts";
import { BUILD_KEYS_CONFIG, storeBuildKeyCommand } from "../../../model/governance/build-keys.ts";
import { projectName } from "../../../model/input/schema/primitives.ts";
import { STAGES } from "../../../model/stages.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT } from "../../io.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  shortTime,
  withControlPlane,
  withSessionOptions,
} from "../control-plane/session.ts";

/** `--stage staging`, repeated or comma-separated. */
const stages = z
  .array(z.string())
  .transform((items) => [...new Set(items.flatMap((item) => item.split(",").map((s) => s.trim())))])
  .pipe(
    z
      .array(z.enum(STAGES, { error: `stages are ${STAGES.join(", ")}` }))
      .min(1, { error: `name the stage the key is for: ${STAGES.join(", ")}` }),
  );
const label = z
  .string()
  .regex(/^[\x20-\x7e]{1,100}$/, { error: "must be 1 to 100 printable characters" })
  .optional();
const keyId = z.uuid({ error: "must be the build key's id as printed by build-key create or list" });

interface CreateOptions {
  stage: string[];
  label?: string;
  agent?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function describeKey(k: BuildKeyRecord): string {
  return `${k.purpose} key ${k.id} of ${k.project} (${k.stages.join(", ")})${k.label ? ` "${k.label}"` : ""}`;
}

function renderRevoked(k: BuildKeyRecord): string {
  const forget =
    k.purpose === "agent"
      ? [`pulumi config rm --stack prod --path 'odooops:${CONTROL_PLANE_CONFIG.agentKeys}.${k.project}'`]
      : k.stages.map(
          (s) => `pulumi config rm --stack prod --path 'odooops-app:${BUILD_KEYS_CONFIG}.${k.project}.${s}'`,
        );
  return [
    `revoked ${describeKey(k)} by ${k.revokedBy}; what it would record is refused from now on`,
    `remove it from the prod stack: ${forget.join("; ")}`,
  ].join("\n");
}

function renderList(keys: BuildKeyRecord[]): string {
  if (keys.length === 0) return "no build keys you can see";
  return keys
    .map((k) =>
      [
        k.id,
        k.stages.join(",").padEnd(11),
        k.active ? "active " : "revoked",
        `created ${shortTime(k.createdAt)} by ${k.createdBy}`,
        k.revokedAt ? `revoked ${shortTime(k.revokedAt)} by ${k.revokedBy}` : "",
        k.label ? `"${k.label}"` : "",
      ]
        .filter(Boolean)
        .join("  "),
    )
    .join("\n");
}

/**
 * The key alone on stdout (so `$(…)` or a pipe takes exactly it) and what to do with it on stderr. It is
 * never printed again: the control plane keeps only its hash.
 */
function printCreated(context: CommandContext, k: CreatedBuildKey, json: boolean | undefined): void {
  if (json) {
    context.io.out(JSON.stringify(k, null, 2));
    return;
  }
  context.io.err(`created ${describeKey(k)} by ${k.createdBy}; it is shown once and cannot be read back:`);
  context.io.out(k.key);
  if (k.purpose === "agent") {
    context.io.err(
      `store it now for the ${k.stages[0]} agent of ${k.project}:\n  ${storeAgentKeyCommand(k.project)}   # paste the key at the prompt`,
    );
    return;
  }
  context.io.err(
    [
      `store it now as the app repository's secret ODOOOPS_BUILD_KEY of the ${k.stages.join(", ")} environment${k.stages.length > 1 ? "s" : ""}:`,
      ...k.stages.map((s) => `  ${storeBuildKeyCommand(k.project, s)}   # paste the key at the prompt`),
      "the prod stack's next pulumi up writes it to the app repository (components/github-governance.ts)",
    ].join("\n"),
  );
}

export function registerBuildKey(program: Command, context: CommandContext): void {
  const buildKey = program
    .command("build-key")
    .description(
      "Keys an app repository's CI records builds with: one project, its stages, nothing else (control plane)",
    );

  withSessionOptions(
    buildKey
      .command("create")
      .description("Create a build key and print it once (release managers; SREs outside production)")
      .argument("<project>", "project name")
      .option(
        "--stage <stage>",
        `stage the key records builds in (${STAGES.join(", ")}); repeat or comma-separate, one per key is best`,
        collect,
        [],
      )
      .option("--label <text>", "what the key is for, e.g. acme/acme-erp staging environment")
      .option(
        "--agent",
        "a data agent's key instead: records that stage's backups and drills, one stage (SREs: who may do both)",
      ),
  ).action(async (project: string, options: SessionOptions & CreateOptions) => {
    const input = {
      project: parseInput(projectName, project, "project"),
      stages: parseInput(stages, options.stage, "--stage"),
      label: parseInput(label, options.label, "--label"),
      purpose: options.agent ? ("agent" as const) : ("build" as const),
    };
    const done = await withControlPlane(context, options, (cp) => cp.createBuildKey(input));
    if (!done) return;
    printCreated(context, done.result, options.json);
    context.exit.code = EXIT.ok;
  });

  withSessionOptions(
    buildKey
      .command("revoke")
      .description("Revoke a build key: the builds it would record are refused from now on")
      .argument("<id>", "build key id"),
  ).action(async (id: string, options: SessionOptions) => {
    const input = { id: parseInput(keyId, id, "id") };
    await runWithControlPlane(context, options, (cp) => cp.revokeBuildKey(input), renderRevoked);
  });

  withSessionOptions(
    buildKey
      .command("list")
      .description("The build keys of a project: stages, who created or revoked them (never the keys)")
      .argument("<project>", "project name"),
  ).action(async (project: string, options: SessionOptions) => {
    const input = { project: parseInput(projectName, project, "project") };
    await runWithControlPlane(context, options, (cp) => cp.listBuildKeys(input), renderList);
  });
}
