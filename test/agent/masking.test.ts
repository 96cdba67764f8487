import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sipKey } from "../../agent/hash/siphash.ts";
import { looksMasked } from "../../agent/mask/masked-shape.ts";
import { type MaskContext, maskInto } from "../../agent/mask/strategies.ts";
import { OutputBuffer } from "../../agent/sql-stream/output-buffer.ts";
import { MASK_STRATEGIES, type MaskStrategy, maskRules } from "../../model/data/masking.ts";

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
// json keeps the document's shape (tested below); clear and password do not depend on the value.
const maskingStrategies = MASK_STRATEGIES.filter((s) => s !== "clear" && s !== "password" && s !== "json");

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

describe("free text, file names and JSON", () => {
  const ctx = context(6);

  it("rewrite a body to neutral text of about its length, keeping nothing of it", () => {
    const body = `<p>Dear Anna Peeters, your order ${"is on its way ".repeat(20)}</p>`;
    const masked = mask("prose", body, ctx)!;
    expect(masked).toMatch(/^masked text [0-9a-f]{12}( lorem)+$/);
    expect(Math.abs(masked.length - body.length)).toBeLessThan(8);
    expect(mask("prose", "x".repeat(100_000), ctx)!.length).toBeLessThanOrEqual(4000);
  });

  it("keep a file's extension, not its name", () => {
    expect(mask("file-name", "ID card Anna Peeters.pdf", ctx)).toMatch(/^file-[0-9a-f]{12}\.pdf$/);
    expect(mask("file-name", "scan", ctx)).toMatch(/^file-[0-9a-f]{12}$/);
  });

  it("walk JSON key by key: every string value masked, keys, numbers and booleans kept", () => {
    const doc = { a1b2: "Anna Peeters", c3: { phone: "+32 470 12 34 56", vip: true, n: 3 }, tags: ["Ben"] };
    // COPY escapes a backslash; the masked document must be escaped the same way.
    const masked = JSON.parse(mask("json", JSON.stringify(doc).replaceAll("\\", "\\\\"), ctx)!);
    expect(Object.keys(masked)).toEqual(["a1b2", "c3", "tags"]);
    expect(masked.a1b2).toMatch(/^masked [0-9a-f]{12}$/);
    expect(masked.c3).toMatchObject({ vip: true, n: 3, phone: expect.stringMatching(/^masked /) });
    expect(masked.tags[0]).toMatch(/^masked /);
    expect(JSON.stringify(masked)).not.toMatch(/Anna|Peeters|470|Ben/);
    expect(mask("json", "not json", ctx)).toBe("{}");
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

  it("have one rule per column, and cover Odoo's personal columns beyond partners", () => {
    for (const profile of ["default", "strict"] as const) {
      const keys = maskRules(profile).map((r) => `${r.table}.${r.column}`);
      expect(new Set(keys).size, profile).toBe(keys.length);
    }
    const rules = new Map(maskRules("default").map((r) => [`${r.table}.${r.column}`, r.strategy]));
    expect(
      Object.fromEntries(
        [
          "mail_message.body",
          "crm_lead.lead_properties",
          "hr_employee.spouse_complete_name",
          "hr_version.spouse_complete_name",
          "hr_employee.private_car_plate",
          "ir_attachment.name",
          "sms_sms.number",
          "discuss_channel.name",
          "account_bank_statement_line.account_number",
          "calendar_attendee.common_name",
        ].map((k) => [k, rules.get(k)]),
      ),
    ).toEqual({
      "mail_message.body": "prose",
      "crm_lead.lead_properties": "json",
      "hr_employee.spouse_complete_name": "name",
      "hr_version.spouse_complete_name": "name",
      "hr_employee.private_car_plate": "vat",
      "ir_attachment.name": "file-name",
      "sms_sms.number": "phone",
      "discuss_channel.name": "text",
      "account_bank_statement_line.account_number": "bank-account",
      "calendar_attendee.common_name": "name",
    });
    expect(maskRules("strict").find((r) => r.table === "mail_message" && r.column === "body")?.strategy).toBe(
      "clear",
    );
  });
});
