import { execFile } from "node:child_process";
import { accessSync, chownSync, constants, existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL 15 cluster from Debian's binaries (`postgresql-15`, the same major version as Debian's
 * pg_dump/pg_restore, which refuse a newer server): the tests' throw-away server and the local control
 * plane (`odooops control-plane up`). initdb refuses to run as root, so as root the server runs as
 * `postgres`, which must then be able to reach the data directory.
 */
export const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface ClusterOptions {
  /** Holds `data/` (the cluster), `server.log` and the Unix socket. */
  dir: string;
  port: number;
  /** Off for test servers that live for one run; on for a control plane kept between runs. */
  durable: boolean;
  /** More server settings, e.g. `{ wal_level: "logical" }` for a replication source (names and values plain). */
  settings?: Record<string, string>;
}

export async function freePort(): Promise<number> {
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

function requireBinaries(): void {
  if (!existsSync(join(PG_BIN, "postgres")))
    throw new Error(
      `PostgreSQL 15 not found in ${PG_BIN}; install postgresql-15 (scripts/ensure-postgres.sh) or set PG_BIN`,
    );
}

/** As root the server runs as `postgres`: it must own `dir` and be able to reach it. */
async function handOver(dir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  const uid = Number((await run("id", ["-u", "postgres"])).stdout);
  const gid = Number((await run("id", ["-g", "postgres"])).stdout);
  chownSync(dir, uid, gid);
  try {
    await run("runuser", ["-u", "postgres", "--", "test", "-w", dir]);
  } catch {
    throw new Error(
      `the postgres user cannot write ${dir} (a parent directory is closed to it); run as a normal user or choose a directory under /var/tmp`,
    );
  }
}

/**
 * The cluster's data directory, always absolute: the server tools run as the postgres user (as root,
 * through runuser), which cannot always enter the caller's working directory (root's home is 0700) and
 * then resolves a relative path from elsewhere — `status` said "not running" of a running cluster.
 */
function dataDirectory(dir: string): string {
  return resolve(dir, "data");
}

export function clusterExists(dir: string): boolean {
  return existsSync(join(dataDirectory(dir), "PG_VERSION"));
}

export async function initCluster(relativeDir: string): Promise<void> {
  requireBinaries();
  const dir = resolve(relativeDir);
  mkdirSync(dirname(dir), { recursive: true });
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o700 });
  accessSync(dir, constants.W_OK);
  await handOver(dir);
  const [cmd, args] = asServerUser(join(PG_BIN, "initdb"), [
    "-D",
    dataDirectory(dir),
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  await run(cmd, args);
}

/** Starts the cluster listening on 127.0.0.1 only (trust authentication: never on another address). */
export async function startCluster(given: ClusterOptions): Promise<void> {
  requireBinaries();
  // The server resolves a relative socket directory from its data directory: always absolute paths.
  const options = { ...given, dir: resolve(given.dir) };
  const durability = options.durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  const settings = Object.entries(options.settings ?? {})
    .filter(([name, value]) => /^[a-z_]+$/.test(name) && /^[A-Za-z0-9_.]+$/.test(value))
    .map(([name, value]) => ` -c ${name}=${value}`)
    .join("");
  const serverOptions = `-p ${options.port} -k ${options.dir} -c listen_addresses=127.0.0.1 -c max_connections=200${durability}${settings}`;
  const [cmd, args] = asServerUser(join(PG_BIN, "pg_ctl"), [
    "-D",
    dataDirectory(options.dir),
    "-o",
    serverOptions,
    "-l",
    join(options.dir, "server.log"),
    "-w",
    "start",
  ]);
  await run(cmd, args);
}

/** `immediate` for throw-away test servers, `fast` (clean shutdown) for a kept cluster. */
export async function stopCluster(dir: string, mode: "fast" | "immediate"): Promise<void> {
  const [cmd, args] = asServerUser(join(PG_BIN, "pg_ctl"), [
    "-D",
    dataDirectory(dir),
    "-m",
    mode,
    "-w",
    "stop",
  ]);
  await run(cmd, args);
}

export async function clusterRunning(dir: string): Promise<boolean> {
  if (!clusterExists(dir)) return false;
  const [cmd, args] = asServerUser(join(PG_BIN, "pg_ctl"), ["-D", dataDirectory(dir), "status"]);
  return run(cmd, args).then(
    () => true,
    () => false,
  );
}

export function connectionString(
  server: { host: string; port: number; user: string },
  database = "postgres",
): string {
  return `postgresql://${server.user}@${server.host}:${server.port}/${database}`;
}
