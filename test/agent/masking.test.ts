import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sipKey } from "../../agent/hash/siphash.ts";
import { looksMasked } from "../../agent/mask/masked-shape.ts";
import { type MaskContext, maskInto } from "../../agent/mask/strategies.ts";
import { OutputBuffer } from "../../agent/sql-stream/output-buffer.ts";
import { MASK_STRATEGIES, type MaskStrategy, maskRules } from "../../model/masking.ts";

function mask(strategy: MaskStrategy, value: string, ctx: MaskContext): string | null {
  const out = new OutputBuffer();
  const bytes = Buffer.from(value);
  return maskInto(strategy, ctx, bytes, 0, bytes.length, out) ? out.take().toString("latin1") : null;
}

const context = (seed: number): MaskContext => ({
  key: sipKey(Uint8Array.from({ length: 16 }, (_, i) => (i * 7 + seed) & 255)),
  password: "$pbkdf2-sha512$100000$c2FsdA$aGFzaA",
});

// Field values as COPY writes them: no tabs or newlines (those are escaped), no NULL marker.
const field = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/[\t\n\r\\]/.test(s));
const maskingStrategies = MASK_STRATEGIES.filter((s) => s !== "clear" && s !== "password");

describe("masking strategies", () => {
  it("are deterministic within a run and differ between runs", () => {
    fc.assert(
      fc.property(fc.constantFrom(...maskingStrategies), field, (strategy, value) => {
        expect(mask(strategy, value, context(1))).toBe(mask(strategy, value, context(1)));
      }),
    );
    expect(mask("email", "anna@example.com", context(1))).not.toBe(
      mask("email", "anna@example.com", context(2)),
    );
  });

  it("write only plain ASCII with nothing COPY would need to escape, in a shape the leak scan recognises", () => {
    fc.assert(
      fc.property(fc.constantFrom(...maskingStrategies), field, (strategy, value) => {
        const masked = mask(strategy, value, context(3))!;
        expect(masked).toMatch(/^[\x20-\x7e]+$/);
        const bytes = Buffer.from(masked);
        expect(looksMasked(bytes, 0, bytes.length)).toBe(true);
      }),
    );
  });

  it("normalise before hashing where Odoo stores one value twice", () => {
    const ctx = context(4);
    expect(mask("email", '"Anna Peeters" <Anna.Peeters@Example.com>', ctx)).toBe(
      mask("email", "anna.peeters@example.com", ctx),
    );
    expect(mask("phone", "+32 2 555 01 00", ctx)).toBe(mask("phone", "+3225550100", ctx));
    expect(mask("bank-account", "BE71 0961 2345 6769", ctx)).toBe(
      mask("bank-account", "BE71096123456769", ctx),
    );
    expect(mask("login", "Anna.Peeters@example.com", ctx)).toBe(
      mask("email", "anna.peeters@example.com", ctx),
    );
    expect(mask("display-name", "Acme SA, Anna Peeters", ctx)).toBe(
      `${mask("name", "Acme SA", ctx)}, ${mask("name", "Anna Peeters", ctx)}`,
    );
  });

  it("clear gives NULL and password gives the run's reset hash", () => {
    expect(mask("clear", "a note about Anna", context(5))).toBeNull();
    expect(mask("password", "$pbkdf2-sha512$old", context(5))).toBe("$pbkdf2-sha512$100000$c2FsdA$aGFzaA");
    expect(mask("password", "$pbkdf2-sha512$old", { ...context(5), password: null })).toBeNull();
  });
});

describe("the masked shape", () => {
  it("is not mistaken for real data", () => {
    for (const real of [
      "Name Tag Ltd",
      "Nathalie Dubois",
      "+32 470 12 34 56",
      "Zürich",
      "XX Century Fox",
      "City Bikes",
      "Street 5",
    ]) {
      const bytes = Buffer.from(real);
      expect(looksMasked(bytes, 0, bytes.length), real).toBe(false);
    }
  });
});

describe("profiles", () => {
  it("let a project's extra column replace a profile rule", () => {
    const rules = maskRules("default", [{ table: "res_partner", column: "comment", strategy: "text" }]);
    expect(rules.filter((r) => r.table === "res_partner" && r.column === "comment")).toEqual([
      { table: "res_partner", column: "comment", strategy: "text" },
    ]);
  });

  it("strict masks everything default masks, and more", () => {
    const key = (r: { table: string; column: string }) => `${r.table}.${r.column}`;
    const strict = new Set(maskRules("strict").map(key));
    expect(maskRules("default").every((r) => strict.has(key(r)))).toBe(true);
    expect(strict.has("mail_message.body")).toBe(true);
  });
});
