import { z } from "zod";
import { projectName } from "../input/schema/primitives.ts";
import type { Stage } from "../stages.ts";
import { AGENT_KEY_PATTERN } from "./build-keys.ts";

/**
 * The control plane the hosts' data agents record their evidence in (backups, restore drills), from the
 * stack config: `odooops:controlPlaneUrl` (plain), `odooops:controlPlaneKey` (a Pulumi secret: the
 * Supabase project's anon key — public by design, kept secret anyway) and `odooops:agentKeys` (a Pulumi
 * secret: each project's agent key, `{ <project>: odooops_ak_… }`). No host ever gets the service-role
 * key: an agent key records its project's backups and drills in its stage and nothing else
 * (supabase/migrations *_build_keys.sql, agent keys). Rules only; components/ carries the keys as secret Outputs.
 */
export const CONTROL_PLANE_CONFIG = {
  url: "controlPlaneUrl",
  key: "controlPlaneKey",
  agentKeys: "agentKeys",
} as const;

/** Stack config keys that hold secrets: read with Config.getSecret, never part of StackSettings. */
export const SECRET_STACK_CONFIG: readonly string[] = [
  CONTROL_PLANE_CONFIG.key,
  CONTROL_PLANE_CONFIG.agentKeys,
  // REGISTRY_AUTH_CONFIG of model/governance/registry-auth.ts (which imports this module, hence the literal).
  "registryAuth",
  // The warehouse server's admin URL (model/plan/warehouse.ts): a password in a URL.
  "warehouseUrl",
  // The reconciler's Keycloak client secret (components/platform.ts).
  "keycloakClientSecret",
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
  const setKey = `pulumi config set --secret odooops:${CONTROL_PLANE_CONFIG.key} <the project's anon key>`;
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
 * Only production's agent records evidence (its scheduled backups and restore drills), so only it gets a
 * key: staging and development hosts are where developers have a shell.
 */
export function agentRecordsEvidence(stage: Stage): boolean {
  return stage === "production";
}

/** The agent's environment for the control plane (agent/evidence-sink.ts reads it): anon + agent key. */
export function agentControlPlaneEnv(url: string, anonKey: string, agentKey: string): string[] {
  return [`SUPABASE_URL=${url}`, `SUPABASE_KEY=${anonKey}`, `ODOOOPS_AGENT_KEY=${agentKey}`];
}

/** How to store a project's agent key: Pulumi prompts for the value, so it stays out of argv. */
export function storeAgentKeyCommand(project: string): string {
  return `pulumi config set --stack prod --secret --path 'odooops:${CONTROL_PLANE_CONFIG.agentKeys}.${project}'`;
}

/**
 * `odooops:agentKeys` as the program reads it (decrypted): project → agent key. Problems name the place
 * and the fix and never quote a value.
 */
export function parseAgentKeys(raw: unknown): { keys: Record<string, string>; problems: string[] } {
  const where = `odooops:${CONTROL_PLANE_CONFIG.agentKeys}`;
  if (raw === undefined || raw === null) return { keys: {}, problems: [] };
  if (typeof raw !== "object" || Array.isArray(raw))
    return { keys: {}, problems: [`${where} must map project names to agent keys`] };
  const keys: Record<string, string> = {};
  const problems: string[] = [];
  for (const [project, key] of Object.entries(raw)) {
    const trimmed = typeof key === "string" ? key.trim() : "";
    if (!projectName.safeParse(project).success) problems.push(`${where}.${project}: not a project name`);
    else if (!AGENT_KEY_PATTERN.test(trimmed))
      problems.push(
        `${where}.${project} is not an agent key: create one with odooops build-key create ${project} --stage production --agent, then ${storeAgentKeyCommand(project)}`,
      );
    else keys[project] = trimmed;
  }
  return { keys, problems };
}

/** Whether odooops:agentKeys in a stack file is a secret: the whole object, or every project's value. */
export function agentKeysConfigProblem(value: unknown): { key: string; message: string } | undefined {
  if (value === undefined || value === null || secretForm(value) === "secret") return undefined;
  const values = typeof value === "object" && !Array.isArray(value) ? Object.values(value) : [value];
  if (values.every((v) => secretForm(v) === "secret")) return undefined;
  return {
    key: CONTROL_PLANE_CONFIG.agentKeys,
    message: `must be a Pulumi secret, never plain text in the stack file (it ends up in Git): ${storeAgentKeyCommand("<project>")}`,
  };
}
