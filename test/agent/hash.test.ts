import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hash64 } from "../../agent/hash/fnv64.ts";
import { HashSet64 } from "../../agent/hash/hash-set.ts";
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

  it("hashes ASCII bytes exactly like the same text, up to the first other byte", () => {
    const ascii = fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit: ascii, maxLength: 40 }), fc.integer(), (text, seed) => {
        const bytes = Buffer.concat([Buffer.from(`(${text}`, "latin1"), Buffer.from("é)")]);
        const h = new Hash64().reset(seed);
        expect(h.feedAscii(bytes, 1, bytes.length)).toBe(text.length + 1);
        expect(key(h)).toBe(key(new Hash64().reset(seed).feed(text, 0, text.length)));
        const stop = text.indexOf("\\");
        const upTo = new Hash64().reset(seed);
        expect(upTo.feedAscii(bytes, 1, text.length + 1, 0x5c)).toBe(stop < 0 ? text.length + 1 : stop + 1);
        expect(key(upTo)).toBe(key(new Hash64().reset(seed).feed(text, 0, stop < 0 ? text.length : stop)));
      }),
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

describe("the set of 64-bit hashes", () => {
  it("keeps every entry and its flags while it grows", () => {
    const set = new HashSet64(true);
    const n = 5000;
    for (let i = 1; i <= n; i++) expect(set.addFlag(i * 7919, i, i % 3)).toBe(false);
    for (let i = 1; i <= n; i++) {
      expect(set.has(i * 7919, i)).toBe(true);
      expect(set.addFlag(i * 7919, i, i % 3)).toBe(true);
      expect(set.addFlag(i * 7919, i, (i % 3) + 1)).toBe(false);
    }
    expect(set.addFlag(0, 0, 4)).toBe(false);
    expect(set.addFlag(0, 0, 4)).toBe(true);
    expect(set.size).toBe(n + 1);
    expect(() => set.addFlag(1, 1, 32)).toThrow(RangeError);
  });

  it("counts the entries another set lacks, and survives being handed over as its state", () => {
    const a = new HashSet64();
    const b = new HashSet64();
    for (let i = 1; i <= 3000; i++) a.add(i * 104729, i ^ 0x5bd1e995);
    for (let i = 1; i <= 3000; i += 3) b.add(i * 104729, i ^ 0x5bd1e995);
    a.add(0, 0);
    expect(a.countNotIn(b)).toBe(3000 - 1000 + 1);
    const copy = HashSet64.from(structuredClone(a.state()));
    expect([...copy.entries()].sort()).toEqual([...a.entries()].sort());
    expect(copy.countNotIn(b)).toBe(2001);
    expect(() => a.addFlag(1, 2, 0)).toThrow(/without flags/);
  });
});
