import { expect } from "vitest";
import { runCli } from "../../../support/cli.ts";

/** `odooops plan --stack prod --base <ref> --format json …`: expects no error and returns the parsed plan. */
export async function prodPlanAgainst<T>(ref: string, ...extra: string[]): Promise<T> {
  const { code, stdout, stderr } = await runCli(
    "plan",
    "--stack",
    "prod",
    "--base",
    ref,
    "--format",
    "json",
    ...extra,
  );
  expect(stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(stdout) as T;
}
