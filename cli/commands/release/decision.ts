import type { Command } from "commander";
import { z } from "zod";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseRef } from "./command.ts";
import { registerPromote } from "./promote.ts";

const comment = z.string().trim().min(1).max(1000, { error: "at most 1000 characters" });
const reason = z.string().trim().min(10, { error: "say why in at least 10 characters" }).max(1000);

/**
 * `odooops release approve|reject|promote`: the promotion decision (ops.approve_release, a release
 * manager who neither created the release nor authored its build; G1–G3 passed or excepted), a final no
 * with a reason, and the project-file change that ships an approved release to production.
 */
export function registerReleaseDecisions(release: Command, context: CommandContext): void {
  withSessionOptions(
    release
      .command("approve")
      .description("Approve a release for production (release managers; not its creator or build author)")
      .argument("<project>", "project name")
      .argument("<release>", "release name")
      .option("--comment <text>", "why, for the audit trail"),
  ).action(async (project: string, name: string, options: SessionOptions & { comment?: string }) => {
    const ref = releaseRef(project, name);
    const note =
      options.comment === undefined ? undefined : parseInput(comment, options.comment, "--comment");
    await runWithControlPlane(
      context,
      options,
      (cp) => cp.approveRelease({ ...ref, comment: note }),
      (r) =>
        `approved release ${r.release} for production; next: odooops release promote ${ref.project} ${r.release}`,
    );
  });

  withSessionOptions(
    release
      .command("reject")
      .description(
        "Refuse a release for good, with a reason (release managers); ship the fix as a new release",
      )
      .argument("<project>", "project name")
      .argument("<release>", "release name")
      .requiredOption("--reason <text>", "why it must not reach production"),
  ).action(async (project: string, name: string, options: SessionOptions & { reason: string }) => {
    const ref = releaseRef(project, name);
    const why = parseInput(reason, options.reason, "--reason");
    await runWithControlPlane(
      context,
      options,
      (cp) => cp.rejectRelease({ ...ref, reason: why }),
      (r) => `rejected release ${r.release} by ${r.rejectedBy}; it will not be promoted`,
    );
  });

  registerPromote(release, context);
}
