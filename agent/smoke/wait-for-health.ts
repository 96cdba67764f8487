import { AgentError } from "../errors.ts";

/** Polls the environment's /web/health until Odoo answers 200: a container just replaced is still starting. */
export async function waitForHealth(url: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let last = "no answer";
  for (;;) {
    try {
      const response = await fetch(new URL("/web/health", url), { signal: AbortSignal.timeout(5000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    }
    if (Date.now() >= deadline)
      throw new AgentError(`${url}/web/health did not answer 200 within ${seconds} s (${last})`, 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
