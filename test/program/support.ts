import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { captureProgram } from "../../cli/plan/capture.ts";

/** index.ts reads the admin's projects/ (empty in this repo): these tests run the examples. */
export const EXAMPLE_PROJECTS_DIR = "examples/projects";
process.env.ODOOOPS_PROJECTS_DIR = EXAMPLE_PROJECTS_DIR;

/** The prod stack file's config as the engine hands it to the program (strings), plus `extra`. */
export function prodConfig(extra: Record<string, string>): Record<string, string> {
  const { config } = parse(readFileSync("Pulumi.prod.yaml", "utf8")) as { config: Record<string, unknown> };
  return {
    ...Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    ...extra,
  };
}

/** Runs index.ts as `pulumi up` would, with these config values; `secretKeys` as the engine marks them. */
export function runProgram(config: Record<string, string>, secretKeys: string[]) {
  return captureProgram("odooops", "prod", async () => {
    pulumi.runtime.setAllConfig(config, secretKeys);
    await import("../../index.ts");
  });
}
