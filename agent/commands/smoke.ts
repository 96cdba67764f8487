import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { smokeEvidence } from "../../model/input/smoke/config.ts";
import { loadSmokeConfig } from "../smoke/check.ts";
import { runSmoke } from "../smoke/run.ts";
import {
  action,
  fromEnv,
  type OutputOptions,
  printResult,
  withOutputOptions,
  writeEvidence,
} from "./common.ts";

interface SmokeCli extends OutputOptions {
  config: string;
  url: string;
  db: string;
  logs?: string;
  evidenceFile?: string;
}

/**
 * `odooops agent smoke`: the staging build's smoke tests, after its clone and module update. The result
 * is a G2 evidence candidate (written with --evidence-file) the QA tester attaches when signing G2.
 */
export function registerSmoke(agent: Command, context: CommandContext): void {
  const command = agent
    .command("smoke")
    .description(
      "Smoke tests of a running environment: log in, load the main menus, URLs and RPC calls, a clean log",
    )
    .requiredOption("--config <file>", "the smoke tests (YAML: login, menus, urls, rpc)")
    .requiredOption("--url <url>", "the environment's base URL")
    .requiredOption("--db <name>", "the database to log in to")
    .option("--logs <file>", "Odoo's log since the build; any ERROR, CRITICAL or traceback fails")
    .option("--evidence-file <file>", "write the G2 evidence candidate (JSON) here");
  withOutputOptions(command).action(
    action(context, "smoke", async (o: SmokeCli) => {
      const config = await loadSmokeConfig(o.config);
      const logs = o.logs;
      const results = await runSmoke(config, {
        url: o.url,
        db: o.db,
        password: fromEnv(config.login.passwordEnv, "the smoke test user's password"),
        ...(logs ? { logs: () => readFile(logs, "utf8") } : {}),
      });
      const evidence = smokeEvidence(results, o.url);
      await writeEvidence(o.evidenceFile, evidence);
      printResult(
        context,
        o,
        evidence,
        [...results.map((r) => `${r.ok ? "ok  " : "FAIL"} ${r.name}: ${r.detail}`), evidence.summary].join(
          "\n",
        ),
      );
      if (!evidence.ok) context.exit.code = 1;
    }),
  );
}
