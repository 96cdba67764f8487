import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { type PostgresServer, startPostgres, stopPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: Pick<PostgresServer, "host" | "port" | "user">;
  }
}

/**
 * One PostgreSQL server for the whole run; each test file creates its own databases on it. Every
 * temporary file of the run (test files' scratch directories, the server's data) lives in one directory,
 * removed when the run ends: the test processes inherit TMPDIR, and os.tmpdir() reads it.
 */
export default async function setup(project: TestProject) {
  const runDir = mkdtempSync(join(tmpdir(), "odooops-test-run-"));
  // Searchable, not listable: servers the tests start run as `postgres` when the run is root.
  chmodSync(runDir, 0o711);
  process.env.TMPDIR = runDir;
  const server = await startPostgres();
  project.provide("postgres", { host: server.host, port: server.port, user: server.user });
  return async () => {
    await stopPostgres(server);
    rmSync(runDir, { recursive: true, force: true });
  };
}
