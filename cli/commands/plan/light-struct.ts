import { createRequire } from "node:module";
import { structReader } from "./light-monitor.ts";

/** google-protobuf's Struct as the SDK uses it (google/protobuf/struct_pb.js). */
interface StructMessage {
  getFieldsMap(noLazyCreate?: boolean): unknown;
  toJavaScript(): Record<string, unknown>;
}
interface StructClass {
  new (): StructMessage;
  fromJavaScript(value: unknown): StructMessage;
}

/**
 * The Struct class the SDK itself loaded: resolved from the SDK's own directory, so that a second copy
 * of google-protobuf elsewhere in node_modules could never be the one patched.
 */
const sdkRequire = createRequire(
  createRequire(import.meta.url).resolve("@pulumi/pulumi/runtime/resource.js"),
);
const structs = sdkRequire("google-protobuf/google/protobuf/struct_pb.js") as { Struct: StructClass };

/**
 * While a program runs on the mock runtime, `Struct.fromJavaScript` returns a Struct that keeps the plain
 * value it was given instead of building a protobuf message per property. The SDK builds one for the
 * inputs of every resource it registers (`runtime/resource.js`, registerResource) and the capture turns
 * it straight back with `toJavaScript()`: together about 7 % of a plan's CPU, spent building messages
 * nothing serialises. Here the value is converted once, at the same moment and with the same refusals
 * (`structRoundTrip`: keys sorted, a value a Struct cannot hold fails), and `toJavaScript()` hands that
 * copy out. Anything that reads the message itself (`getFieldsMap`: `getResource`'s answer, binary
 * serialisation, `toObject`) gets the real message, built on first use, so nothing can read an empty
 * Struct. capture.test.ts compares every example's capture with the SDK's own path. Returns the undo.
 */
export function withLightStructs(): () => void {
  const { Struct } = structs;
  const original = Object.getOwnPropertyDescriptor(Struct, "fromJavaScript")!;
  const build = original.value as (value: unknown) => StructMessage;

  class LightStruct extends Struct {
    readonly #value: Record<string, unknown>;
    readonly #read: () => unknown;
    #real: StructMessage | undefined;
    constructor(value: Record<string, unknown>) {
      super();
      this.#value = value;
      this.#read = structReader(value);
    }
    override toJavaScript(): Record<string, unknown> {
      return this.#read() as Record<string, unknown>;
    }
    override getFieldsMap(noLazyCreate?: boolean): unknown {
      this.#real ??= build.call(Struct, this.#value);
      return this.#real.getFieldsMap(noLazyCreate);
    }
  }

  Object.defineProperty(Struct, "fromJavaScript", {
    ...original,
    value: (value: unknown): StructMessage =>
      isPlainRecord(value) ? new LightStruct(value) : build.call(Struct, value),
  });
  return () => {
    Object.defineProperty(Struct, "fromJavaScript", original);
  };
}

/** An object a Struct is made of, property by property (not an array, which `for … in` would index). */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
