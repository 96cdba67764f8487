import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  clusterExists,
  clusterRunning,
  connectionString,
  freePort,
  initCluster,
  startCluster,
  stopCluster,
} from "./local-postgres.ts";
import { applyMigrations, type Migration, SEED, supabaseShimSql } from "./migrations.ts";

/**
 * `odooops control-plane up|down|status`: a control plane on this machine in one command — a PostgreSQL
 * cluster kept in `dir` (gitignored `.odooops/control-plane/` by default), database `odooops` with
 * Supabase's roles (the shim), every migration and, when the database is new, the seed. Trust
 * authentication on 127.0.0.1 only: it is a developer's sandbox, never a deployment target.
 */
export const DEFAULT_LOCAL_DIR = ".odooops/control-plane";
const DATABASE = "odooops";

const stateSchema = z.object({ port: z.int().min(1).max(65535) });

export interface LocalStatus {
  dir: string;
  initialised: boolean;
  running: boolean;
  url: string | undefined;
}

export interface UpResult extends LocalStatus {
  started: boolean;
  applied: Migration[];
  seeded: boolean;
}

function statePath(dir: string): string {
  return join(dir, "state.json");
}

function readPort(dir: string): number | undefined {
  if (!existsSync(statePath(dir))) return undefined;
  const parsed = stateSchema.safeParse(JSON.parse(readFileSync(statePath(dir), "utf8")));
  if (!parsed.success)
    throw new Error(`${statePath(dir)} is damaged; run control-plane down and remove ${dir}`);
  return parsed.data.port;
}

function urlFor(port: number, database = DATABASE): string {
  return connectionString({ host: "127.0.0.1", port, user: "postgres" }, database);
}

export async function localStatus(dir = DEFAULT_LOCAL_DIR): Promise<LocalStatus> {
  const initialised = clusterExists(dir);
  const port = initialised ? readPort(dir) : undefined;
  const running = initialised && (await clusterRunning(dir));
  return { dir, initialised, running, url: port ? urlFor(port) : undefined };
}

/** `pg` is loaded when a command connects: `odooops --help` and `validate` never need it. */
async function connectTo(url: string) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Creates the database when missing; answers whether it did, so the seed loads exactly once. */
async function ensureDatabase(port: number): Promise<boolean> {
  const admin = await connectTo(urlFor(port, "postgres"));
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [DATABASE]);
    if (found.rowCount) return false;
    await admin.query(`create database ${DATABASE}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Idempotent: initialises, starts, migrates whatever is not done yet; never reseeds existing data. */
export async function localUp(
  dir = DEFAULT_LOCAL_DIR,
  options: { seed: boolean } = { seed: true },
): Promise<UpResult> {
  if (!clusterExists(dir)) {
    await initCluster(dir);
    writeFileSync(statePath(dir), JSON.stringify({ port: await freePort() }), { mode: 0o600 });
  }
  const port = readPort(dir) ?? (await freePort());
  if (!existsSync(statePath(dir))) writeFileSync(statePath(dir), JSON.stringify({ port }), { mode: 0o600 });
  const started = !(await clusterRunning(dir));
  if (started) await startCluster({ dir, port, durable: true });
  const created = await ensureDatabase(port);
  const client = await connectTo(urlFor(port));
  try {
    await client.query(supabaseShimSql());
    const applied = await applyMigrations(client);
    const seeded = created && options.seed;
    if (seeded) await client.query(readFileSync(SEED, "utf8"));
    return { dir, initialised: true, running: true, url: urlFor(port), started, applied, seeded };
  } finally {
    await client.end();
  }
}

/** Stops the server cleanly; the data stays in `dir` for the next `up`. */
export async function localDown(dir = DEFAULT_LOCAL_DIR): Promise<boolean> {
  if (!(await clusterRunning(dir))) return false;
  await stopCluster(dir, "fast");
  return true;
}
