import { isOneLine } from "../one-line.ts";
import type { Problem } from "../problem.ts";

/**
 * How a resident data agent holds its credentials (production's database URL, the backup writer's storage
 * keys, the control-plane keys): in a read-only file uploaded into its container, never as container
 * environment. `docker inspect`, `docker ps --format '{{.Config.Env}}'`, and every
 * monitoring or support tool that collects container metadata print a container's environment in full.
 * The container's environment names the file (AGENT_ENV_FILE_VAR); each `odooops agent …` process
 * reads it at start (agent/env-file.ts), and a variable the caller passed (`docker exec -e`) wins.
 */
export const AGENT_ENV_FILE = "/etc/odooops-agent.env";
export const AGENT_ENV_FILE_VAR = "ODOOOPS_ENV_FILE";

/**
 * The docker provider's upload of the file. The provider writes it as root (kreuzwerker's v4.5.0, which
 * @pulumi/docker bridges, sets no owner in the archive it copies in), so it is readable by every uid in
 * the container, where the only one is the agent's (the image's USER), and writable by none of them.
 */
export interface AgentEnvFileUpload {
  file: string;
  content: string;
  permissions: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The file, in docker's `--env-file` format: `NAME=value` per line, the value verbatim to the end of the
 * line (no quoting, no expansion, nothing to escape), so that an operator can also read it with
 * `docker run --env-file`. A value holding a line break or another control character is refused.
 */
export function renderEnvFile(assignments: readonly string[]): string {
  const lines = assignments.map((assignment) => {
    const at = assignment.indexOf("=");
    const name = at < 0 ? assignment : assignment.slice(0, at);
    if (!NAME.test(name)) throw new Error(`environment file: "${name}" is not a variable name`);
    if (!isOneLine(assignment))
      throw new Error(`environment file: the value of ${name} holds a line break or control character`);
    return assignment;
  });
  return lines.map((line) => `${line}\n`).join("");
}

export function agentEnvFileUpload(assignments: readonly string[]): AgentEnvFileUpload {
  return {
    file: AGENT_ENV_FILE,
    content: renderEnvFile(assignments),
    permissions: "0444",
  };
}

export type ParsedEnvFile = { ok: true; values: Record<string, string> } | { ok: false; problems: Problem[] };

/**
 * Reads the format renderEnvFile writes: blank lines and `#` comments are skipped, every other line is
 * `NAME=value`. A name given twice is refused (which one was meant?), as is a line without `=`.
 */
export function parseEnvFile(text: string, file: string): ParsedEnvFile {
  const values: Record<string, string> = {};
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const at = line.indexOf("=");
    const name = at < 0 ? line : line.slice(0, at);
    const message =
      at < 0 || !NAME.test(name)
        ? "expected NAME=value"
        : seen.has(name)
          ? `${name} is set twice`
          : undefined;
    if (message) {
      problems.push({ file, line: index + 1, col: 1, path: "", message });
      continue;
    }
    seen.add(name);
    values[name] = line.slice(at + 1);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
