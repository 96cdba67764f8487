import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AgentError } from "../errors.ts";
import { libpqEnv } from "./connection.ts";

/**
 * The PostgreSQL client tools, of the same major version as the servers they talk to (pg_dump refuses
 * a newer server). ODOOOPS_PG_BIN or PG_BIN points at them; Debian's versioned directory is the default.
 */
export function pgBin(tool: "pg_dump" | "pg_restore" | "psql"): string {
  for (const dir of [process.env.ODOOOPS_PG_BIN, process.env.PG_BIN, "/usr/lib/postgresql/15/bin"])
    if (dir && existsSync(join(dir, tool))) return join(dir, tool);
  return tool;
}

export interface PgProcess {
  child: ChildProcess;
  /** Resolves when the tool exits 0; rejects with its last stderr lines otherwise. */
  exited: Promise<void>;
}

const STDERR_KEEP = 8192;

/** What a client tool may see of the agent's environment: locale, paths and libpq's own settings. */
const TOOL_ENV = /^(?:PATH|HOME|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+|PG[A-Z_]+)$/;

/**
 * The environment of a client tool: the agent's holds its other credentials (backup storage keys, the
 * control plane's key, the production URL), which pg_dump, pg_restore and psql never need and so never get.
 */
function toolEnv(url: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && TOOL_ENV.test(name)) env[name] = value;
  return { ...env, ...libpqEnv(url), PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? "15" };
}

/** Starts a PostgreSQL tool against `url`, credentials in its environment only. */
export function startPgTool(
  tool: "pg_dump" | "pg_restore" | "psql",
  args: readonly string[],
  url: string,
  stdio: { stdin?: "pipe" | "ignore"; stdout?: "pipe" | "ignore" } = {},
): PgProcess {
  const child = spawn(pgBin(tool), [...args], {
    env: toolEnv(url),
    stdio: [stdio.stdin ?? "ignore", stdio.stdout ?? "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once("error", (error) =>
      reject(
        new AgentError(
          `${tool} could not be started (${error.message}); install the PostgreSQL 15 client tools or set ODOOOPS_PG_BIN`,
        ),
      ),
    );
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else {
        const detail = stderr.trim().split("\n").slice(-6).join("\n");
        // libpq's own words for an unreachable server or a refused login: say it was the connection.
        const connection = /could not connect|connection to server .* failed/.test(detail)
          ? "cannot connect to the database: "
          : "";
        reject(
          new AgentError(
            `${connection}${tool} failed (${signal ?? `exit ${code}`})${detail ? `:\n${detail}` : ""}`,
          ),
        );
      }
    });
  });
  // The caller may never await `exited` when an earlier step fails; its rejection is reported there.
  exited.catch(() => undefined);
  return { child, exited };
}
