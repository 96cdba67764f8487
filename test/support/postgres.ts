import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  connectionString,
  freePort,
  initCluster,
  PG_BIN,
  startCluster,
  stopCluster,
} from "../../controlplane/local-postgres.ts";

export { connectionString, PG_BIN };

/** The tests' real PostgreSQL 15 server: a fresh cluster in a temporary directory, durability off. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  dataDir: string;
}

export async function startPostgres(settings: Record<string, string> = {}): Promise<PostgresServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "odooops-pg-"));
  await initCluster(dataDir);
  const port = await freePort();
  await startCluster({ dir: dataDir, port, durable: false, settings });
  return { host: "127.0.0.1", port, user: "postgres", dataDir };
}

export async function stopPostgres(server: PostgresServer): Promise<void> {
  await stopCluster(server.dataDir, "immediate").catch(() => undefined);
  rmSync(server.dataDir, { recursive: true, force: true });
}
