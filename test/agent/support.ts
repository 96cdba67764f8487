import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import S3rver from "s3rver";
import { main } from "../../cli/main.ts";
import { type FixtureOptions, loadOdooFixture } from "../fixtures/odoo/fixture.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

/** A test database holding the Odoo-shaped fixture. */
export type OdooDb = TestDatabase;

/** A fresh Odoo-shaped database on the run's PostgreSQL server. */
export async function odooDatabase(prefix: string, options: FixtureOptions): Promise<OdooDb> {
  const db = await createTestDatabase(prefix);
  await loadOdooFixture(db.url, options);
  return db;
}

export async function query<T extends pg.QueryResultRow = Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Row count and content checksum of every table in the public schema, to compare two databases. */
export async function tableFingerprints(url: string): Promise<Record<string, string>> {
  const tables = await query<{ t: string }>(
    url,
    "select tablename as t from pg_tables where schemaname = 'public' order by 1",
  );
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [row] = await query<{ n: string; sum: string | null }>(
      url,
      `select count(*) as n, md5(string_agg(md5(x::text), '' order by md5(x::text))) as sum from public."${t}" x`,
    );
    out[t] = `${row!.n}:${row!.sum}`;
  }
  return out;
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  return (await query(serverUrl, "select 1 from pg_database where datname = $1", [name])).length === 1;
}

export interface AgentRun {
  code: number;
  out: string;
  err: string;
}

let envCounter = 0;

/** Puts a value into a fresh environment variable and returns its name (the agent reads URLs from env). */
export function envVar(value: string, hint = "TEST_URL"): string {
  const name = `ODOOOPS_${hint}_${process.pid}_${envCounter++}`;
  process.env[name] = value;
  return name;
}

/** Runs `odooops agent …` in-process, capturing its output. */
export async function agent(...argv: string[]): Promise<AgentRun> {
  let out = "";
  let err = "";
  const code = await main(["agent", ...argv], {
    out: (t) => {
      out += t.endsWith("\n") ? t : `${t}\n`;
    },
    err: (t) => {
      err += t.endsWith("\n") ? t : `${t}\n`;
    },
  });
  return { code, out, err };
}

/** `odooops agent backup` of the database in variable `dbEnv` to `location`, with its filestore, as JSON. */
export function backupArgv(dbEnv: string, location: string, filestore: string, ...extra: string[]): string[] {
  return [
    "backup",
    "--db-url-env",
    dbEnv,
    "--location",
    location,
    "--filestore-dir",
    filestore,
    "--json",
    "--quiet",
    ...extra,
  ];
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `odooops-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface S3Server {
  endpoint: string;
  bucket: string;
  location: (prefix?: string) => string;
  close: () => Promise<void>;
}

/** A real S3-compatible server on loopback (s3rver), with one bucket; the agent finds it through env. */
export async function s3Server(bucket = "odooops-backups"): Promise<S3Server> {
  const dir = tempDir("s3");
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: dir.path,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = (await server.run()) as { address: string; port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  process.env.ODOOOPS_S3_ENDPOINT = endpoint;
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  process.env.AWS_REGION = "us-east-1";
  return {
    endpoint,
    bucket,
    location: (prefix = "backups/") => `s3://${bucket}/${prefix}`,
    close: async () => {
      await server.close();
      dir.remove();
    },
  };
}
