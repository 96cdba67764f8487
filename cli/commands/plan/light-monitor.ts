import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The SDK's mock monitor (`@pulumi/pulumi/runtime/mocks.js`, `MockMonitor`) as the capture sees it:
 * the mocks it was given, the state it keeps per URN (read back by `getResource` invokes) and how it
 * names a resource.
 */
export interface MockMonitorInternals {
  mocks: pulumi.runtime.Mocks;
  resources: Map<string, { urn: string; id: string | null; state: unknown }>;
  newUrn(parent: string, type: string, name: string): string;
}

/** The part of a RegisterResourceRequest the mock monitor reads. */
export interface LightRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getImportid(): string;
}

/** What the SDK reads from a RegisterResourceResponse (`runtime/resource.js`, registerResource). */
export interface LightResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): unknown };
  getPropertydependenciesMap(): undefined;
  getResult(): number;
}

const rpc = createRequire(import.meta.url)("@pulumi/pulumi/runtime/rpc.js") as {
  deserializeProperty(value: unknown, keepUnknowns?: boolean): unknown;
  serializeProperties(label: string, props: Record<string, unknown>): Promise<Record<string, unknown>>;
};

/** `Result.SUCCESS` of pulumirpc (proto/resource_pb.js): the registration succeeded. */
const SUCCESS = 0;

/**
 * The SDK's `MockMonitor.registerResource`, minus the protobuf: the SDK's mock monitor decodes the
 * request's inputs from a protobuf Struct (which the capture decoded too), encodes the mocked state into
 * one, and the SDK decodes it again at once. Each of those conversions is a walk over every property
 * building protobuf messages, about a sixth of a plan's CPU. Here the inputs are decoded once by the
 * caller (`inputs`, the request's `getObject().toJavaScript()`), and the state is handed back as the
 * plain value a Struct would have given (`structRoundTrip`). Everything else is the SDK's own: the same
 * mocks, the same URN, the same state kept for `getResource`, the same serialisation of the state.
 * capture.test.ts compares every example's capture with the SDK's own monitor, resource by resource.
 */
export async function registerLightly(
  monitor: MockMonitorInternals,
  request: LightRequest,
  inputs: Record<string, unknown>,
): Promise<LightResponse> {
  const result = await monitor.mocks.newResource({
    type: request.getType(),
    name: request.getName(),
    inputs: deserializeProperties(inputs),
    provider: request.getProvider(),
    custom: request.getCustom(),
    id: request.getImportid(),
  });
  const urn = monitor.newUrn(request.getParent(), request.getType(), request.getName());
  const serializedState = await rpc.serializeProperties("", result.state);
  monitor.resources.set(urn, { urn, id: result.id ?? null, state: serializedState });
  // Converted now, as Struct.fromJavaScript would have been: a value a Struct cannot hold fails here.
  const object = { toJavaScript: structReader(serializedState) };
  return {
    getUrn: () => urn,
    getId: () => result.id || "",
    getObject: () => object,
    getPropertydependenciesMap: () => undefined,
    getResult: () => SUCCESS,
  };
}

/** The SDK's `deserializeProperties`, given the Struct's plain value instead of the Struct. */
function deserializeProperties(outputs: Record<string, unknown>): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(outputs))
    if (outputs[key] !== undefined) props[key] = rpc.deserializeProperty(outputs[key]);
  return props;
}

/**
 * `toJavaScript` of a Struct made from `value` now: `value` is converted here (so a value a Struct cannot
 * hold fails here, as `Struct.fromJavaScript` would), the first call hands out that copy, and any later
 * call a fresh one, as protobuf's does. Later copies are made from `value` as given: the SDK builds it
 * for the one message and never changes it after.
 */
export function structReader(value: unknown): () => unknown {
  let first: { copy: unknown } | undefined = { copy: structRoundTrip(value) };
  return () => {
    const copy = first ? first.copy : structRoundTrip(value);
    first = undefined;
    return copy;
  };
}

/**
 * What `Struct.fromJavaScript(value).toJavaScript()` returns (google-protobuf's struct_pb.js), without
 * building the messages: a fresh copy in which every object's keys (enumerable, inherited included) come
 * out sorted, as the Struct's map yields them; anything but null, numbers, strings, booleans, arrays
 * and objects fails with protobuf's own message.
 */
export function structRoundTrip(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (Array.isArray(value)) {
        const list: unknown[] = [];
        for (let i = 0; i < value.length; i++) list[i] = structRoundTrip(value[i]);
        return list;
      }
      const record = value as Record<string, unknown>;
      const keys: string[] = [];
      for (const key in record) keys.push(key);
      keys.sort();
      const out: Record<string, unknown> = {};
      for (const key of keys) out[key] = structRoundTrip(record[key]);
      return out;
    }
    default:
      throw new Error("Unexpected struct type.");
  }
}
