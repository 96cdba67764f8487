import type { Readable } from "node:stream";

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
