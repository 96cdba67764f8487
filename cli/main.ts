import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { PACKAGE_ROOT } from "../agent/package-root.ts";
import { registerAgent } from "./commands/agent/command.ts";
import { registerAudit } from "./commands/audit/command.ts";
import { registerBuild } from "./commands/build/command.ts";
import { registerBuildKey } from "./commands/build-key/command.ts";
import { registerCatalogKey } from "./commands/catalog-key/command.ts";
import { registerControlPlane } from "./commands/control-plane/command.ts";
import { registerDeployment } from "./commands/deployment/command.ts";
import { registerException } from "./commands/exception/command.ts";
import { registerGate } from "./commands/gate/command.ts";
import { registerHealth } from "./commands/health/command.ts";
import { registerInit } from "./commands/init/command.ts";
import { registerLogin } from "./commands/login/command.ts";
import { registerModuleAudit } from "./commands/module-audit/command.ts";
import { registerNotify } from "./commands/notify/command.ts";
import { registerOca } from "./commands/oca/command.ts";
import { registerPlan } from "./commands/plan/command.ts";
import { registerReap } from "./commands/reap/command.ts";
import { registerRelease } from "./commands/release/command.ts";
import { registerResolve } from "./commands/resolve/command.ts";
import { registerRemoteRestore } from "./commands/restore/command.ts";
import { registerRollback } from "./commands/rollback/command.ts";
import { registerSecurityGate } from "./commands/security-gate/command.ts";
import { registerLogs, registerShell } from "./commands/shell/command.ts";
import { registerTenant } from "./commands/tenant/command.ts";
import { registerUpgrade } from "./commands/upgrade/command.ts";
import { registerValidate } from "./commands/validate/command.ts";
import type { CommandContext } from "./context.ts";
import { unifyFormatFlags } from "./format.ts";
import { EXIT, type Io, processIo, UsageError } from "./io.ts";
import type { Spawner } from "./spawn.ts";

/** Each command module adds itself here and sets the exit code through the holder it is given. */
export type { CommandContext };

const { version } = JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8")) as {
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
  registerBuild(program, context);
  registerBuildKey(program, context);
  registerAgent(program, context);
  registerOca(program, context);
  registerModuleAudit(program, context);
  registerTenant(program, context);
  registerShell(program, context);
  registerLogs(program, context);
  registerRemoteRestore(program, context);
  registerControlPlane(program, context);
  registerDeployment(program, context);
  registerHealth(program, context);
  registerLogin(program, context);
  registerCatalogKey(program, context);
  registerUpgrade(program, context);
  registerSecurityGate(program, context);
  registerNotify(program, context);
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
