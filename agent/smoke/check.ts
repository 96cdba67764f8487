import { readFile } from "node:fs/promises";
import { type SmokeConfig, smokeEvidence } from "../../model/input/smoke/config.ts";
import { parseSmokeConfig } from "../../model/input/smoke/load.ts";
import type { CheckRun } from "../../model/plan/upgrade/report.ts";
import { formatProblem } from "../../model/problem.ts";
import { fromEnv } from "../commands/common.ts";
import { AgentInputError } from "../errors.ts";
import { runSmoke } from "./run.ts";

/** Reads and validates a smoke test file: all of its problems in one error, located. */
export async function loadSmokeConfig(file: string): Promise<SmokeConfig> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new AgentInputError(`${file}: ${error.message}`);
  });
  const { config, problems } = parseSmokeConfig(file, text);
  if (!config) throw new AgentInputError(problems.map(formatProblem).join("\n"));
  return config;
}

/** The smoke tests as one check of the upgrade preview, against the database the preview made. */
export function smokeCheck(file: string, url: string): (databaseUrl: string) => Promise<CheckRun> {
  return async (databaseUrl) => {
    const started = Date.now();
    const config = await loadSmokeConfig(file);
    const db = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    const results = await runSmoke(config, {
      url,
      db,
      password: fromEnv(config.login.passwordEnv, "the smoke test user's password"),
    });
    const evidence = smokeEvidence(results, url);
    return {
      name: "smoke tests",
      ok: evidence.ok,
      durationMs: Date.now() - started,
      detail: evidence.summary,
    };
  };
}
