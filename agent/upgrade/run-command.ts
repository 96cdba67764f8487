import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { AgentError } from "../errors.ts";

/**
 * Runs one program of the preview (Odoo, the project's tests) with the copy's libpq variables, its
 * output kept in a log file (Odoo logs to stderr) and returned for reading. Never through a shell: the
 * command is an argument vector.
 */
export interface CommandRun {
  exitCode: number;
  durationMs: number;
  output: string;
}

export async function runLogged(
  argv: readonly string[],
  env: Record<string, string>,
  logFile: string,
): Promise<CommandRun> {
  const [program, ...args] = argv;
  if (!program) throw new AgentError("an empty command was given");
  const started = Date.now();
  const log = createWriteStream(logFile, { flags: "a" });
  const chunks: Buffer[] = [];
  const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr])
    stream.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      log.write(chunk);
    });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", (error) => reject(new AgentError(`cannot start ${program}: ${error.message}`)));
    child.on("close", (code) => resolve(code ?? 1));
  });
  await new Promise<void>((resolve) => log.end(resolve));
  return { exitCode, durationMs: Date.now() - started, output: Buffer.concat(chunks).toString("utf8") };
}
