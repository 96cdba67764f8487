import { readFile } from "node:fs/promises";
import { AGENT_ENV_FILE_VAR, parseEnvFile } from "../model/plan/agent-env-file.ts";
import { formatProblem } from "../model/problem.ts";
import { AgentInputError } from "./errors.ts";

/**
 * Fills `env` from the file AGENT_ENV_FILE_VAR names, when it names one (model/plan/agent-env-file.ts
 * says why a resident agent's credentials live there). Variables already set win, as `docker exec -e`
 * wins over a container's own environment. The file's values never appear in a message.
 */
export async function loadAgentEnvFile(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env[AGENT_ENV_FILE_VAR];
  if (!file) return;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new AgentInputError(`${AGENT_ENV_FILE_VAR} names ${file}, which cannot be read (${code})`);
  }
  const parsed = parseEnvFile(text, file);
  if (!parsed.ok) throw new AgentInputError(parsed.problems.map(formatProblem).join("; "));
  for (const [name, value] of Object.entries(parsed.values)) if (env[name] === undefined) env[name] = value;
}
