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
  return smokeConfigFrom(file, text);
}

/** The smoke tests from text that came another way than a file (an environment variable). */
export function smokeConfigFrom(name: string, text: string): SmokeConfig {
  const { config, problems } = parseSmokeConfig(name, text);
  if (!config) throw new AgentInputError(problems.map(formatProblem).join("\n"));
  return config;
}

/** The smoke user's password from the variable the file names; a one-time login needs none. */
export function smokePassword(config: SmokeConfig): string {
  if (!config.login.passwordEnv)
    throw new AgentInputError(
      "the smoke tests name no login.passwordEnv: set one, or run with --one-time-login-db-url-env",
    );
  return fromEnv(config.login.passwordEnv, "the smoke test user's password");
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
      password: smokePassword(config),
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
