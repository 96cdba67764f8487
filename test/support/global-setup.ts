import type { TestProject } from "vitest/node";
import { type PostgresServer, startPostgres, stopPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    postgres: Pick<PostgresServer, "host" | "port" | "user">;
  }
}

/** One PostgreSQL server for the whole run; each test file creates its own databases on it. */
export default async function setup(project: TestProject) {
  const server = await startPostgres();
  project.provide("postgres", { host: server.host, port: server.port, user: server.user });
  return async () => stopPostgres(server);
}
