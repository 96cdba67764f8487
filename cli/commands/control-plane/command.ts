import type { Command } from "commander";
import {
  DEFAULT_LOCAL_DIR,
  type LocalStatus,
  localDown,
  localStatus,
  localUp,
} from "../../../controlplane/local.ts";
import type { CommandContext } from "../../context.ts";
import { EXIT } from "../../io.ts";
import { registerSync } from "./sync.ts";

function exportLine(url: string): string {
  return `export ODOOOPS_CONTROL_PLANE_URL=${url}`;
}

function renderStatus(s: LocalStatus): string {
  if (!s.initialised) return `no local control plane in ${s.dir}; start one with: odooops control-plane up`;
  if (!s.running)
    return `local control plane in ${s.dir} is stopped; start it with: odooops control-plane up`;
  return `local control plane running at ${s.url} (data in ${s.dir})\n${exportLine(s.url ?? "")}`;
}

/** Local errors (no binaries, a busy port, a closed directory) are one line and exit 1. */
async function attempt(context: CommandContext, work: () => Promise<string>): Promise<void> {
  try {
    context.io.out(await work());
    context.exit.code = EXIT.ok;
  } catch (error) {
    context.io.err(`odooops: control plane: ${(error as Error).message.split("\n")[0]}`);
    context.exit.code = EXIT.violations;
  }
}

export function registerControlPlane(program: Command, context: CommandContext): void {
  const group = program
    .command("control-plane")
    .description("Run a local control plane (PostgreSQL + migrations + seed) and sync projects into one");
  const dirOption = ["--dir <path>", "where the local cluster lives", DEFAULT_LOCAL_DIR] as const;

  group
    .command("up")
    .description(
      "Start (first: create, migrate, seed) the local control plane; prints the variable to export",
    )
    .option(...dirOption)
    .option("--no-seed", "leave a new database empty (no example projects)")
    .action((options: { dir: string; seed: boolean }) =>
      attempt(context, async () => {
        const up = await localUp(options.dir, { seed: options.seed });
        const lines = [
          `local control plane ${up.started ? "started" : "already running"} at ${up.url} (data in ${up.dir})`,
          `${up.applied.length} migration(s) applied${up.seeded ? ", example data loaded (supabase/seed.sql)" : ""}`,
          exportLine(up.url ?? ""),
        ];
        return lines.join("\n");
      }),
    );

  group
    .command("down")
    .description("Stop the local control plane; its data stays for the next up")
    .option(...dirOption)
    .action((options: { dir: string }) =>
      attempt(context, async () =>
        (await localDown(options.dir)) ? `stopped the local control plane in ${options.dir}` : "not running",
      ),
    );

  group
    .command("status")
    .description("Whether the local control plane runs, and its URL")
    .option(...dirOption)
    .action((options: { dir: string }) =>
      attempt(context, async () => renderStatus(await localStatus(options.dir))),
    );

  registerSync(group, context);
}
