import { createHmac, timingSafeEqual } from "node:crypto";
import pg from "pg";

/**
 * A stand-in for Supabase's API gateway + PostgREST, for supabase-js's `fetch`: it verifies the JWT as
 * PostgREST does (HS256 with the project's secret), then runs the `rpc` call on the real database the way
 * PostgREST does — logged in as `authenticator`, `set local role` to the JWT's role, the claims in
 * `request.jwt.claims`, named arguments bound by json_to_record, one transaction — and answers with
 * PostgREST's status codes and error bodies. Only the SQL that PostgREST would run is run.
 */
export const JWT_SECRET = "test-only-jwt-secret-with-at-least-32-characters";

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

export function signJwt(claims: Record<string, unknown>, secret = JWT_SECRET): string {
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(JSON.stringify({ iat: Math.floor(Date.now() / 1000), ...claims }));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The keys a Supabase project hands out, and a member's access token. */
export const serviceRoleKey = () => signJwt({ role: "service_role", iss: "supabase" });
export const anonKey = () => signJwt({ role: "anon", iss: "supabase" });
export const memberToken = (userId: string) =>
  signJwt({
    sub: userId,
    role: "authenticated",
    aud: "authenticated",
    exp: Math.floor(Date.now() / 1000) + 3600,
  });

function verifyJwt(token: string, secret: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) return undefined;
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) return undefined;
  return claims;
}

const API_ROLES = new Set(["anon", "authenticated", "service_role"]);

function reply(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** PostgREST's mapping of SQLSTATE to HTTP status (docs: "HTTP Status Codes"). */
function statusOf(code: string, role: string): number {
  if (code === "42501") return role === "anon" ? 401 : 403;
  if (code === "42883" || code === "42P01") return 404;
  if (code === "23503" || code === "23505") return 409;
  if (code === "P0001") return 400;
  if (/^(P0|XX|08|53|40)/.test(code)) return code.startsWith("53") ? 503 : 500;
  return 400;
}

export interface PostgrestStandIn {
  fetch: typeof fetch;
  /** Every rpc the stand-in served, to show that supabase-js really went through it. */
  calls: string[];
  close(): Promise<void>;
}

export function postgrestStandIn(authenticatorUrl: string, secret = JWT_SECRET): PostgrestStandIn {
  const pool = new pg.Pool({ connectionString: authenticatorUrl, max: 10 });
  pool.on("error", () => undefined); // an idle connection ended by the database's forced drop
  const calls: string[] = [];

  async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const fn = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)$/.exec(path)?.[1];
    if (!fn || request.method !== "POST")
      return reply(404, { code: "PGRST125", message: `no route ${path}` });
    const schema = request.headers.get("content-profile") ?? "public";
    if (schema !== "ops" && schema !== "public")
      return reply(406, {
        code: "PGRST106",
        message: "The schema must be one of the following: public, ops",
      });
    const token =
      request.headers.get("authorization")?.replace(/^Bearer /, "") ?? request.headers.get("apikey");
    const claims = token ? verifyJwt(token, secret) : undefined;
    const role = typeof claims?.role === "string" ? claims.role : "";
    if (!claims || !API_ROLES.has(role)) return reply(401, { code: "PGRST301", message: "JWT invalid" });
    const body = (await request.json()) as Record<string, unknown>;
    calls.push(fn);

    const client = await pool.connect();
    try {
      const names = Object.keys(body);
      const { rows: params } = await client.query<{ name: string; type: string }>(
        `select a.name, format_type(a.type, null) as type
           from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           left join lateral unnest(p.proargnames, p.proargtypes::oid[]) as a(name, type) on true
          where n.nspname = $1 and p.proname = $2`,
        [schema, fn],
      );
      // A function without arguments is one row with a null name: it exists, with nothing to bind.
      const types = new Map(params.filter((r) => r.name !== null).map((p) => [p.name, p.type]));
      if (params.length === 0 || names.some((n) => !types.has(n)))
        return reply(404, {
          code: "PGRST202",
          message: `Could not find the function ${schema}.${fn}(${names.join(", ")}) in the schema cache`,
        });
      const call = names.length
        ? `select ${schema}.${fn}(${names.map((n) => `${n} := _.${n}`).join(", ")}) as result
             from json_to_record($1::json) as _(${names.map((n) => `${n} ${types.get(n)}`).join(", ")})`
        : `select ${schema}.${fn}() as result`;
      await client.query("begin");
      await client.query(`set local role ${role}`);
      await client.query(
        "select set_config('request.jwt.claims', $1, true), set_config('request.method', 'POST', true)",
        [JSON.stringify(claims)],
      );
      const result = await client.query<{ result: unknown }>(
        call,
        names.length ? [JSON.stringify(body)] : [],
      );
      await client.query("commit");
      return reply(200, result.rows[0]?.result ?? null);
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      const e = error as { code?: string; message?: string; detail?: string; hint?: string };
      const code = e.code ?? "XX000";
      return reply(statusOf(code, role), {
        code,
        message: e.message ?? "",
        details: e.detail ?? null,
        hint: e.hint ?? null,
      });
    } finally {
      client.release();
    }
  }

  return {
    fetch: (input, init) => handle(new Request(input, init)),
    calls,
    close: () => pool.end(),
  };
}
