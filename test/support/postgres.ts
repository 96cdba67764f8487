import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A real PostgreSQL 15 server for the tests, started from Debian's binaries (the same major version as
 * Debian's pg_dump/pg_restore, which refuse a newer server). `npm test` installs them when missing
 * (scripts/ensure-postgres.sh). initdb refuses to run as root, so as root the server runs as `postgres`.
 */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  dataDir: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function asServerUser(command: string, args: string[]): [string, string[]] {
  return userInfo().uid === 0 ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

export async function startPostgres(): Promise<PostgresServer> {
  if (!existsSync(join(PG_BIN, "postgres")))
    throw new Error(
      `PostgreSQL 15 not found in ${PG_BIN}; install postgresql-15 (scripts/ensure-postgres.sh) or set PG_BIN`,
    );
  const dataDir = mkdtempSync(join(tmpdir(), "odooops-pg-"));
  if (userInfo().uid === 0)
    chownSync(
      dataDir,
      Number((await run("id", ["-u", "postgres"])).stdout),
      Number((await run("id", ["-g", "postgres"])).stdout),
    );
  const port = await freePort();
  const [initCmd, initArgs] = asServerUser(join(PG_BIN, "initdb"), [
    "-D",
    join(dataDir, "data"),
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  await run(initCmd, initArgs);
  // Durability off: these databases live for one test run.
  const serverOptions = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const [ctlCmd, ctlArgs] = asServerUser(join(PG_BIN, "pg_ctl"), [
    "-D",
    join(dataDir, "data"),
    "-o",
    serverOptions,
    "-l",
    join(dataDir, "server.log"),
    "-w",
    "start",
  ]);
  await run(ctlCmd, ctlArgs);
  return { host: "127.0.0.1", port, user: "postgres", dataDir };
}

export async function stopPostgres(server: PostgresServer): Promise<void> {
  const [cmd, args] = asServerUser(join(PG_BIN, "pg_ctl"), [
    "-D",
    join(server.dataDir, "data"),
    "-m",
    "immediate",
    "-w",
    "stop",
  ]);
  await run(cmd, args).catch(() => undefined);
  rmSync(server.dataDir, { recursive: true, force: true });
}

export function connectionString(
  server: Pick<PostgresServer, "host" | "port" | "user">,
  database = "postgres",
): string {
  return `postgresql://${server.user}@${server.host}:${server.port}/${database}`;
}
