/**
 * Decoding of Pulumi's wire format for resource inputs (sdk/nodejs/runtime/rpc.ts). Secrets are
 * unwrapped for the policies, which see plain values as in `pulumi preview --policy-pack`, and their
 * paths are remembered so that every printed plan redacts them.
 */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const REDACTED = "[secret]";

export interface Decoded {
  value: unknown;
  secretPaths: string[];
}

export function decodeProperties(raw: unknown): Decoded {
  const secretPaths: string[] = [];
  const visit = (value: unknown, path: string, inSecret: boolean): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}[${i}]`, inSecret));
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    const sig = record[SIG_KEY];
    if (sig === SECRET_SIG || (sig === OUTPUT_SIG && record.secret === true)) {
      if (!inSecret) secretPaths.push(path);
      return visit(record.value, path, true);
    }
    if (sig === OUTPUT_SIG) return visit(record.value, path, inSecret);
    if (sig === RESOURCE_SIG) return record.urn;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(record))
      out[key] = visit(v, path ? `${path}.${key}` : key, inSecret);
    return out;
  };
  return { value: visit(raw, "", false), secretPaths };
}

/** A copy of `value` with every secret path replaced by a marker, for anything that gets printed. */
export function redact(
  value: Record<string, unknown>,
  secretPaths: readonly string[],
): Record<string, unknown> {
  if (secretPaths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of secretPaths) {
    const parts = pathSegments(path);
    let node: Record<string, unknown> | unknown[] = copy;
    for (const part of parts.slice(0, -1))
      node = (node as Record<string, unknown>)[part] as Record<string, unknown>;
    const last = parts[parts.length - 1];
    if (last !== undefined) (node as Record<string, unknown>)[last] = REDACTED;
  }
  return copy;
}

/** `a.b[0]` → ["a", "b", "0"]: the segments of a property path as decode and Pulumi write them. */
export function pathSegments(path: string): string[] {
  return path.match(/[^.[\]"]+/g) ?? [];
}
