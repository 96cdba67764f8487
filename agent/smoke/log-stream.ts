import type { Readable } from "node:stream";
import { AgentError } from "../errors.ts";

/**
 * Reads a log that is still being written (`docker logs --follow` on the host, piped in) until it has
 * been quiet for `idleMs`, or `maxMs` passed, or it ended. Odoo writes a request's log lines before it
 * answers, so once the checks are done the lines they caused are already in the pipe; waiting for
 * quiet, not for the end, is what lets a followed log be read at all.
 */
export function readUntilIdle(stream: Readable, idleMs = 2000, maxMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let idle: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(idle);
      clearTimeout(cap);
      stream.off("data", onData);
      stream.off("end", finish);
      stream.off("error", onError);
      stream.pause();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onData = (chunk: Buffer | string) => {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      clearTimeout(idle);
      idle = setTimeout(finish, idleMs);
    };
    const onError = (error: Error) => {
      clearTimeout(idle);
      clearTimeout(cap);
      reject(error);
    };
    idle = setTimeout(finish, idleMs);
    const cap = setTimeout(finish, maxMs);
    stream.on("data", onData);
    stream.once("end", finish);
    stream.once("error", onError);
    stream.resume();
  });
}

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
