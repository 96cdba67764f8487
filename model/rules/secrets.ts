import { formatPath, type PathSegment } from "../problem.ts";

/**
 * Plain-text secret detection. CrossGuard hands policies every input with secrets unwrapped, so a policy
 * cannot tell a Pulumi secret from a literal. The rule therefore judges by where a value comes from:
 *
 * - `strict`: inputs made from the project YAML and the build catalog (the Project and Environment
 *   components) may hold no secret at all, so key names, credential formats, credentials in URLs and
 *   high-entropy tokens are all refused;
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

const CREDENTIAL_FORMATS: readonly { name: string; pattern: RegExp }[] = [
  { name: "a GitHub token", pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { name: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: "a DigitalOcean token", pattern: /\bdo[opr]_v1_[a-f0-9]{64}\b/ },
  { name: "a Slack token", pattern: /\bxox[abpors]-[A-Za-z0-9-]{10,}/ },
  { name: "a Stripe live key", pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}/ },
  { name: "a Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: "a Supabase access token", pattern: /\bsbp_[a-f0-9]{40}\b/ },
  { name: "a private key", pattern: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/ },
];

const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Key names that announce a secret: password, passwd, secret, token, api key, private key, credentials. */
const SECRET_KEY = /(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?$/i;
/** Values that point at a secret instead of being one: `${DB_PASSWORD}`, `$TOKEN`, `<set me>`. */
const REFERENCE = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>)$/;

/**
 * Resource types whose inputs at these paths exist to carry secrets (values arrive there from
 * `@pulumi/random` or secret config), keyed by type token; a path matches itself and everything below.
 */
export const SECRET_SLOTS: Readonly<Record<string, readonly string[]>> = {
  "command:remote:Command": ["environment", "stdin", "connection.password", "connection.privateKey"],
  "command:local:Command": ["environment", "stdin"],
  "docker:index/container:Container": ["envs"],
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

export function secretSlots(type: string): readonly string[] {
  return type.startsWith("pulumi:providers:") ? PROVIDER_SLOTS : (SECRET_SLOTS[type] ?? []);
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

function classify(key: PathSegment | undefined, value: string | number, mode: SecretScanMode) {
  if (typeof value === "string") {
    const format = CREDENTIAL_FORMATS.find((f) => f.pattern.test(value));
    if (format) return `holds ${format.name}`;
    if (URL_CREDENTIALS.test(value)) return "holds a URL with a user name and password in it";
  }
  if (mode === "formats") return undefined;
  const literal = typeof value === "number" || (value.trim() !== "" && !REFERENCE.test(value.trim()));
  if (typeof key === "string" && SECRET_KEY.test(key) && literal)
    return `is named like a secret ("${key}") and holds a literal value`;
  if (typeof value === "string" && looksLikeToken(value)) return "holds a high-entropy token";
  return undefined;
}

export interface SecretScanOptions {
  mode: SecretScanMode;
  /** Paths that exist to carry secrets; ignored in strict mode, where no secret belongs anywhere. */
  slots?: readonly string[];
  /** Top-level and nested keys not to descend into: metadata, or values checked elsewhere. */
  skipKeys?: readonly string[];
}

/** Every plain-text secret under `value`, by path. Unreadable values (unknown during preview) are skipped. */
export function findPlaintextSecrets(value: unknown, options: SecretScanOptions): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const slots = options.mode === "strict" ? [] : (options.slots ?? []);
  const visit = (node: unknown, path: PathSegment[]): void => {
    const text = formatPath(path);
    if (path.length > 0 && inSlot(text, slots)) return;
    if (typeof node === "string" || typeof node === "number") {
      const reason = classify(path[path.length - 1], node, options.mode);
      if (reason) findings.push({ path: text, reason });
      return;
    }
    if (node === null || typeof node !== "object") return;
    const keys: PathSegment[] = Array.isArray(node)
      ? Array.from({ length: node.length }, (_, i) => i)
      : Object.keys(node);
    for (const key of keys) {
      if (typeof key === "string" && options.skipKeys?.includes(key)) continue;
      let child: unknown;
      try {
        child = (node as Record<PathSegment, unknown>)[key];
      } catch {
        continue; // a value only known after deployment was computed, so it is not a literal
      }
      visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return findings;
}
