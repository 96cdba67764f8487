import pg from "pg";
import { applyMigrations, supabaseShimSql } from "../../../controlplane/migrations.ts";
import { createTestDatabase, testServer } from "../../support/databases.ts";
import { connectionString } from "../../support/postgres.ts";

const SHIM = supabaseShimSql();

export interface ControlPlaneDatabase {
  name: string;
  /** Superuser URL: owner of the schema, as `postgres` is on Supabase. */
  url: string;
  /** A URL for `authenticator`, the role PostgREST logs in as. */
  authenticatorUrl: string;
  /** Runs SQL as the superuser. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  drop(): Promise<void>;
}

/**
 * A fresh database on the run's real PostgreSQL with Supabase's roles and auth functions (the test
 * shim) and every migration applied. Roles are cluster-wide, so the shim runs under a server-wide lock.
 */
export async function createControlPlaneDatabase(prefix = "cp"): Promise<ControlPlaneDatabase> {
  const database = await createTestDatabase(prefix);
  const lock = new pg.Client({ connectionString: connectionString(testServer()) });
  const admin = new pg.Client({ connectionString: database.url });
  await Promise.all([lock.connect(), admin.connect()]);
  try {
    await lock.query("select pg_advisory_lock(6006)");
    await admin.query(SHIM);
    await lock.query("select pg_advisory_unlock(6006)");
    await applyMigrations(admin);
  } finally {
    await Promise.all([lock.end(), admin.end()]);
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 3 });
  // pool.end() resolves before its sockets close, so drop's `with (force)` may still terminate one:
  // without a listener the pool rethrows that as an unhandled error.
  pool.on("error", () => undefined);
  const url = new URL(database.url);
  url.username = "authenticator";
  return {
    name: database.name,
    url: database.url,
    authenticatorUrl: url.toString(),
    sql: (text, values) => pool.query(text, values),
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
}
