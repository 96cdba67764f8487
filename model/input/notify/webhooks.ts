import { z } from "zod";
import { projectName } from "../schema/primitives.ts";

/**
 * One Mattermost channel per project, reached through its incoming webhook. The webhook URL is the
 * credential (anyone holding it can post to the channel), so it lives only in a secret: the CI secret or
 * environment variable ODOOOPS_MATTERMOST_WEBHOOKS, `{ "<project>": "https://chat…/hooks/<id>" }`.
 * Nothing here ever puts a URL into a message; problems name the project and the variable.
 */
export const WEBHOOKS_ENV = "ODOOOPS_MATTERMOST_WEBHOOKS";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** https, or http to this machine only (a local Mattermost or a test server); path /hooks/<id>. */
export const webhookUrl = z.string().refine(
  (value) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || url.username || url.password || url.search || url.hash) return false;
    const transport = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname));
    return transport && /^\/hooks\/[A-Za-z0-9]+$/.test(url.pathname);
  },
  { error: "must be a Mattermost incoming webhook, https://<host>/hooks/<id>" },
);

const webhooksSchema = z.record(projectName, webhookUrl);

export type WebhookLookup = { url: string } | { problem: string };

/** The project's webhook from the variable's JSON, or a one-line problem that never quotes a URL. */
export function webhookFor(raw: string | undefined, project: string): WebhookLookup {
  if (!raw) return { problem: `${WEBHOOKS_ENV} is not set; it holds each project's Mattermost webhook` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { problem: `${WEBHOOKS_ENV} is not JSON; expected { "<project>": "https://<host>/hooks/<id>" }` };
  }
  const parsed = webhooksSchema.safeParse(json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(root)"))];
    return {
      problem: `${WEBHOOKS_ENV}: entries ${fields.join(", ")} are not Mattermost incoming webhooks (https://<host>/hooks/<id>)`,
    };
  }
  const url = parsed.data[project];
  return url ? { url } : { problem: `${WEBHOOKS_ENV} has no webhook for project ${project}` };
}
