import { describe, expect, it } from "vitest";
import { SIPHASH_WASM } from "../../agent/hash/siphash-wasm.ts";
import { assembleSiphash, moduleSource } from "../../scripts/build-siphash-wasm.ts";

describe("agent/hash/siphash-wasm.ts", () => {
  it("is the module scripts/build-siphash-wasm.ts assembles from its text (neither edited alone)", async () => {
    const binary = await assembleSiphash();
    expect(
      Buffer.from(SIPHASH_WASM, "base64").equals(Buffer.from(binary)),
      "run npx tsx scripts/build-siphash-wasm.ts",
    ).toBe(true);
    expect(moduleSource(binary)).toContain(SIPHASH_WASM);
  });
});
