import type { SupabaseClient, SupabaseClientOptions } from "@supabase/supabase-js";
import { RpcControlPlane } from "./client.ts";
import { fromDatabaseError, redactUrl, unavailable } from "./errors.ts";
import type { ControlPlane, RpcTransport } from "./types.ts";

type RealtimeOptions = NonNullable<SupabaseClientOptions<"ops">["realtime"]>;

export interface SupabaseControlPlaneOptions {
  /** Project URL, e.g. https://<ref>.supabase.co. */
  url: string;
  /** API key: the service role key in CI (acts as automation), or the anon key with `accessToken`. */
  key: string;
  /** A signed-in member's access token (JWT); the database sees that member (auth.uid()). */
  accessToken?: string | undefined;
  /** Custom fetch, e.g. for a proxy; tests point it at a PostgREST stand-in on the real database. */
  fetch?: typeof fetch;
}

/**
 * odooops only calls `rpc`. supabase-js still builds a Realtime client, which on Node 20 (no global
 * WebSocket) needs a transport; this one is never constructed because no channel is ever opened.
 */
class RealtimeNotUsed {
  constructor() {
    throw new Error("odooops does not use Supabase Realtime");
  }
}

/**
 * supabase-js `rpc` on schema ops; PostgREST sets role and claims from the JWT, as for any Supabase app.
 * supabase-js is loaded on the first call, not when the CLI starts: most commands never reach it.
 */
export class SupabaseTransport implements RpcTransport {
  private client: Promise<SupabaseClient> | undefined;
  private readonly where: string;

  constructor(private readonly options: SupabaseControlPlaneOptions) {
    this.where = redactUrl(options.url);
  }

  private connect(): Promise<SupabaseClient> {
    const { url, key, fetch, accessToken } = this.options;
    this.client ??= import("@supabase/supabase-js").then(({ createClient }) =>
      createClient(url, key, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        realtime: { transport: RealtimeNotUsed as unknown as NonNullable<RealtimeOptions["transport"]> },
        global: {
          ...(fetch ? { fetch } : {}),
          ...(accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {}),
        },
      }),
    );
    return this.client;
  }

  async call(fn: string, args: Record<string, unknown>): Promise<unknown> {
    const client = await this.connect();
    let answer: Awaited<ReturnType<SupabaseClient["rpc"]>>;
    try {
      answer = await client.schema("ops").rpc(fn, args);
    } catch (error) {
      throw unavailable(this.where, error);
    }
    const { data, error } = answer;
    if (!error) return data;
    // supabase-js reports a failed fetch as an error without a SQLSTATE.
    if (!error.code) throw unavailable(this.where, error.message);
    throw fromDatabaseError(error);
  }

  async close(): Promise<void> {
    if (this.client) await (await this.client).removeAllChannels();
  }
}

export function createSupabaseControlPlane(options: SupabaseControlPlaneOptions): ControlPlane {
  return new RpcControlPlane(new SupabaseTransport(options));
}
