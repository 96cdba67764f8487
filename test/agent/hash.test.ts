import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hash64 } from "../../agent/hash/fnv64.ts";
import { siphash, sipKey } from "../../agent/hash/siphash.ts";

const hex = (h: Uint32Array) => h[0]!.toString(16).padStart(8, "0") + h[1]!.toString(16).padStart(8, "0");

describe("SipHash-2-4", () => {
  // Reference vectors (veorq/SipHash vectors.h): key 00..0f, message 00..(n-1), output as a 64-bit integer.
  it.each([
    [0, "726fdb47dd0e0e31"],
    [1, "74f839c593dc67fd"],
    [2, "0d6c8009d9a94f5a"],
    [3, "85676696d7fb7e2d"],
    [4, "cf2794e0277187b7"],
    [5, "18765564cd99a68d"],
    [8, "93f5f5799a932462"],
    [15, "a129ca6149be45e5"],
  ])("matches the reference for a %i-byte message", (length, expected) => {
    const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
    expect(
      hex(
        siphash(
          key,
          Uint8Array.from({ length }, (_, i) => i),
        ),
      ),
    ).toBe(expected);
  });

  it("hashes a slice exactly like the same bytes on their own", () => {
    const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => 255 - i));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(8), fc.nat(8), (body, pre, post) => {
        const padded = new Uint8Array(pre + body.length + post);
        padded.set(body, pre);
        expect(hex(siphash(key, padded, pre, pre + body.length))).toBe(hex(siphash(key, body)));
      }),
    );
  });
});

describe("the leak scan's 64-bit string hash", () => {
  const key = (h: Hash64) => `${h.high}:${h.low}`;
  it("hashes a text fed in pieces like the whole text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }),
        fc.nat(40),
        fc.integer(),
        (text, cut, seed) => {
          const at = Math.min(cut, text.length);
          const pieces = new Hash64().reset(seed).feed(text, 0, at).feed(text, at, text.length);
          expect(key(pieces)).toBe(key(new Hash64().reset(seed).feed(text, 0, text.length)));
        },
      ),
    );
  });

  it("tells apart texts that differ in one character, and seeds", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.nat(39), fc.integer(), (text, at, seed) => {
        const i = at % text.length;
        const other = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
        const h = (t: string, s: number) => key(new Hash64().reset(s).feed(t, 0, t.length));
        expect(h(other, seed)).not.toBe(h(text, seed));
        expect(h(text, seed ^ 1)).not.toBe(h(text, seed));
      }),
    );
  });
});
