import { request } from "node:https";
import { logErrors } from "../../../model/plan/odoo-log.ts";

/**
 * The post-deploy health check (G4 evidence): Odoo's `/web/health` answers `{"status": "pass"}` over TLS
 * that verifies (against the system CAs, or `ca` for a private one), the proxy reports the expected image
 * digest (X-Odooops-Image), and the first minutes of Odoo's log hold no ERROR, CRITICAL or traceback.
 */
export interface HealthInput {
  /** The environment's base URL, https only. */
  url: string;
  /** `…@sha256:<hex>` or `sha256:<hex>`: the build that must be running. */
  expectImage?: string | undefined;
  /** PEM of a CA to trust instead of the system's (a private or test CA). */
  ca?: string | undefined;
  /** Odoo's log since the deployment, when the caller collected it. */
  logs?: string | undefined;
  timeoutMs?: number;
}

export interface HealthCheck {
  name: "tls" | "health" | "build" | "logs";
  ok: boolean;
  detail: string;
}

interface Answer {
  status: number;
  body: string;
  digest: string | undefined;
}

function get(url: URL, ca: string | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "GET", ca, timeout: timeoutMs, headers: { accept: "application/json" } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (body.length < 10_000) body += chunk;
        });
        res.on("end", () => {
          const header = res.headers["x-odooops-image"];
          resolve({ status: res.statusCode ?? 0, body, digest: Array.isArray(header) ? header[0] : header });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on("error", reject);
    req.end();
  });
}

function digestOf(image: string): string | undefined {
  return /(sha256:[a-f0-9]{64})$/.exec(image)?.[1];
}

export async function checkHealth(input: HealthInput): Promise<HealthCheck[]> {
  const url = new URL("/web/health", input.url);
  const checks: HealthCheck[] = [];
  let answer: Answer | undefined;
  try {
    answer = await get(url, input.ca, input.timeoutMs ?? 15_000);
    checks.push({ name: "tls", ok: true, detail: `certificate of ${url.host} verified` });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const tls = typeof code === "string" && /CERT|SELF_SIGNED|VERIFY|TLS|SSL|ALTNAME/.test(code);
    checks.push({
      name: tls ? "tls" : "health",
      ok: false,
      detail: `${url.href}: ${code ?? ""} ${message}`.trim(),
    });
  }
  if (answer) {
    const passed = answer.status === 200 && /"status"\s*:\s*"pass"/.test(answer.body);
    checks.push({
      name: "health",
      ok: passed,
      detail: passed
        ? `${url.pathname} answered pass`
        : `${url.pathname} answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`,
    });
    if (input.expectImage) {
      const expected = digestOf(input.expectImage);
      const ok = expected !== undefined && answer.digest === expected;
      checks.push({
        name: "build",
        ok,
        detail: ok
          ? `running ${expected}`
          : `expected ${expected ?? input.expectImage}, the environment runs ${answer.digest ?? "an unreported image"}`,
      });
    }
  }
  if (input.logs !== undefined) {
    const errors = logErrors(input.logs);
    checks.push({
      name: "logs",
      ok: errors.length === 0,
      detail:
        errors.length === 0
          ? "no error in the log"
          : `${errors.length} error line(s), first: ${errors[0]!.slice(0, 300)}`,
    });
  }
  return checks;
}
