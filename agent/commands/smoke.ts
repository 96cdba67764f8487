import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { CommandContext } from "../../cli/context.ts";
import { type SmokeConfig, smokeEvidence } from "../../model/input/smoke/config.ts";
import { AgentInputError } from "../errors.ts";
import { readDatabaseUrl } from "../pg/connection.ts";
import { loadSmokeConfig, smokeConfigFrom, smokePassword } from "../smoke/check.ts";
import { readUntilIdle } from "../smoke/log-stream.ts";
import { withOneTimeLogin } from "../smoke/one-time-login.ts";
import { runSmoke } from "../smoke/run.ts";
import { waitForHealth } from "../smoke/wait-for-health.ts";
import {
  action,
  fromEnv,
  type OutputOptions,
  printResult,
  withOutputOptions,
  writeEvidence,
} from "./common.ts";

interface SmokeCli extends OutputOptions {
  config?: string;
  configEnv?: string;
  url: string;
  db: string;
  logs?: string;
  oneTimeLoginDbUrlEnv?: string;
  wait: string;
  evidenceFile?: string;
}

async function smokeConfig(o: SmokeCli): Promise<SmokeConfig> {
  if (o.config && o.configEnv)
    throw new AgentInputError("give the smoke tests once: --config or --config-env");
  if (o.configEnv) return smokeConfigFrom(`$${o.configEnv}`, fromEnv(o.configEnv, "the smoke tests (YAML)"));
  if (o.config) return loadSmokeConfig(o.config);
  throw new AgentInputError("name the smoke tests: --config <file> or --config-env <var>");
}

function waitSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 3600)
    throw new AgentInputError(`--wait ${text}: must be whole seconds between 0 and 3600`);
  return seconds;
}

/**
 * `odooops agent smoke`: the staging build's smoke tests, after its clone and module update. The result
 * is a G2 evidence candidate (written with --evidence-file) the QA tester attaches when signing G2.
 * A staging build runs it from the host (model/plan/smoke-step.ts) with the app image's tests in a
 * variable, a one-time login and Odoo's followed log on stdin.
 */
export function registerSmoke(agent: Command, context: CommandContext): void {
  const command = agent
    .command("smoke")
    .description(
      "Smoke tests of a running environment: log in, load the main menus, URLs and RPC calls, a clean log",
    )
    .option("--config <file>", "the smoke tests (YAML: login, menus, urls, rpc)")
    .option("--config-env <var>", "variable holding the smoke tests' YAML, in place of --config")
    .requiredOption("--url <url>", "the environment's base URL")
    .requiredOption("--db <name>", "the database to log in to")
    .option(
      "--logs <file>",
      "Odoo's log since the build, '-' for stdin; any ERROR, CRITICAL or traceback fails",
    )
    .option(
      "--one-time-login-db-url-env <var>",
      "give the smoke user a random password in this database (never production) for the run only",
    )
    .option("--wait <seconds>", "wait this long for /web/health to answer first", "0")
    .option("--evidence-file <file>", "write the G2 evidence candidate (JSON) here");
  withOutputOptions(command).action(
    action(context, "smoke", async (o: SmokeCli) => {
      const config = await smokeConfig(o);
      const wait = waitSeconds(o.wait);
      const logFile = o.logs;
      const logs =
        logFile === "-"
          ? () => readUntilIdle(process.stdin)
          : logFile
            ? () => readFile(logFile, "utf8")
            : undefined;
      if (wait > 0) await waitForHealth(o.url, wait);
      const run = (password: string) =>
        runSmoke(config, { url: o.url, db: o.db, password, ...(logs ? { logs } : {}) });
      const results = o.oneTimeLoginDbUrlEnv
        ? await withOneTimeLogin(readDatabaseUrl(o.oneTimeLoginDbUrlEnv), config.login.user, run)
        : await run(smokePassword(config));
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
