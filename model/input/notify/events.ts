import { z } from "zod";
import { projectName } from "../schema/primitives.ts";

/**
 * What the platform tells a project's Mattermost channel (issue 18 part 4), as validated data. Every
 * value that came from outside (branch names, reasons, resource names) is rendered inside a code span,
 * where Mattermost neither expands @channel/@all mentions nor renders links, so a branch called
 * `@channel` or a reason with a phishing link is shown, not acted on.
 */
const gate = z.enum(["G1", "G2", "G3", "G4"]);
const text = z.string().min(1).max(500);

export const notificationSchema = z.discriminatedUnion("event", [
  z.strictObject({ event: z.literal("gate-passed"), project: projectName, gate, release: text }),
  z.strictObject({
    event: z.literal("gate-refused"),
    project: projectName,
    gate,
    release: text,
    reason: text,
  }),
  z.strictObject({
    event: z.literal("deployment"),
    project: projectName,
    branch: text,
    image: text,
    outcome: z.enum(["succeeded", "failed"]),
  }),
  z.strictObject({ event: z.literal("backup-failed"), project: projectName, branch: text, detail: text }),
  z.strictObject({ event: z.literal("drill-failed"), project: projectName, branch: text, detail: text }),
  z.strictObject({ event: z.literal("drift"), project: projectName, stack: text, detail: text }),
  z.strictObject({
    event: z.literal("exception-expiring"),
    project: projectName,
    exception: text,
    gate,
    expires: z.iso.datetime({ offset: true }),
  }),
]);
export type Notification = z.output<typeof notificationSchema>;
export type NotificationEvent = Notification["event"];
export const NOTIFICATION_EVENTS = notificationSchema.options.map((o) => o.shape.event.value);

/** A value shown verbatim: one line, inside a code span that cannot be closed early. */
export function literal(value: string): string {
  const line = value.replace(/[\r\n]+/g, " ").replace(/`/g, "'");
  return `\`${line}\``;
}

const ALERT = ":red_circle:";
const OK = ":white_check_mark:";

export function messageText(n: Notification): string {
  const where = `project ${literal(n.project)}`;
  switch (n.event) {
    case "gate-passed":
      return `${OK} ${n.gate} passed for release ${literal(n.release)} of ${where}`;
    case "gate-refused":
      return `${ALERT} ${n.gate} refused for release ${literal(n.release)} of ${where}: ${literal(n.reason)}`;
    case "deployment":
      return `${n.outcome === "succeeded" ? OK : ALERT} deployment of ${literal(n.image)} to ${literal(n.branch)} of ${where} ${n.outcome}`;
    case "backup-failed":
      return `${ALERT} backup of ${literal(n.branch)} of ${where} failed: ${literal(n.detail)}`;
    case "drill-failed":
      return `${ALERT} restore drill of ${literal(n.branch)} of ${where} failed: ${literal(n.detail)}`;
    case "drift":
      return `:warning: drift in stack ${literal(n.stack)} for ${where}: ${literal(n.detail)}`;
    case "exception-expiring":
      return `:hourglass: exception ${literal(n.exception)} covering ${n.gate} of ${where} expires ${n.expires}`;
  }
}

/** The body of a Mattermost incoming-webhook call. */
export function webhookPayload(n: Notification): { text: string; username: string } {
  return { text: messageText(n), username: "odooops" };
}
