import type { Io } from "./io.ts";
import type { Spawner } from "./spawn.ts";

/**
 * What every command module is given: where to write, the exit code holder, and how to run a program
 * on the terminal. Its own module so that command modules outside cli/ (agent/commands) import it
 * without importing the CLI that registers them.
 */
export interface CommandContext {
  io: Io;
  exit: { code: number };
  /** Runs a program on the terminal (shell, logs); tests replace it. Default: spawnInherited. */
  spawn?: Spawner;
}
