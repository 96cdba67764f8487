import { type Command, Option } from "commander";
import type { z } from "zod";
import {
  type ControlPlaneConfig,
  controlPlaneConfigFromEnv,
  openControlPlane,
} from "../../../controlplane/connection.ts";
import { ControlPlaneError, REFUSAL_KINDS } from "../../../controlplane/errors.ts";
import { currentAccessToken } from "../../../controlplane/session.ts";
import type { ControlPlane } from "../../../controlplane/types.ts";
import type { CommandContext } from "../../context.ts";
import { formatOption, jsonAlias } from "../../format.ts";
import { EXIT, UsageError } from "../../io.ts";

/**
 * Shared by the control-plane commands (release, gate, exception, audit): where the control plane is
 * comes from the environment (never argv: URLs and keys carry secrets), who acts from --as or
 * ODOOOPS_ACTOR. Refusals by the database print as `odooops: <what>: <why>` plus its hint; exit 1 when
 * a rule said no, 2 when the request itself was wrong.
 */
export interface SessionOptions {
  as?: string;
  json?: boolean;
}

export function actorOption(): Option {
  return new Option("--as <github-login>", "act as this member (direct connection only)").env(
    "ODOOOPS_ACTOR",
  );
}

export function withSessionOptions(command: Command): Command {
  return command.addOption(actorOption()).addOption(formatOption()).addOption(jsonAlias());
}

/** Parses one argument or option with zod; a mistake is a usage error naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UsageError(`${field}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
}

export async function runWithControlPlane<T>(
  context: CommandContext,
  options: SessionOptions,
  work: (controlPlane: ControlPlane) => Promise<T>,
  render: (result: T) => string,
): Promise<void> {
  const done = await withControlPlane(context, options, work);
  if (!done) return;
  context.io.out(options.json ? JSON.stringify(done.result, null, 2) : render(done.result));
  context.exit.code = EXIT.ok;
}

/**
 * Opens the configured control plane for `work` and closes it afterwards. A refusal is printed and
 * sets the exit code; the caller gets undefined and does nothing more. `anonymous`: the caller brings a
 * key of its own (a build key) and acts as Supabase's anon role, never as a member.
 */
export async function withControlPlane<T>(
  context: CommandContext,
  options: SessionOptions,
  work: (controlPlane: ControlPlane) => Promise<T>,
  anonymous = false,
): Promise<{ result: T } | undefined> {
  const found = controlPlaneConfigFromEnv();
  if (found.problem) throw new UsageError(found.problem);
  if (!found.config)
    throw new UsageError(
      "no control plane configured: set ODOOOPS_CONTROL_PLANE_URL (postgresql://…), or SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY or SUPABASE_KEY",
    );
  if (anonymous && options.as)
    throw new UsageError(
      "--as / ODOOOPS_ACTOR: a build key acts as itself, not as a member; unset one of them",
    );
  const config = anonymous ? found.config : await withSignedInMember(found.config);
  let controlPlane: ControlPlane | undefined;
  try {
    controlPlane = openControlPlane(config, options.as, anonymous);
    return { result: await work(controlPlane) };
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error;
    if (options.json)
      context.io.out(
        JSON.stringify(
          { error: { kind: error.kind, code: error.code, message: error.message, hint: error.hint ?? null } },
          null,
          2,
        ),
      );
    context.io.err(`odooops: ${error.describe()}`);
    context.exit.code = REFUSAL_KINDS.includes(error.kind) ? EXIT.violations : EXIT.invalidInput;
    return undefined;
  } finally {
    await controlPlane?.close();
  }
}

/**
 * With Supabase and the anon key but no SUPABASE_ACCESS_TOKEN, the member signed in by `odooops login`
 * acts (refreshed when due). The service-role key never picks up a person's session.
 */
async function withSignedInMember(config: ControlPlaneConfig): Promise<ControlPlaneConfig> {
  if (config.kind !== "supabase" || config.accessToken || process.env.SUPABASE_SERVICE_ROLE_KEY)
    return config;
  try {
    return { ...config, accessToken: await currentAccessToken(config.url, config.key) };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `2026-11-23T19:47:45.17+00:00` → `2026-11-23 19:47 UTC`: timestamps read at a glance. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return "-";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
