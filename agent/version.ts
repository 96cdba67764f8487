import { readFileSync } from "node:fs";
import { PACKAGE_ROOT } from "./package-root.ts";

/** The agent's version, from package.json: recorded in evidence so a result can be traced to code. */
export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8")) as { version: string }
).version;
