import { z } from "zod";
import { ControlPlaneError } from "./errors.ts";
import { createPgControlPlane, PgTransport } from "./pg-adapter.ts";
import { createSupabaseControlPlane, SupabaseTransport } from "./supabase-adapter.ts";
import type { ControlPlane, RpcTransport } from "./types.ts";

/**
 * Where the control plane is, from the environment only (secrets never go in argv):
 * - ODOOOPS_CONTROL_PLANE_URL=postgresql://…  direct connection (local database, host agent);
 *   the acting member is ODOOOPS_ACTOR (or --as), else the service role;
 * - SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY or SUPABASE_KEY (CI), and optionally
 *   SUPABASE_ACCESS_TOKEN, a member's JWT, to act as that member.
 */
export type ControlPlaneConfig =
  | { kind: "pg"; url: string }
  | { kind: "supabase"; url: string; key: string; accessToken: string | undefined };

const pgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { error: "ODOOOPS_CONTROL_PLANE_URL must be a postgresql:// URL" });
const httpUrl = z.url({ protocol: /^https?$/, error: "SUPABASE_URL must be an http(s) URL" });

export type ConfigResult =
  | { config: ControlPlaneConfig | undefined; problem?: undefined }
  | { config?: undefined; problem: string };

export function controlPlaneConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ConfigResult {
  const direct = env.ODOOOPS_CONTROL_PLANE_URL;
  if (direct) {
    const url = pgUrl.safeParse(direct);
    return url.success
      ? { config: { kind: "pg", url: url.data } }
      : { problem: url.error.issues[0]!.message };
  }
  const supabaseUrl = env.SUPABASE_URL;
  const key = env.SUPABASE_SERVICE_ROLE_KEY || env.SUPABASE_KEY;
  if (!supabaseUrl && !key) return { config: undefined };
  if (!supabaseUrl || !key)
    return { problem: "set both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (or SUPABASE_KEY), or neither" };
  const url = httpUrl.safeParse(supabaseUrl);
  if (!url.success) return { problem: url.error.issues[0]!.message };
  return {
    config: { kind: "supabase", url: url.data, key, accessToken: env.SUPABASE_ACCESS_TOKEN || undefined },
  };
}

/**
 * Opens the configured control plane, acting as `actor` (a GitHub login) where the adapter allows it, or
 * as anon when the caller brings its own key (a data agent's agent key); with Supabase the API key decides.
 */
export function openControlPlane(
  config: ControlPlaneConfig,
  actor: string | undefined,
  anonymous = false,
): ControlPlane {
  if (config.kind === "pg") return createPgControlPlane({ connectionString: config.url, actor, anonymous });
  if (actor)
    throw new ControlPlaneError(
      "invalid_input",
      "",
      "--as / ODOOOPS_ACTOR works with a direct connection (ODOOOPS_CONTROL_PLANE_URL) only",
      "with Supabase, SUPABASE_ACCESS_TOKEN (a member's JWT) says who acts",
    );
  return createSupabaseControlPlane({ url: config.url, key: config.key, accessToken: config.accessToken });
}

/**
 * The bare RPC transport, as anon (with Supabase, the configured key decides): for callers that hold a key
 * of their own and call the one or two functions that key opens, such as the module auditor.
 */
export function openAnonymousTransport(config: ControlPlaneConfig): RpcTransport {
  return config.kind === "pg"
    ? new PgTransport({ connectionString: config.url, anonymous: true })
    : new SupabaseTransport({ url: config.url, key: config.key, accessToken: undefined });
}
