import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import type { CapturedResource } from "./capture.ts";

/**
 * The arguments `pulumi preview --policy-pack` hands to policies, built from the resources the offline
 * plan captured: same shapes, same unknown-value behaviour, same empty stack tags. Only what the engine
 * knows before deployment is here; unknown values throw as the analyzer's proxy makes them throw.
 */

/** The sentinels Pulumi's wire format uses for values not known during a preview. */
const UNKNOWNS = new Set([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Same class name as @pulumi/policy's, which is how policies recognize it (see policies/support/resources.ts). */
export class UnknownValueError extends Error {
  override name = "UnknownValueError";
  constructor(readonly path: readonly PropertyKey[]) {
    super(`the value at .${path.map(String).join(".")} is only known after deployment`);
  }
}

export class NotApplicable extends Error {
  override name = "NotApplicable";
}

/**
 * `value` as the analyzer hands it to policies: a proxy that throws when a policy reads an unknown value.
 * A subtree with no unknown value anywhere in it is handed over as it is: no read of it can throw, and
 * wrapping every object a policy reads in a proxy (a property descriptor look-up and a new proxy per
 * read) was a tenth of a plan's CPU.
 */
function unknownChecking<T>(value: T, path: readonly PropertyKey[] = []): T {
  if (!(value instanceof Object) || !holdsUnknown(value)) return value;
  return new Proxy(value, {
    get: (target, key) => {
      const field = (target as Record<PropertyKey, unknown>)[key];
      if (typeof field === "string" && UNKNOWNS.has(field)) throw new UnknownValueError([...path, key]);
      // Proxies must hand back non-configurable, read-only properties unchanged (V8 invariant).
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor && "value" in descriptor && !descriptor.configurable && !descriptor.writable)
        return field;
      return unknownChecking(field, [...path, key]);
    },
  }) as T;
}

/**
 * Whether an unknown value may be anywhere in `value`, memoised per object. Decoded inputs are plain
 * data (arrays, plain objects, scalars), searched all the way down; anything else (a function, say, such
 * as an array method a policy calls) is treated as if it might hold one, so it is proxied as before.
 */
const unknownInside = new WeakMap<object, boolean>();
function holdsUnknown(value: unknown): boolean {
  if (typeof value === "string") return UNKNOWNS.has(value);
  if (!(value instanceof Object)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return true;
  const known = unknownInside.get(value);
  if (known !== undefined) return known;
  const found = Object.values(value).some(holdsUnknown);
  unknownInside.set(value, found);
  return found;
}

/** The options of a resource registered with none: what a resource made up outside a program carries. */
export function noOptions(): CapturedResource["options"] {
  return {
    protect: false,
    deleteBeforeReplace: false,
    retainOnDelete: false,
    ignoreChanges: [],
    replaceOnChanges: [],
    additionalSecretOutputs: [],
    dependencies: [],
    provider: undefined,
  };
}

function options(resource: CapturedResource): PolicyResourceOptions {
  return {
    protect: resource.options.protect,
    ignoreChanges: resource.options.ignoreChanges,
    deleteBeforeReplace: resource.options.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: resource.options.additionalSecretOutputs,
    ...(resource.parent ? { parent: resource.parent } : {}),
  };
}

const STACK_TAGS: ReadonlyMap<string, string> = new Map();

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "policy does not apply");
};

function typeOf(resourceClass: unknown): string | undefined {
  const type = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  return typeof type === "string" ? type : undefined;
}

export type ConfigOf = () => Record<string, unknown>;

export function resourceArgs(
  resource: CapturedResource,
  props: Record<string, unknown>,
  getConfig: ConfigOf,
): ResourceValidationArgs {
  return {
    type: resource.type,
    props,
    urn: resource.urn,
    name: resource.name,
    opts: options(resource),
    stackTags: STACK_TAGS,
    isType: (cls) => typeOf(cls) === resource.type,
    asType: ((cls: unknown) =>
      typeOf(cls) === resource.type ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig: getConfig as ResourceValidationArgs["getConfig"],
    notApplicable,
  };
}

/** Every captured resource as a stack policy sees it, linked to its parent and dependencies. */
export function policyResources(
  captured: readonly CapturedResource[],
  props: ReadonlyMap<string, Record<string, unknown>>,
): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = captured.map((r) => {
    const p = props.get(r.urn)!;
    const resource: PolicyResource = {
      type: r.type,
      props: p,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => typeOf(cls) === r.type,
      asType: ((cls: unknown) => (typeOf(cls) === r.type ? p : undefined)) as PolicyResource["asType"],
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  captured.forEach((r, i) => {
    const resource = resources[i]!;
    if (r.parent) resource.parent = byUrn.get(r.parent);
    resource.dependencies = r.options.dependencies.flatMap((urn) => byUrn.get(urn) ?? []);
  });
  return resources;
}

export function stackArgs(resources: PolicyResource[], getConfig: ConfigOf): StackValidationArgs {
  return {
    resources,
    stackTags: STACK_TAGS,
    getConfig: getConfig as StackValidationArgs["getConfig"],
    notApplicable,
  };
}

/** Inputs as policies read them: unknown values throw on access. */
export function policyProps(resource: CapturedResource): Record<string, unknown> {
  return unknownChecking(resource.inputs);
}
