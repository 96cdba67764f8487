import type { Command } from "commander";
import { z } from "zod";
import type { ExceptionRecord } from "../../../controlplane/records.ts";
import { parseDuration } from "../../../model/duration.ts";
import { exceptionExpiryProblem, GATE_IDS } from "../../../model/governance/gates.ts";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  shortTime,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseRef } from "../release/command.ts";

const gates = z
  .string()
  .transform((text) => text.split(",").map((g) => g.trim()))
  .pipe(z.array(z.enum(GATE_IDS, { error: "gates are G1, G2, G3, G4" })).min(1));
const exceptionId = z.uuid({ error: "must be the exception's id as printed by exception request" });

/** `--expires 48h` (from now) or an ISO 8601 time, within the bound of exceptionExpiryProblem. */
function expiry(text: string): string {
  const duration = parseDuration(text);
  const iso = z.iso
    .datetime({ offset: true, error: "must be a duration such as 48h or 7d, or an ISO time" })
    .refine((t) => exceptionExpiryProblem(new Date(t), new Date()) === undefined, {
      error: (issue) => exceptionExpiryProblem(new Date(String(issue.input)), new Date()),
    });
  return parseInput(
    iso,
    duration !== undefined ? new Date(Date.now() + duration).toISOString() : text,
    "--expires",
  );
}

function renderException(e: ExceptionRecord): string {
  const who = e.approver ? `, approved by ${e.approver}` : e.decidedBy ? `, decided by ${e.decidedBy}` : "";
  return (
    `exception ${e.id} (${e.type}) on ${e.release} covering ${e.gates.join(", ")}: ${e.status}${who}; ` +
    `${e.active ? "active" : "not active"} until ${shortTime(e.expiresAt)}` +
    (e.reviewRequired ? "; post-event review required" : "")
  );
}

interface RequestOptions extends SessionOptions {
  gates: string;
  type: string;
  rationale: string;
  risk: string;
  expires: string;
  review: boolean;
}

export function registerException(program: Command, context: CommandContext): void {
  const exception = program
    .command("exception")
    .description("Request and decide gate exceptions (seed 001 FR-6; control plane)");

  withSessionOptions(
    exception
      .command("request")
      .description("Ask to pass gates without part of their evidence, until an expiry")
      .argument("<project>", "project name")
      .argument("<release>", "release name")
      .requiredOption("--gates <G2,G3>", "gates the exception covers")
      .requiredOption("--type <type>", "kind of deviation, e.g. missing_evidence, emergency_fix")
      .requiredOption("--rationale <text>", "why the deviation is justified")
      .requiredOption("--risk <text>", "what could go wrong because of it")
      .requiredOption("--expires <48h|ISO time>", "when it stops authorizing anything")
      .option("--no-review", "no post-event review is required (default: required)"),
  ).action(async (project: string, name: string, options: RequestOptions) => {
    const request = {
      ...releaseRef(project, name),
      gates: parseInput(gates, options.gates, "--gates"),
      type: options.type,
      rationale: options.rationale,
      risk: options.risk,
      expiresAt: expiry(options.expires),
      reviewRequired: options.review,
    };
    await runWithControlPlane(context, options, (cp) => cp.requestException(request), renderException);
  });

  for (const decision of ["approve", "reject"] as const)
    withSessionOptions(
      exception
        .command(decision)
        .description(`${decision === "approve" ? "Approve" : "Reject"} an exception someone else requested`)
        .argument("<id>", "exception id")
        .option("--comment <text>", "recorded with the decision"),
    ).action(async (id: string, options: SessionOptions & { comment?: string }) => {
      const input = { id: parseInput(exceptionId, id, "id"), comment: options.comment };
      await runWithControlPlane(
        context,
        options,
        (cp) => (decision === "approve" ? cp.approveException(input) : cp.rejectException(input)),
        renderException,
      );
    });
}
