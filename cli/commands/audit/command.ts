import type { Command } from "commander";
import { z } from "zod";
import type { AuditEvent } from "../../../controlplane/records.ts";
import { projectName } from "../../../model/input/schema/primitives.ts";
import type { CommandContext } from "../../context.ts";
import {
  parseInput,
  runWithControlPlane,
  type SessionOptions,
  shortTime,
  withSessionOptions,
} from "../control-plane/session.ts";
import { releaseName } from "../release/command.ts";

const limit = z.coerce.number().int().min(1).max(10_000);

function renderEvents(events: AuditEvent[]): string {
  if (events.length === 0) return "no audit events you can see";
  return events
    .map((e) =>
      [
        `#${e.id}`,
        shortTime(e.occurredAt),
        `${e.actor} (${e.actorRole})`,
        e.action,
        e.stage ?? "-",
        e.release ?? "-",
        e.subject ?? "",
      ].join("  "),
    )
    .join("\n");
}

export function registerAudit(program: Command, context: CommandContext): void {
  withSessionOptions(
    program
      .command("audit")
      .description("The append-only audit trail of a project: gates, evidence, approvals, exceptions, access")
      .argument("<project>", "project name")
      .option("--release <release>", "only events of this release")
      .option("--limit <n>", "the newest n events", "100"),
  ).action(async (project: string, options: SessionOptions & { release?: string; limit: string }) => {
    const input = {
      project: parseInput(projectName, project, "project"),
      release:
        options.release === undefined ? undefined : parseInput(releaseName, options.release, "--release"),
      limit: parseInput(limit, options.limit, "--limit"),
    };
    await runWithControlPlane(context, options, (cp) => cp.auditEvents(input), renderEvents);
  });
}
