import type { Pool, PoolClient } from "pg";
import { RpcControlPlane } from "./client.ts";
import { ControlPlaneError, fromDatabaseError, redactUrl, unavailable } from "./errors.ts";
import type { ControlPlane, RpcTransport } from "./types.ts";

export interface PgControlPlaneOptions {
  /** postgresql:// URL of a role that may `set role` to authenticated and service_role (e.g. postgres). */
  connectionString: string;
  /**
   * Acting member, by GitHub login: resolved to their user id and presented to the database as a signed-in
   * Supabase user would be (`role authenticated`, `request.jwt.claims.sub`). Without it the connection
   * acts as the service role, as CI and the host agent do.
   */
  actor?: string | undefined;
  /**
   * Act as Supabase's anon role instead, as an app repository's CI does with the public anon key: it may
   * only record builds with a build key (ops.record_build_with_key).
   */
  anonymous?: boolean;
  maxConnections?: number;
}

type Claims = { role: "authenticated"; sub: string } | { role: "service_role" } | { role: "anon" };

const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === "string" && (CONNECTION_ERRORS.has(code) || code.startsWith("08") || code === "28P01")
  );
}

/**
 * The pg transport calls a function the way PostgREST does: one transaction, `set local role`, the JWT
 * claims in `request.jwt.claims`, and named arguments bound from JSON by `json_to_record` with the
 * function's own parameter types — so both adapters run exactly the same SQL path.
 */
export class PgTransport implements RpcTransport {
  /** Opened on the first call: `pg` is loaded then, not when the CLI starts. */
  private opened: Promise<Pool> | undefined;
  private readonly where: string;
  private claims: Promise<Claims> | undefined;
  private readonly signatures = new Map<string, string>();

  constructor(private readonly options: PgControlPlaneOptions) {
    this.where = redactUrl(options.connectionString);
  }

  private pool(): Promise<Pool> {
    this.opened ??= import("pg").then(({ default: pg }) => {
      const pool = new pg.Pool({
        connectionString: this.options.connectionString,
        max: this.options.maxConnections ?? 4,
      });
      pool.on("error", () => undefined); // an idle client dropped by the server; the next call reconnects
      return pool;
    });
    return this.opened;
  }

  private async resolveClaims(): Promise<Claims> {
    if (this.options.anonymous) return { role: "anon" };
    const login = this.options.actor;
    if (!login) return { role: "service_role" };
    const found = await (await this.pool()).query<{ user_id: string }>(
      "select distinct user_id from ops.members where lower(github_login) = lower($1)",
      [login],
    );
    if (found.rows.length === 1) return { role: "authenticated", sub: found.rows[0]!.user_id };
    throw new ControlPlaneError(
      "forbidden",
      "42501",
      found.rows.length === 0
        ? `no member with GitHub login ${login} in any project`
        : `GitHub login ${login} belongs to ${found.rows.length} different users`,
      "members come from personas in projects/<name>.yaml; check --as or ODOOOPS_ACTOR",
    );
  }

  /** `select ops.fn(a := _.a, …) from json_to_record($1) as _(a type, …)` for the arguments given. */
  private async callSql(client: PoolClient, fn: string, names: string[]): Promise<string> {
    const key = `${fn}(${names.join(",")})`;
    const cached = this.signatures.get(key);
    if (cached) return cached;
    const { rows } = await client.query<{ name: string; type: string }>(
      `select a.name, format_type(a.type, null) as type
         from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         left join lateral unnest(p.proargnames, p.proargtypes::oid[]) as a(name, type) on true
        where n.nspname = 'ops' and p.proname = $1`,
      [fn],
    );
    // A function without arguments is one row with a null name: it exists, with nothing to bind.
    const types = new Map(rows.filter((r) => r.name !== null).map((r) => [r.name, r.type]));
    if (rows.length === 0 || names.some((n) => !types.has(n)))
      throw new ControlPlaneError(
        "schema_missing",
        "42883",
        `function ops.${fn}(${names.join(", ")}) does not exist`,
        "apply supabase/migrations to this database",
      );
    const bind = names.map((n) => `${n} := _.${n}`).join(", ");
    const record = names.map((n) => `${n} ${types.get(n)}`).join(", ");
    const sql = names.length
      ? `select ops.${fn}(${bind}) as result from json_to_record($1::json) as _(${record})`
      : `select ops.${fn}() as result`;
    this.signatures.set(key, sql);
    return sql;
  }

  async call(fn: string, args: Record<string, unknown>): Promise<unknown> {
    let client: PoolClient | undefined;
    try {
      this.claims ??= this.resolveClaims();
      const claims = await this.claims.catch((error) => {
        this.claims = undefined;
        throw error;
      });
      client = await (await this.pool()).connect();
      const names = Object.keys(args);
      const sql = await this.callSql(client, fn, names);
      await client.query("begin");
      await client.query(`set local role ${claims.role}`); // one of three literals, never input
      await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
      const result = await client.query<{ result: unknown }>(sql, names.length ? [JSON.stringify(args)] : []);
      await client.query("commit");
      return result.rows[0]?.result;
    } catch (error) {
      if (client) await client.query("rollback").catch(() => undefined);
      if (error instanceof ControlPlaneError) throw error;
      if (isConnectionError(error)) throw unavailable(this.where, error);
      const fields = error as { code?: string; message?: string; hint?: string };
      if (typeof fields.code === "string") throw fromDatabaseError(fields);
      throw unavailable(this.where, error);
    } finally {
      client?.release();
    }
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).end();
  }
}

export function createPgControlPlane(options: PgControlPlaneOptions): ControlPlane {
  return new RpcControlPlane(new PgTransport(options));
}
