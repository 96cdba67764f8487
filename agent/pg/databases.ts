import type pg from "pg";
import { AgentError } from "../errors.ts";
import { connect, withDatabase } from "./connection.ts";

/**
 * Database-level operations (create, rename, drop, markers), run from a maintenance database on the
 * same server. Databases the agent is still filling carry a comment `odooops:incomplete …`, which is how
 * a re-run knows a leftover is its own and may be replaced, and never mistakes someone else's for it.
 */

export const INCOMPLETE_MARK = "odooops:incomplete";

export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Candidates for the maintenance database: DigitalOcean clusters have defaultdb, others postgres. */
const MAINTENANCE_DATABASES = ["postgres", "defaultdb", "template1"];

/** Connects to a maintenance database of the server `url` points at. */
export async function connectServer(url: string): Promise<pg.Client> {
  const preferred = process.env.ODOOOPS_MAINTENANCE_DB;
  let last: unknown;
  for (const database of preferred ? [preferred] : MAINTENANCE_DATABASES) {
    try {
      return await connect(withDatabase(url, database));
    } catch (error) {
      last = error;
    }
  }
  throw new AgentError(`cannot connect to the database server: ${(last as Error).message}`);
}

export async function databaseExists(server: pg.Client, name: string): Promise<boolean> {
  return (await server.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
}

export async function databaseComment(server: pg.Client, name: string): Promise<string | undefined> {
  const { rows } = await server.query<{ comment: string | null }>(
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
    [name],
  );
  return rows[0]?.comment ?? undefined;
}

export async function setDatabaseComment(
  server: pg.Client,
  name: string,
  comment: string | null,
): Promise<void> {
  await server.query(`comment on database ${ident(name)} is ${comment === null ? "null" : literal(comment)}`);
}

export async function createDatabase(server: pg.Client, name: string, comment: string): Promise<void> {
  // template0: a copy must not inherit objects someone added to template1.
  await server.query(`create database ${ident(name)} template template0 encoding 'UTF8'`);
  await setDatabaseComment(server, name, comment);
}

export async function dropDatabase(server: pg.Client, name: string): Promise<void> {
  await server.query(`drop database if exists ${ident(name)} with (force)`);
}

export async function renameDatabase(server: pg.Client, from: string, to: string): Promise<void> {
  await server.query(`alter database ${ident(from)} rename to ${ident(to)}`);
}

/** Sessions connected to a database, other than ours. */
export async function otherSessions(server: pg.Client, name: string): Promise<number> {
  const { rows } = await server.query<{ n: string }>(
    "select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
    [name],
  );
  return Number(rows[0]!.n);
}

export async function terminateSessions(server: pg.Client, name: string): Promise<void> {
  await server.query(
    "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
    [name],
  );
}

/** True when the database holds no tables, views, sequences or functions of its own. */
export async function isEmptyDatabase(url: string): Promise<boolean> {
  const client = await connect(url);
  try {
    const { rows } = await client.query<{ n: string }>(
      `select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
                where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%')
            + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%') as n`,
    );
    return Number(rows[0]!.n) === 0;
  } finally {
    await client.end();
  }
}

/** A database name derived from another, within PostgreSQL's 63-byte limit. */
export function derivedName(base: string, suffix: string): string {
  const room = 63 - suffix.length;
  return `${base.length > room ? base.slice(0, room) : base}${suffix}`;
}
