import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Hash64 } from "../../agent/hash/fnv64.ts";
import { HashSet64 } from "../../agent/hash/hash-set.ts";
import { siphash, siphashInput, sipInput, sipKey } from "../../agent/hash/siphash.ts";

const hex = (h: Uint32Array) => h[0]!.toString(16).padStart(8, "0") + h[1]!.toString(16).padStart(8, "0");

describe("SipHash-2-4", () => {
  // Reference vectors (veorq/SipHash vectors.h, all 64): key 00..0f, message 00..(n-1), as 64-bit integers.
  // Lengths 0–63 cover every tail of 0–7 bytes after 0–7 whole words.
  const VECTORS = [
    "726fdb47dd0e0e31",
    "74f839c593dc67fd",
    "0d6c8009d9a94f5a",
    "85676696d7fb7e2d",
    "cf2794e0277187b7",
    "18765564cd99a68d",
    "cbc9466e58fee3ce",
    "ab0200f58b01d137",
    "93f5f5799a932462",
    "9e0082df0ba9e4b0",
    "7a5dbbc594ddb9f3",
    "f4b32f46226bada7",
    "751e8fbc860ee5fb",
    "14ea5627c0843d90",
    "f723ca908e7af2ee",
    "a129ca6149be45e5",
    "3f2acc7f57c29bdb",
    "699ae9f52cbe4794",
    "4bc1b3f0968dd39c",
    "bb6dc91da77961bd",
    "bed65cf21aa2ee98",
    "d0f2cbb02e3b67c7",
    "93536795e3a33e88",
    "a80c038ccd5ccec8",
    "b8ad50c6f649af94",
    "bce192de8a85b8ea",
    "17d835b85bbb15f3",
    "2f2e6163076bcfad",
    "de4daaaca71dc9a5",
    "a6a2506687956571",
    "ad87a3535c49ef28",
    "32d892fad841c342",
    "7127512f72f27cce",
    "a7f32346f95978e3",
    "12e0b01abb051238",
    "15e034d40fa197ae",
    "314dffbe0815a3b4",
    "027990f029623981",
    "cadcd4e59ef40c4d",
    "9abfd8766a33735c",
    "0e3ea96b5304a7d0",
    "ad0c42d6fc585992",
    "187306c89bc215a9",
    "d4a60abcf3792b95",
    "f935451de4f21df2",
    "a9538f0419755787",
    "db9acddff56ca510",
    "d06c98cd5c0975eb",
    "e612a3cb9ecba951",
    "c766e62cfcadaf96",
    "ee64435a9752fe72",
    "a192d576b245165a",
    "0a8787bf8ecb74b2",
    "81b3e73d20b49b6f",
    "7fa8220ba3b2ecea",
    "245731c13ca42499",
    "b78dbfaf3a8d83bd",
    "ea1ad565322a1a0b",
    "60e61c23a3795013",
    "6606d7e446282b93",
    "6ca4ecb15c5f91e1",
    "9f626da15c9625f3",
    "e51b38608ef25f57",
    "958a324ceb064572",
  ];
  const key = sipKey(Uint8Array.from({ length: 16 }, (_, i) => i));
  const message = (length: number) => Uint8Array.from({ length }, (_, i) => i & 255);

  it.each(VECTORS.map((expected, length) => [length, expected]))(
    "matches the reference for a %i-byte message",
    (length, expected) => {
      expect(hex(siphash(key, message(length as number)))).toBe(expected);
    },
  );

  it("hashes inputs longer than the module's first memory page, growing it", () => {
    // Values from the former JavaScript implementation, itself checked against the vectors above.
    expect(hex(siphash(key, message(1000)))).toBe("db9b3ed69e31c9a6");
    expect(hex(siphash(key, message(200_003)))).toBe("3067e82c0bbc0c4c");
    expect(hex(siphash(key, message(65)))).toBe("36b6bedb91a25924"); // and short ones after it grew
  });

  it("hashes what is written into its input as the same bytes given", () => {
    const body = Buffer.from("anna.peeters@mail.example");
    const expected = hex(siphash(key, body));
    sipInput(body.length).set(body);
    expect(hex(siphashInput(key, body.length))).toBe(expected);
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
