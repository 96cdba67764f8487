import { describe, expect, it } from "vitest";
import { structRoundTrip } from "../../../../cli/commands/plan/light-monitor.ts";
import { randomValue, shape, viaProtobuf } from "./struct-values.ts";

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
