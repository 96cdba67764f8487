import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { int8Text, pgHashBytes } from "../../agent/hash/pg-hash.ts";
import { siphash, sipKey } from "../../agent/hash/siphash.ts";
import { createTestDatabase } from "../support/databases.ts";

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

describe("hashtextextended in JavaScript", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase("hash");
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it("equals PostgreSQL's for any text and seed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        async (text, seed) => {
          const bytes = Buffer.from(text, "utf8");
          const u = BigInt.asUintN(64, seed);
          const h = pgHashBytes(bytes, 0, bytes.length, Number(u >> 32n), Number(u & 0xffffffffn));
          const { rows } = await client.query<{ h: string }>("select hashtextextended($1, $2)::text as h", [
            text,
            seed.toString(),
          ]);
          expect(int8Text(h[0]!, h[1]!)).toBe(rows[0]!.h);
        },
      ),
      { numRuns: 300 },
    );
  });
});
