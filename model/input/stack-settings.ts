import { z } from "zod";
import { controlPlaneUrlSchema, SECRET_STACK_CONFIG } from "../governance/agent-control-plane.ts";
import { REGIONS } from "../prices.ts";
import { STAGES } from "../stages.ts";
import { domainName } from "./schema/primitives.ts";

/**
 * Settings of one Pulumi stack (Pulumi.<stack>.yaml, namespace `odooops`). The staging stack owns the
 * staging and development environments, the prod stack owns production; `projects` shards a stack to a
 * subset of projects when one stack grows too large.
 */
export const stackSettingsSchema = z.strictObject({
  stages: z.array(z.enum(STAGES)).min(1),
  platformDomain: domainName,
  region: z.enum(REGIONS),
  projects: z
    .array(z.string().min(1))
    .optional()
    .describe("Project names or patterns this stack owns; all when absent"),
  prodStack: z
    .string()
    .regex(/^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/[A-Za-z0-9._{}-]+$/, {
      error:
        "must be org/project/stack; {project} stands for the project when prod is sharded (prod-{project})",
    })
    .optional()
    .describe(
      "The prod stack a staging stack reads production identifiers from; prod-{project} when sharded",
    ),
  catalog: z.string().optional().describe("Build catalog file used when no control plane is configured"),
  sshPublicKey: z
    .string()
    .regex(/^(ssh-ed25519|ecdsa-sha2-nistp256|ssh-rsa) [A-Za-z0-9+/=]+( \S+)?$/, {
      error: "must be an OpenSSH public key line, e.g. ssh-ed25519 AAAA… deploy@odooops",
    })
    .optional()
    .describe(
      "Public half of this stack's deploy key; the private half stays with the deployer (CI secret, ssh-agent)",
    ),
  deploySources: z
    .array(z.union([z.cidrv4(), z.cidrv6()]))
    .optional()
    .describe("CIDR blocks the deployer reaches hosts from over SSH (docker and remote commands)"),
  // Pulumi hands scalar config over as strings ("true"); stack files as YAML booleans.
  platformServices: z
    .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean())
    .optional()
    .describe("Run Keycloak, n8n, Mattermost and Superset on the platform host (prod stack only)"),
  controlPlaneUrl: controlPlaneUrlSchema
    .optional()
    .describe(
      "Supabase project URL production's data agent records backups and drills in, with the secret odooops:controlPlaneKey",
    ),
});

export type StackSettings = z.output<typeof stackSettingsSchema>;

const NAMESPACE = "odooops:";

/**
 * Pulumi hands structured config over as JSON strings (pulumi.runtime.allConfig()); stack files hold
 * them as YAML values. Both arrive here as `namespace:key → value`.
 */
export function stackSettingsFromConfig(
  config: Record<string, unknown>,
): z.ZodSafeParseResult<StackSettings> {
  const values: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(config)) {
    if (!key.startsWith(NAMESPACE)) continue;
    const name = key.slice(NAMESPACE.length);
    // Secrets stay out of the settings (a component's registered inputs): the program reads them itself.
    if (SECRET_STACK_CONFIG.includes(name)) continue;
    values[name] = typeof raw === "string" && /^[[{]/.test(raw) ? JSON.parse(raw) : raw;
  }
  return stackSettingsSchema.safeParse(values);
}

/** The stack's part of the platform: production, or everything else. */
export function stackRole(stages: readonly string[]): "production" | "staging" {
  return stages.includes("production") ? "production" : "staging";
}
