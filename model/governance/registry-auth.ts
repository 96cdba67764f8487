import { z } from "zod";
import { projectName } from "../input/schema/primitives.ts";
import { secretForm } from "./agent-control-plane.ts";

/**
 * Pull credentials for the app images, per project: a read-only token (for GHCR, a token with
 * `read:packages` only) that the hosts' Docker uses to pull that project's private images. They live in
 * stack config `odooops:registryAuth`, one entry per project, the token a Pulumi secret:
 *
 *   pulumi config set --path 'odooops:registryAuth.acme-erp.username' acme-bot
 *   pulumi config set --secret --path 'odooops:registryAuth.acme-erp.token' <token>
 *
 * Only the host's Docker provider gets them (`registryAuth`, a secret input): images are pulled by the
 * provider, and the one-shot runs find them on the host, so no credential is written on a host.
 */
export const REGISTRY_AUTH_CONFIG = "registryAuth";
export const DEFAULT_REGISTRY = "ghcr.io";

export interface RegistryCredential<Token = string> {
  /** The registry host the images are pulled from. */
  address: string;
  username: string;
  token: Token;
}

const credentialSchema = z.strictObject({
  address: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d+)?$/, { error: "must be a registry host name such as ghcr.io" })
    .default(DEFAULT_REGISTRY),
  username: z.string().min(1, { error: "must name the token's user" }),
  token: z.string().min(1, { error: "must be the read-only token (a Pulumi secret)" }),
});

const registryAuthSchema = z.record(projectName, credentialSchema);

/**
 * The decrypted config value as the program sees it (a JSON string, or absent): credentials per project,
 * or one line per mistake naming the path and never a value.
 */
export function parseRegistryAuth(raw: unknown): {
  auth: Record<string, RegistryCredential>;
  problems: string[];
} {
  if (raw === undefined) return { auth: {}, problems: [] };
  let value: unknown = raw;
  if (typeof raw === "string")
    try {
      value = JSON.parse(raw);
    } catch {
      return {
        auth: {},
        problems: [`odooops:${REGISTRY_AUTH_CONFIG}: must be a mapping of project → credentials`],
      };
    }
  const parsed = registryAuthSchema.safeParse(value);
  if (parsed.success) return { auth: parsed.data, problems: [] };
  return {
    auth: {},
    problems: parsed.error.issues.map(
      (issue) =>
        `odooops:${[REGISTRY_AUTH_CONFIG, ...issue.path.map(String)].join(".")}: ${
          // zod's own messages for wrong types quote nothing; ours say what is expected.
          issue.code === "unrecognized_keys"
            ? `unknown key(s) ${issue.keys.join(", ")}; allowed: address, username, token`
            : issue.message
        }`,
    ),
  };
}

/** Stands in for a token in the offline plan, which cannot decrypt stack secrets. */
export const registryTokenPlaceholder = (project: string) =>
  `read-only token supplied at deploy time (secret odooops:${REGISTRY_AUTH_CONFIG}.${project}.token)`;

/** A project's credentials as the stack file shows them: everything but the token. */
export type RegistryEntry = Omit<RegistryCredential, "token"> & { project: string };

/**
 * How the stack file holds it, checked without decrypting: every token must be a Pulumi secret (or the
 * whole value one, which hides the projects too). Returns what the offline plan can show of the wiring.
 */
export function registryAuthInFile(value: unknown): {
  entries: RegistryEntry[];
  problems: { key: string; message: string }[];
} {
  if (value === undefined || secretForm(value) === "secret") return { entries: [], problems: [] };
  const key = `odooops:${REGISTRY_AUTH_CONFIG}`;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return {
      entries: [],
      problems: [{ key, message: "must be a mapping of project → { username, token }" }],
    };
  const entries: RegistryEntry[] = [];
  const problems: { key: string; message: string }[] = [];
  for (const [project, entry] of Object.entries(value)) {
    const { token, username, address } = (entry ?? {}) as Record<string, unknown>;
    if (secretForm(token) !== "secret")
      problems.push({
        key,
        message: `${project}.token must be a Pulumi secret, never plain text in the stack file: pulumi config set --secret --path '${key}.${project}.token' <token>`,
      });
    else if (typeof username !== "string" || username === "")
      problems.push({ key, message: `${project}.username must name the token's user` });
    else
      entries.push({ project, username, address: typeof address === "string" ? address : DEFAULT_REGISTRY });
  }
  return { entries, problems };
}

/** The offline plan's credentials: the file's users and registries, each token a placeholder. */
export function placeholderRegistryAuth(
  entries: readonly RegistryEntry[],
): Record<string, RegistryCredential> {
  return Object.fromEntries(
    entries.map(({ project, ...rest }) => [project, { ...rest, token: registryTokenPlaceholder(project) }]),
  );
}
