import { readFileSync } from "node:fs";

/** The agent's version, from package.json: recorded in evidence so a result can be traced to code. */
export const AGENT_VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;
