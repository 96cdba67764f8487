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
  // The path to the value being visited, as keys and indexes; formatted only for a secret (a plan's
  // inputs hold hundreds of thousands of values and a handful of secrets).
  const at: (string | number)[] = [];
  const visit = (value: unknown, inSecret: boolean): unknown => {
    if (Array.isArray(value)) {
      const list: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        at.push(i);
        list[i] = visit(value[i], inSecret);
        at.pop();
      }
      return list;
    }
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    const sig = record[SIG_KEY];
    if (sig === SECRET_SIG || (sig === OUTPUT_SIG && record.secret === true)) {
      if (!inSecret) secretPaths.push(inputPath(at));
      return visit(record.value, true);
    }
    if (sig === OUTPUT_SIG) return visit(record.value, inSecret);
    if (sig === RESOURCE_SIG) return record.urn;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(record)) {
      at.push(key);
      out[key] = visit(record[key], inSecret);
      at.pop();
    }
    return out;
  };
  return { value: visit(raw, false), secretPaths };
}

/**
 * ["a", "b", 0] → `a.b[0]`: an input path as Pulumi writes it and `pathSegments` reads it back (keys
 * unquoted, unlike model/problem.ts's `formatPath` for paths in a user's files).
 */
function inputPath(at: readonly (string | number)[]): string {
  let path = "";
  for (const step of at)
    path = typeof step === "number" ? `${path}[${step}]` : path ? `${path}.${step}` : step;
  return path;
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
