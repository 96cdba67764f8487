import { spawn } from "node:child_process";
import { constants } from "node:os";
import { UsageError } from "./io.ts";

/**
 * Runs a program with the terminal handed over and resolves to its exit code. A seam of the command
 * context, so tests can prove that a refused request runs nothing.
 */
export type Spawner = (argv: readonly string[]) => Promise<number>;

export const spawnInherited: Spawner = (argv) => {
  const [program, ...args] = argv;
  if (!program) return Promise.reject(new Error("nothing to run"));
  // Ctrl-C reaches the child through the terminal; odooops waits to report the child's exit code.
  const ignore = () => {};
  process.on("SIGINT", ignore);
  return new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: "inherit" });
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new UsageError(`${program} is not installed or not on PATH`) : error),
    );
    child.on("exit", (code, signal) =>
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)),
    );
  }).finally(() => process.off("SIGINT", ignore));
};
