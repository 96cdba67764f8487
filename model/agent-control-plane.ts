import { z } from "zod";
import type { Stage } from "./stages.ts";

/**
 * The control plane the hosts' data agents record their evidence in (backups, restore drills), from the
 * stack config: `odooops:controlPlaneUrl` (plain) and `odooops:controlPlaneKey` (a Pulumi secret, the
 * Supabase service-role key). Rules only; components/ carries the key as a secret Output.
 */
export const CONTROL_PLANE_CONFIG = { url: "controlPlaneUrl", key: "controlPlaneKey" } as const;

/** Stack config keys that hold secrets: read with Config.getSecret, never part of StackSettings. */
export const SECRET_STACK_CONFIG: readonly string[] = [
  CONTROL_PLANE_CONFIG.key,
  // REGISTRY_AUTH_CONFIG of model/registry-auth.ts (which imports this module, hence the literal).
  "registryAuth",
];

const URL_HINT =
  "must be the https:// URL of the Supabase project, e.g. https://abcdefghijklmnop.supabase.co";

/** The project's API origin: https (the service-role key travels with every call), nothing but the origin. */
export const controlPlaneUrlSchema = z
  .url({ protocol: /^https$/, hostname: z.regexes.domain, error: URL_HINT, abort: true })
  .refine(
    (text) => {
      const url = new URL(text);
      return !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
    },
    { error: `${URL_HINT} (no path, query or credentials; the key is odooops:controlPlaneKey)` },
  )
  .transform((text) => new URL(text).origin);

/** How the key appears in the stack's config: a Pulumi secret, plain text (refused), or not at all. */
export type SecretForm = "secret" | "plain" | "absent";

/** A stack file value is a Pulumi secret when `pulumi config set --secret` wrote it: `{ secure: … }`. */
export function secretForm(value: unknown): SecretForm {
  if (value === undefined || value === null) return "absent";
  const secure = (value as { secure?: unknown }).secure;
  return typeof value === "object" && typeof secure === "string" ? "secret" : "plain";
}

/** What is wrong with the pair, by the config key to fix; none when both or neither are set. */
export function controlPlaneConfigProblem(
  hasUrl: boolean,
  key: SecretForm,
): { key: string; message: string } | undefined {
  const setKey = `pulumi config set --secret odooops:${CONTROL_PLANE_CONFIG.key} <service-role key>`;
  if (key === "plain")
    return {
      key: CONTROL_PLANE_CONFIG.key,
      message: `must be a Pulumi secret, never plain text in the stack file (it ends up in Git): ${setKey}`,
    };
  if (hasUrl && key === "absent")
    return {
      key: CONTROL_PLANE_CONFIG.url,
      message: `is set but odooops:${CONTROL_PLANE_CONFIG.key} is not: ${setKey}, or remove the URL`,
    };
  if (!hasUrl && key === "secret")
    return {
      key: CONTROL_PLANE_CONFIG.key,
      message: `is set but odooops:${CONTROL_PLANE_CONFIG.url} is not: set the Supabase project's https URL, or remove the key`,
    };
  return undefined;
}

/**
 * Only production's agent records evidence (its scheduled backups and restore drills), so only it gets
 * the key: a service-role key bypasses every rule of the control plane, and staging and development
 * hosts are where developers have a shell.
 */
export function agentRecordsEvidence(stage: Stage): boolean {
  return stage === "production";
}

/** The agent's environment for the control plane (agent/evidence-sink.ts reads it: the service role). */
export function agentControlPlaneEnv(url: string, key: string): string[] {
  return [`SUPABASE_URL=${url}`, `SUPABASE_SERVICE_ROLE_KEY=${key}`];
}
