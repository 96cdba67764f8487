import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";

/**
 * From the package, not the working directory: `npx odooops control-plane up` runs in a platform
 * repository, which has no supabase/. This module and every file of the CLI bundle (dist/) sit one folder
 * below the package root, so the same relative URL is right from both.
 */
const packageFile = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/**
 * Supabase CLI layout: `supabase/migrations/<version>_<name>.sql`, applied in version order. This runner
 * is for local databases and tests; a Supabase project applies the same files with `supabase db push`.
 */
export const MIGRATIONS_DIR = packageFile("supabase/migrations");

/**
 * What a Supabase database already has (API roles, auth.uid() and friends), for a plain PostgreSQL only:
 * the local control plane and the tests. Outside supabase/tests, so `supabase test db` never runs it and
 * it never reaches a real project.
 */
export const SUPABASE_SHIM = packageFile("supabase/local/supabase-shim.sql");
export const SEED = packageFile("supabase/seed.sql");

export function supabaseShimSql(): string {
  return readFileSync(SUPABASE_SHIM, "utf8");
}

export interface Migration {
  version: string;
  name: string;
  file: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .map((file) => /^(\d{14})_([a-z0-9_]+)\.sql$/.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ version: match[1]!, name: match[2]!, file: join(dir, match[0]) }))
    .sort((a, b) => a.version.localeCompare(b.version));
}

/** Applies the migrations not yet recorded, each in its own transaction, recording them as the CLI does. */
export async function applyMigrations(client: pg.ClientBase, dir = MIGRATIONS_DIR): Promise<Migration[]> {
  // The Supabase CLI's own history table, so `supabase db push` later sees these as applied.
  await client.query(`create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations
      (version text not null primary key, statements text[], name text)`);
  const done = await client.query<{ version: string }>(
    "select version from supabase_migrations.schema_migrations",
  );
  const applied = new Set(done.rows.map((r) => r.version));
  const pending = listMigrations(dir).filter((m) => !applied.has(m.version));
  for (const migration of pending) {
    await client.query("begin");
    try {
      await client.query(readFileSync(migration.file, "utf8"));
      await client.query(
        "insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)",
        [migration.version, migration.name],
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback");
      throw new Error(`migration ${migration.file} failed: ${(error as Error).message}`);
    }
  }
  return pending;
}
