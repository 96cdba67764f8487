import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { structRoundTrip } from "../../../../cli/commands/plan/light-monitor.ts";

/** google-protobuf's own Struct, the conversion the light monitor stands in for. */
const { Struct } = createRequire(import.meta.url)("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: unknown): { toJavaScript(): unknown } };
};
const viaProtobuf = (value: unknown) => Struct.fromJavaScript(value).toJavaScript();

/** Deterministic pseudo-random JSON-like values: nested objects with awkward keys, arrays, scalars. */
function randomValue(seed: number, depth = 0): unknown {
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
const shape = (value: unknown): string => JSON.stringify(value, (_k, v) => (Object.is(v, -0) ? "-0" : v));

describe("structRoundTrip", () => {
  it("returns what a protobuf Struct round trip returns, key order included", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const value = randomValue(seed);
      expect(shape(structRoundTrip(value)), `seed ${seed}`).toBe(shape(viaProtobuf(value)));
    }
  });

  it("returns a copy, and refuses what a Struct cannot hold with protobuf's message", () => {
    const value = { a: { b: [1, { c: 2 }] } };
    const copy = structRoundTrip(value) as typeof value;
    expect(copy).toEqual(value);
    expect(copy.a).not.toBe(value.a);
    expect(copy.a.b[1]).not.toBe(value.a.b[1]);
    for (const bad of [{ a: undefined }, { a: [1, undefined] }, { a: () => 1 }, { a: 1n }]) {
      expect(() => viaProtobuf(bad)).toThrow("Unexpected struct type.");
      expect(() => structRoundTrip(bad)).toThrow("Unexpected struct type.");
    }
  });

  it("copies inherited enumerable keys as protobuf does", () => {
    const value = Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 });
    expect(shape(structRoundTrip(value))).toBe(shape(viaProtobuf(value)));
  });
});
