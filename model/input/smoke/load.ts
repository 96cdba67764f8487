import type { Problem } from "../../problem.ts";
import { parseYamlConfig } from "../yaml-config.ts";
import { type SmokeConfig, smokeConfigSchema } from "./config.ts";

/** A smoke test file, or its problems located as `file:line:col path: message`. */
export function parseSmokeConfig(file: string, text: string): { config?: SmokeConfig; problems: Problem[] } {
  const { value, problems } = parseYamlConfig(file, text, smokeConfigSchema);
  return value ? { config: value, problems } : { problems };
}
