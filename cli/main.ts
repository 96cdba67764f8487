import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { registerAgent } from "./commands/agent.ts";
import { registerAudit } from "./commands/audit.ts";
import { registerBuildKey } from "./commands/build-key.ts";
import { registerCatalogKey } from "./commands/catalog-key.ts";
import { registerControlPlane } from "./commands/control-plane.ts";
import { registerDeployment } from "./commands/deployment.ts";
import { registerException } from "./commands/exception.ts";
import { registerGate } from "./commands/gate.ts";
import { registerHealth } from "./commands/health.ts";
import { registerInit } from "./commands/init.ts";
import { registerLogin } from "./commands/login.ts";
import { registerPlan } from "./commands/plan.ts";
import { registerReap } from "./commands/reap.ts";
import { registerRelease } from "./commands/release.ts";
import { registerResolve } from "./commands/resolve.ts";
import { registerRestore } from "./commands/restore.ts";
import { registerRollback } from "./commands/rollback.ts";
import { registerLogs, registerShell } from "./commands/shell.ts";
import { registerValidate } from "./commands/validate.ts";
import { unifyFormatFlags } from "./format.ts";
import { EXIT, type Io, processIo, UsageError } from "./io.ts";
import type { Spawner } from "./spawn.ts";

/** Each command module adds itself here and sets the exit code through the holder it is given. */
export interface CommandContext {
  io: Io;
  exit: { code: number };
  /** Runs a program on the terminal (shell, logs); tests replace it. Default: spawnInherited. */
  spawn?: Spawner;
}

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(context: CommandContext): Command {
  const program = new Command()
    .name("odooops")
    .description("Odoo CE + OCA platform: validate project files, plan changes, operate releases and data")
    .version(version, "--version", "print the odooops version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => context.io.out(s), writeErr: (s) => context.io.err(s) })
    .showHelpAfterError("(run with --help for usage)")
    // The program has no options of its own; positional parsing lets a command with subcommands (restore,
    // restore request) give both options of the same name.
    .enablePositionalOptions();
  unifyFormatFlags(program);
  registerValidate(program, context);
  registerPlan(program, context);
  registerInit(program, context);
  registerRollback(program, context);
  registerReap(program, context);
  registerResolve(program, context);
  registerRelease(program, context);
  registerGate(program, context);
  registerException(program, context);
  registerAudit(program, context);
  registerBuildKey(program, context);
  registerAgent(program, context);
  registerShell(program, context);
  registerLogs(program, context);
  registerRestore(program, context);
  registerControlPlane(program, context);
  registerDeployment(program, context);
  registerHealth(program, context);
  registerLogin(program, context);
  registerCatalogKey(program, context);
  return program;
}

/** Runs the CLI and returns its exit code: 0 fine, 1 mandatory violations, 2 invalid input or usage. */
export async function main(argv: readonly string[], io: Io = processIo, spawn?: Spawner): Promise<number> {
  const context: CommandContext = { io, exit: { code: EXIT.ok }, spawn };
  const program = buildProgram(context);
  try {
    // `help <command>` as `<command> --help`, so that lazily added subcommands (agent) are listed too.
    const args = argv[0] === "help" && argv.length > 1 ? [...argv.slice(1), "--help"] : [...argv];
    await program.parseAsync(args, { from: "user" });
    return context.exit.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    }
    if (error instanceof UsageError) {
      io.err(`odooops: ${error.message}`);
      return EXIT.invalidInput;
    }
    throw error;
  }
}
