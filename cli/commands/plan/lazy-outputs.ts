import { createRequire } from "node:module";

/** A resolver as the SDK's `transferProperties` hands them out: one per property of a resource. */
type Resolver = (v: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: Error) => void;
type TransferProperties = (
  onto: Record<string, unknown>,
  label: string,
  props: Record<string, unknown>,
) => Record<string, Resolver>;

/**
 * The SDK module that turns every property of a resource into an output. `Resource`'s registration
 * calls it through this module's exports object at each call, so replacing the export replaces it for
 * every resource; the SDK is CommonJS, so `require` here is the instance `@pulumi/pulumi` loaded.
 */
const rpc = createRequire(import.meta.url)("@pulumi/pulumi/runtime/rpc.js") as {
  transferProperties: TransferProperties;
};

/**
 * While a program runs on the mock runtime, a resource's properties become outputs only when the
 * program reads them. A provider class passes every property it declares — a droplet or a container
 * has dozens of outputs, nearly all `undefined` inputs the program never reads — and the SDK builds an
 * output for each (four promises, a proxy, a debug label rendering the value): most of a plan's
 * registration cost. Here each property is an accessor that, on first read, has the SDK build exactly
 * the output it would have built, and replays the resolution if registration already answered. What is
 * sent to the monitor (type, name, inputs, options, dependencies) does not change: the SDK serialises
 * the inputs from `props`, not from these properties (proved by capture.test.ts against the eager
 * path). Returns the undo.
 */
export function withLazyOutputs(): () => void {
  const eager = rpc.transferProperties;
  rpc.transferProperties = (onto, label, props) => lazyTransfer(eager, onto, label, props);
  return () => {
    rpc.transferProperties = eager;
  };
}

type Settled = Parameters<Resolver>;

function lazyTransfer(
  eager: TransferProperties,
  onto: Record<string, unknown>,
  label: string,
  props: Record<string, unknown>,
): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  for (const key of Object.keys(props)) {
    if (key === "id" || key === "urn") continue;
    // The SDK's own guard, kept: a property must not shadow one the class set itself.
    if (Object.hasOwn(onto, key))
      throw new Error(`Property '${key}' is already initialized on target '${label}`);
    let settled: Settled | undefined;
    let resolve: Resolver | undefined;
    resolvers[key] = (...args) => {
      if (resolve) resolve(...args);
      else settled = args;
    };
    const define = (value: unknown) =>
      Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(onto, key, {
      enumerable: true,
      configurable: true,
      get() {
        Reflect.deleteProperty(onto, key);
        resolve = eager(onto, label, { [key]: props[key] })[key];
        if (settled && resolve) resolve(...settled);
        return onto[key];
      },
      set: define,
    });
  }
  return resolvers;
}
