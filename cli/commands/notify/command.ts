import type { Command } from "commander";
import { NOTIFICATION_EVENTS, notificationSchema } from "../../../model/input/notify/events.ts";
import { WEBHOOKS_ENV, webhookFor } from "../../../model/input/notify/webhooks.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT, UsageError } from "../../io.ts";
import { sendNotification } from "../../notify/send.ts";

interface NotifyOptions {
  gate?: string;
  release?: string;
  reason?: string;
  branch?: string;
  image?: string;
  outcome?: string;
  detail?: string;
  stack?: string;
  exception?: string;
  expires?: string;
}

/**
 * `odooops notify <project> <event>`: one message to the project's Mattermost channel. CI jobs, the
 * agent's failure hooks and the n8n workflows (n8n/workflows/) call it; the webhook comes from the
 * secret ODOOOPS_MATTERMOST_WEBHOOKS and is never printed.
 */
export function registerNotify(program: Command, context: CommandContext): void {
  program
    .command("notify")
    .description(`post an event to the project's Mattermost channel (webhook from ${WEBHOOKS_ENV})`)
    .argument("<project>", "project name")
    .argument("<event>", NOTIFICATION_EVENTS.join(" | "))
    .option("--gate <gate>", "G1 | G2 | G3 | G4 (gate-*, exception-expiring)")
    .option("--release <release>", "release name (gate-*)")
    .option("--reason <text>", "why the gate was refused (gate-refused)")
    .option("--branch <branch>", "environment's branch (deployment, backup-failed, drill-failed)")
    .option("--image <image>", "image deployed (deployment)")
    .option("--outcome <outcome>", "succeeded | failed (deployment)")
    .option("--detail <text>", "what failed or drifted (backup-failed, drill-failed, drift)")
    .option("--stack <stack>", "stack that drifted (drift)")
    .option("--exception <id>", "exception id (exception-expiring)")
    .option("--expires <time>", "ISO 8601 expiry (exception-expiring)")
    .action(async (project: string, event: string, options: NotifyOptions) => {
      if (!(NOTIFICATION_EVENTS as readonly string[]).includes(event))
        throw new UsageError(
          `notify: unknown event ${JSON.stringify(event)}; one of ${NOTIFICATION_EVENTS.join(", ")}`,
        );
      const parsed = notificationSchema.safeParse({ project, event, ...options });
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i) => {
          const field = i.path[0] === "project" ? "<project>" : `--${i.path.join(".")}`;
          return `${field}: ${i.code === "unrecognized_keys" ? `not used by ${event}` : i.message}`;
        });
        throw new UsageError(`notify ${event}: ${problems.join("; ")}`);
      }
      const hook = webhookFor(process.env[WEBHOOKS_ENV], parsed.data.project);
      if ("problem" in hook) throw new UsageError(`notify: ${hook.problem}`);
      const sent = await sendNotification(hook.url, parsed.data);
      if (!sent.ok) {
        context.io.err(`notify: ${sent.problem}`);
        context.exit.code = EXIT.violations;
        return;
      }
      context.io.out(`notified ${parsed.data.project}'s channel: ${parsed.data.event}`);
    });
}
