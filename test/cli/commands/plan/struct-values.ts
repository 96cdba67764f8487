/** Values for testing the stand-ins for google-protobuf's Struct against the real one. */
import { createRequire } from "node:module";

/** google-protobuf's own Struct, the conversion the light monitor stands in for. */
export const { Struct } = createRequire(import.meta.url)("google-protobuf/google/protobuf/struct_pb") as {
  Struct: {
    new (): object;
    fromJavaScript(value: unknown): {
      toJavaScript(): unknown;
      getFieldsMap(): { getLength(): number };
      serializeBinary(): Uint8Array;
    };
  };
};
export const viaProtobuf = (value: unknown) => Struct.fromJavaScript(value).toJavaScript();

/** Deterministic pseudo-random JSON-like values: nested objects with awkward keys, arrays, scalars. */
export function randomValue(seed: number, depth = 0): unknown {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s;
  };
  const keys = ["b", "a", "B", "_", "10", "2", "-1", "é", "Z1", "a.b", "", "x y"];
  const scalar = () => [null, true, false, 0, -0, 1.5, -7, 1e300, "text", "", "ü"][next() % 11];
  const value = (d: number): unknown => {
    const pick = next() % (d > 3 ? 1 : 4);
    if (pick === 0) return scalar();
    if (pick === 1) return Array.from({ length: next() % 4 }, () => value(d + 1));
    const out: Record<string, unknown> = {};
    for (let i = next() % 6; i > 0; i--) out[keys[next() % keys.length]!] = value(d + 1);
    return out;
  };
  const top: Record<string, unknown> = {};
  for (let i = 0; i < 8; i++) top[keys[next() % keys.length]!] = value(depth + 1);
  return top;
}

/** Same values and the same key order at every level (toEqual alone ignores key order). */
export const shape = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (Object.is(v, -0) ? "-0" : v));
