import { AGENT_CONTAINER } from "../plan/host-layout.ts";
import { appendPath, type PathSegment } from "../problem.ts";
import { credentialIn, isReference, isSecretKeyName } from "./credentials.ts";

/**
 * Plain-text secret detection. CrossGuard hands policies every input with secrets unwrapped, so a policy
 * cannot tell a Pulumi secret from a literal. The rule therefore judges by where a value comes from:
 *
 * - `strict`: inputs made from the project YAML and the build catalog (the Project and Environment
 *   components) may hold no secret at all, so key names, credential formats and credentials in URLs
 *   are refused everywhere, and high-entropy tokens in the free-form fields (FREE_FORM_FIELDS);
 * - `formats`: other inputs legitimately carry generated secrets (a random password in odoo.conf), so
 *   only credential formats no generated value has, and credentials written into URLs, are refused, and
 *   only outside the slots that exist to hold secrets (see SECRET_SLOTS).
 */
export type SecretScanMode = "strict" | "formats";

export interface SecretFinding {
  /** Field path of the value, e.g. `odooOptions.admin_passwd`; the value itself is never reported. */
  path: string;
  reason: string;
}

const CONTAINER_TYPE = "docker:index/container:Container";

/**
 * Resource types whose inputs at these paths exist to carry secrets (values arrive there from
 * `@pulumi/random` or secret config), keyed by type token; a path matches itself and everything below.
 */
export const SECRET_SLOTS: Readonly<Record<string, readonly string[]>> = {
  "command:remote:Command": ["environment", "stdin", "connection.password", "connection.privateKey"],
  "command:local:Command": ["environment", "stdin"],
  [CONTAINER_TYPE]: ["envs"],
  "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret": ["plaintextValue", "encryptedValue"],
  "github:index/actionsSecret:ActionsSecret": ["plaintextValue", "encryptedValue"],
  "github:index/actionsOrganizationSecret:ActionsOrganizationSecret": ["plaintextValue", "encryptedValue"],
};
/** Provider configuration holds credentials by design (tokens, registry passwords, SSH keys). */
const PROVIDER_SLOTS = [
  "token",
  "password",
  "privateKey",
  "spacesAccessId",
  "spacesSecretKey",
  "registryAuth",
];

/**
 * Containers that read their secrets from an uploaded file (model/plan/agent-env-file.ts): their
 * environment, which `docker inspect` prints to anyone who can reach the engine, is no slot for one; the
 * upload is. Third-party images (Keycloak, n8n, …) only read theirs from the environment.
 */
const FILE_SECRET_CONTAINERS: readonly string[] = [AGENT_CONTAINER];
const FILE_SECRET_SLOTS = ["uploads"];

/** The slots of a resource of `type` whose inputs are `inputs`: a container's depend on which it is. */
export function secretSlots(type: string, inputs?: Readonly<Record<string, unknown>>): readonly string[] {
  if (type.startsWith("pulumi:providers:")) return PROVIDER_SLOTS;
  if (
    type === CONTAINER_TYPE &&
    typeof inputs?.name === "string" &&
    FILE_SECRET_CONTAINERS.includes(inputs.name)
  )
    return FILE_SECRET_SLOTS;
  return SECRET_SLOTS[type] ?? [];
}

function inSlot(path: string, slots: readonly string[]): boolean {
  return slots.some((slot) => path === slot || path.startsWith(`${slot}.`) || path.startsWith(`${slot}[`));
}

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/**
 * A token-looking string: long, one word of base64/base62 characters mixing upper case, lower case and
 * digits, with high entropy. Hex-only strings (digests, commit SHAs) and lowercase names never qualify.
 */
export function looksLikeToken(text: string): boolean {
  return (
    text.length >= 24 &&
    /^[A-Za-z0-9+/_=-]+$/.test(text) &&
    /[A-Z]/.test(text) &&
    /[a-z]/.test(text) &&
    /[0-9]/.test(text) &&
    entropy(text) >= 4
  );
}

function classify(
  key: PathSegment | undefined,
  value: string | number,
  mode: SecretScanMode,
  freeForm: boolean,
) {
  const credential = typeof value === "string" ? credentialIn(value) : undefined;
  if (credential || mode === "formats") return credential;
  const literal = typeof value === "number" || (value.trim() !== "" && !isReference(value.trim()));
  if (typeof key === "string" && isSecretKeyName(key) && literal)
    return `is named like a secret ("${key}") and holds a literal value`;
  // Entropy alone is no evidence: a branch or repository name may well be long and mixed-case.
  if (freeForm && typeof value === "string" && looksLikeToken(value)) return "holds a high-entropy token";
  return undefined;
}

/**
 * Where the inputs of our components hold text the schema does not type: odoo.conf option values, and
 * the rationale and risk of a gate exception in the catalog. Everything else there is a name (branch,
 * repository, module, host, image, build id), which the entropy heuristic never judges. `[]` stands
 * for any list index.
 */
export const FREE_FORM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "odooops:project:Project": ["project.odooOptions"],
  "odooops:environment:Environment": [
    "plan.release.exceptions[].rationale",
    "plan.release.exceptions[].risk",
  ],
};

function isFreeForm(path: string, fields: readonly string[]): boolean {
  return inSlot(path.replace(/\[\d+\]/g, "[]"), fields);
}

export interface SecretScanOptions {
  mode: SecretScanMode;
  /** Paths that exist to carry secrets; ignored in strict mode, where no secret belongs anywhere. */
  slots?: readonly string[];
  /** Top-level and nested keys not to descend into: metadata, or values checked elsewhere. */
  skipKeys?: readonly string[];
  /** Paths of free-form text (see FREE_FORM_FIELDS), the only place strict mode judges by entropy. */
  freeForm?: readonly string[];
}

/** Every plain-text secret under `value`, by path. Unreadable values (unknown during preview) are skipped. */
export function findPlaintextSecrets(value: unknown, options: SecretScanOptions): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const slots = options.mode === "strict" ? [] : (options.slots ?? []);
  // The path is formatted as the walk extends it (formatting each node's whole path was most of the cost).
  const visit = (node: unknown, key: PathSegment | undefined, text: string): void => {
    if (key !== undefined && inSlot(text, slots)) return;
    if (typeof node === "string" || typeof node === "number") {
      const freeForm = isFreeForm(text, options.freeForm ?? []);
      const reason = classify(key, node, options.mode, freeForm);
      if (reason) findings.push({ path: text, reason });
      return;
    }
    if (node === null || typeof node !== "object") return;
    const keys: PathSegment[] = Array.isArray(node)
      ? Array.from({ length: node.length }, (_, i) => i)
      : Object.keys(node);
    for (const child of keys) {
      if (typeof child === "string" && options.skipKeys?.includes(child)) continue;
      let value: unknown;
      try {
        value = (node as Record<PathSegment, unknown>)[child];
      } catch {
        continue; // a value only known after deployment was computed, so it is not a literal
      }
      visit(value, child, appendPath(text, child));
    }
  };
  visit(value, undefined, "");
  return findings;
}
