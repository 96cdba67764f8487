import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { withLightStructs } from "../../../../cli/commands/plan/light-struct.ts";
import { randomValue, Struct, shape, viaProtobuf } from "./struct-values.ts";

interface Request {
  setObject(value: unknown): void;
  serializeBinary(): Uint8Array;
}
const { RegisterResourceRequest } = createRequire(import.meta.url)("@pulumi/pulumi/proto/resource_pb.js") as {
  RegisterResourceRequest: new () => Request;
};

/** A RegisterResourceRequest carrying `object`, serialised as the gRPC monitor would receive it. */
function requestBytes(object: unknown): Uint8Array {
  const request = new RegisterResourceRequest();
  request.setObject(object);
  return request.serializeBinary();
}

describe("withLightStructs", () => {
  it("gives what a real Struct gives: the same plain value, map and bytes, here and inside a request", () => {
    const original = Struct.fromJavaScript;
    const values = Array.from({ length: 120 }, (_, i) => randomValue(i + 1) as Record<string, unknown>);
    const expected = values.map((value) => ({
      plain: shape(viaProtobuf(value)),
      bytes: Struct.fromJavaScript(value).serializeBinary(),
      request: requestBytes(Struct.fromJavaScript(value)),
      size: Struct.fromJavaScript(value).getFieldsMap().getLength(),
    }));
    const undo = withLightStructs();
    try {
      expect(Struct.fromJavaScript).not.toBe(original);
      values.forEach((value, i) => {
        const light = Struct.fromJavaScript(value);
        expect(light).toBeInstanceOf(Struct);
        const first = light.toJavaScript();
        const second = light.toJavaScript();
        expect(shape(first), `seed ${i + 1}`).toBe(expected[i]!.plain);
        expect(shape(second)).toBe(expected[i]!.plain);
        if (Object.keys(value).length > 0) expect(second).not.toBe(first); // a fresh copy, as protobuf's
        expect(light.getFieldsMap().getLength()).toBe(expected[i]!.size);
        expect(light.serializeBinary()).toEqual(expected[i]!.bytes);
        expect(requestBytes(Struct.fromJavaScript(value))).toEqual(expected[i]!.request);
      });
    } finally {
      undo();
    }
    expect(Struct.fromJavaScript).toBe(original);
  });

  it("refuses what a Struct cannot hold when the Struct is made, with protobuf's message", () => {
    const undo = withLightStructs();
    try {
      for (const bad of [{ a: undefined }, { a: [1, undefined] }, { a: () => 1 }, { a: 1n }])
        expect(() => Struct.fromJavaScript(bad)).toThrow("Unexpected struct type.");
    } finally {
      undo();
    }
  });

  it("copies the value when the Struct is made: the first read does not see later changes to the source", () => {
    const undo = withLightStructs();
    try {
      const source = { a: { b: 1 } };
      const light = Struct.fromJavaScript(source);
      source.a.b = 2;
      expect(light.toJavaScript()).toEqual({ a: { b: 1 } });
    } finally {
      undo();
    }
  });
});
