import type { Command } from "commander";
import { z } from "zod";
import type { ReleaseRecord, ReleaseStatusRecord } from "../../../controlplane/records.ts";
import { DECISION_RIGHTS } from "../../../model/governance/decision-rights.ts";
import { projectName } from "../../../model/input/schema/primitives.ts";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  shortTime,
  withSessionOptions,
} from "../control-plane/session.ts";
import { registerReleaseDecisions } from "./decision.ts";

export const releaseName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, { error: "must be a release name such as r-2026.12" });
const buildId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { error: "must be a CI build id such as b-1042" });

export function releaseRef(project: string, release: string) {
  return {
    project: parseInput(projectName, project, "project"),
    release: parseInput(releaseName, release, "release"),
  };
}

function renderCreated(r: ReleaseRecord): string {
  return `created release ${r.release} (${r.status}) by ${r.createdBy}; next: odooops gate sign <project> ${r.release} G1`;
}

export function renderStatus(s: ReleaseStatusRecord): string {
  const lines = [
    `release ${s.release} of ${s.project}: ${s.status} (created by ${s.createdBy}, ${shortTime(s.createdAt)})`,
    `build ${s.build.id} of ${s.build.branch} (${s.build.stage}), commit ${s.build.commit}`,
    `  ${s.build.image}`,
    "gates:",
  ];
  for (const g of s.gates) {
    const detail =
      g.outcome === "missing"
        ? g.missing.length > 0
          ? `needs ${g.missing.join(", ")}`
          : "evidence complete, not signed"
        : `signed by ${g.signedBy} ${shortTime(g.signedAt)}${g.exception ? ` under exception ${g.exception}` : ""}`;
    lines.push(`  ${g.gate} ${g.name.padEnd(37)} ${g.outcome.padEnd(8)} ${detail}`);
  }
  const next = s.gates.find((g) => g.gate === s.nextGate);
  if (next) {
    const signers = DECISION_RIGHTS[`gate.sign.${next.gate}`][next.stage] ?? [];
    lines.push(`next: ${next.gate} in ${next.stage}, signed by ${signers.join(" or ") || "nobody"}`);
  } else lines.push("next: nothing, every gate has passed");
  if (s.exceptions.length > 0) lines.push("exceptions:");
  for (const e of s.exceptions)
    lines.push(
      `  ${e.id} ${e.gates.join(",")} ${e.status}${e.active ? " (active)" : ""}, ${e.type}, requested by ${e.requestedBy}` +
        `${e.approver ? `, approved by ${e.approver}` : ""}, expires ${shortTime(e.expiresAt)}` +
        `${e.reviewRequired ? ", review required" : ""}`,
    );
  for (const a of s.approvals.filter((x) => x.exception === null))
    lines.push(`promotion ${a.decision} by ${a.approver} ${shortTime(a.decidedAt)}`);
  for (const d of s.deployments)
    lines.push(`deployed to ${d.branch} (${d.stage}) by ${d.deployedBy} ${shortTime(d.deployedAt)}`);
  return lines.join("\n");
}

export function registerRelease(program: Command, context: CommandContext): void {
  const release = program
    .command("release")
    .description("Create a release and read its gates, evidence, exceptions and approvals (control plane)");

  withSessionOptions(
    release
      .command("create")
      .description("Open a release of a CI build (release managers, production)")
      .argument("<project>", "project name")
      .argument("<release>", "release name, e.g. r-2026.12")
      .requiredOption("--build <build-id>", "the CI build the release ships, e.g. b-1042"),
  ).action(async (project: string, name: string, options: SessionOptions & { build: string }) => {
    const ref = releaseRef(project, name);
    const build = parseInput(buildId, options.build, "--build");
    await runWithControlPlane(context, options, (cp) => cp.createRelease({ ...ref, build }), renderCreated);
  });

  withSessionOptions(
    release
      .command("status")
      .description(
        "Gates in order with their outcome and missing evidence, exceptions, approvals, deployments",
      )
      .argument("<project>", "project name")
      .argument("<release>", "release name"),
  ).action(async (project: string, name: string, options: SessionOptions) => {
    const ref = releaseRef(project, name);
    await runWithControlPlane(context, options, (cp) => cp.releaseStatus(ref), renderStatus);
  });

  registerReleaseDecisions(release, context);
}
