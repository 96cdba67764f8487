import { createHmac, randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { forceNewInputs, REPLACEMENT_CONSEQUENCE } from "../../../model/plan/replacement-facts.ts";
import { pathSegments } from "./decode.ts";
import type { PlannedResource } from "./report.ts";

/**
 * Comparing one resource between two plans the way the engine would: paths the program lists in
 * `ignoreChanges` do not count, a changed input the provider cannot update forces a replacement, and
 * secrets (redacted in every printed plan) are compared by a keyed hash. The key lives only in this
 * process and the hashes only in this module, so nothing printed says anything about a secret's value.
 */
let KEY: Buffer = randomBytes(32);
const secretDigests = new WeakMap<PlannedResource, ReadonlyMap<string, string>>();

/** The key of this process: plan workers (cli/commands/plan/worker-pool.ts) hash with it, in memory only. */
export function digestKey(): Uint8Array {
  return KEY;
}

/** In a plan worker: hash with the key of the process that compares the plans. */
export function useDigestKey(key: Uint8Array): void {
  KEY = Buffer.from(key);
}

/** The keyed hashes of a resource's secrets, to carry them across a worker boundary. */
export function secretDigestsOf(resource: PlannedResource): [string, string][] {
  return [...(secretDigests.get(resource) ?? [])];
}

/** Attaches hashes a worker computed (with this process's key) to the resource it sent back. */
export function adoptSecretDigests(resource: PlannedResource, digests: readonly [string, string][]): void {
  if (digests.length > 0) secretDigests.set(resource, new Map(digests));
}

function valueAt(value: unknown, path: string): unknown {
  let node = value;
  for (const segment of pathSegments(path)) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

/** Records a keyed hash of each secret of `resource`, read from its unredacted inputs. */
export function rememberSecrets(
  resource: PlannedResource,
  inputs: Readonly<Record<string, unknown>>,
  secretPaths: readonly string[],
): void {
  if (secretPaths.length === 0) return;
  const hash = (path: string) =>
    createHmac("sha256", KEY)
      .update(JSON.stringify(valueAt(inputs, path)) ?? "undefined")
      .digest("hex");
  secretDigests.set(resource, new Map(secretPaths.map((path) => [path, hash(path)])));
}

/** A copy of `value` without the given path; `*` stands for every key or element at its level. */
function without(value: unknown, segments: readonly string[]): unknown {
  const [first, ...rest] = segments;
  if (first === undefined || value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const record = copy as Record<string, unknown>;
  for (const key of first === "*" ? Object.keys(record) : [first]) {
    if (!(key in record)) continue;
    if (rest.length === 0) delete record[key];
    else record[key] = without(record[key], rest);
  }
  return copy;
}

const under = (path: string, prefix: string) =>
  path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

export interface InputChange {
  /** Top-level inputs that differ; a secret that differs reads `name (secret)`. */
  fields: string[];
  /** Those of them the provider cannot update in place. */
  forcedBy: string[];
  consequences: string[];
}

export function changedInputs(before: PlannedResource, after: PlannedResource): InputChange {
  const ignored = after.ignoreChanges;
  const strip = (inputs: Record<string, unknown>) =>
    ignored.reduce<unknown>((v, path) => without(v, pathSegments(path)), inputs) as Record<string, unknown>;
  const [old, now] = [strip(before.inputs), strip(after.inputs)];
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
  const oldSecrets = secretDigests.get(before) ?? new Map<string, string>();
  const newSecrets = secretDigests.get(after) ?? new Map<string, string>();
  const secretChanged = (key: string) =>
    [...new Set([...oldSecrets.keys(), ...newSecrets.keys()])].some(
      (path) =>
        under(path, key) &&
        !ignored.some((i) => under(path, i)) &&
        oldSecrets.get(path) !== newSecrets.get(path),
    );
  const changed = keys.filter((k) => !isDeepStrictEqual(old[k], now[k]) || secretChanged(k));
  const forceNew = new Set(forceNewInputs(after.type, after.replaceOnChanges).map((p) => pathSegments(p)[0]));
  const forcedBy = changed.filter((k) => forceNew.has(k));
  const fields = changed.map((k) => (isDeepStrictEqual(old[k], now[k]) ? `${k} (secret)` : k));
  if (before.protect !== after.protect) fields.push("(protect)");
  const consequence = REPLACEMENT_CONSEQUENCE[after.type];
  return { fields, forcedBy, consequences: forcedBy.length > 0 && consequence ? [consequence] : [] };
}
