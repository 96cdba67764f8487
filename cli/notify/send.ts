import { type Notification, webhookPayload } from "../../model/input/notify/events.ts";

/**
 * Posts a notification to a Mattermost incoming webhook. The URL is a credential: no outcome, error or
 * log line carries it, and redirects are refused (a redirect would hand the message, and the fact that
 * the hook exists, to another host).
 */
export type SendResult = { ok: true } | { ok: false; problem: string };

export async function sendNotification(
  url: string,
  n: Notification,
  timeoutMs = 10_000,
): Promise<SendResult> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(webhookPayload(n)),
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok
      ? { ok: true }
      : { ok: false, problem: `Mattermost answered HTTP ${response.status} on ${n.project}'s webhook` };
  } catch (error) {
    // undici wraps the socket error; a refused loopback connection arrives as an AggregateError.
    const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code;
    const why = error instanceof Error && error.name === "TimeoutError" ? "timed out" : (code ?? "failed");
    return { ok: false, problem: `could not reach ${n.project}'s Mattermost webhook (${String(why)})` };
  }
}
