import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PiiPatterns, redact } from "../../agent/mask/pii-patterns.ts";
import { ValueHashes } from "../../agent/mask/value-hashes.ts";
import { normalizeText } from "../../agent/mask/value-words.ts";
import { MASK_STRATEGIES, type MaskStrategy } from "../../model/data/masking.ts";

/** The search inside text: what a person reading the copy would recognise as the source's data. */
function patterns(): PiiPatterns {
  const p = new PiiPatterns(42);
  p.add("Anna Peeters", "name", false);
  p.add('"Anna Peeters" <Anna.Peeters@Mail.Example>', "email", false);
  p.add("+32 470 12 34 56", "phone", false);
  p.add("BE71 0961 2345 6769", "bank-account", false);
  p.add("BE0403170701", "vat", false);
  p.add("12 Rue de la Loi", "street", false);
  p.add("José Müller", "name", false);
  p.add("YourCompany SA", "name", true);
  p.add("Bo", "name", false);
  return p;
}

const found = (p: PiiPatterns, text: string) => {
  const normalized = normalizeText(text);
  const hit = p.find(normalized);
  return hit ? normalized.slice(hit.start, hit.end) : undefined;
};

describe("source values inside text", () => {
  const p = patterns();

  it("finds names, e-mails, streets and accounts as substrings, whatever the case, spacing or markup", () => {
    expect(found(p, "<p>Call   ANNA\npeeters tomorrow</p>")).toBe("anna\npeeters");
    expect(found(p, '{"contact": "mail anna.peeters@mail.example now"}')).toBe("anna.peeters@mail.example");
    expect(found(p, "Deliver to 12, rue de la Loi (3rd floor)")).toBe("12, rue de la loi");
    expect(found(p, "IBAN: BE71096123456769.")).toBe("be71096123456769");
    expect(found(p, "pay to be71 0961 2345 6769")).toBe("be71 0961 2345 6769");
    expect(found(p, "VAT BE 0403.170.701")).toBe("be 0403.170.701");
  });

  it("finds a phone number written another way, by its digits", () => {
    expect(found(p, "ring 0470/12.34.56")).toBeUndefined(); // a slash separates numbers, not groups
    expect(found(p, "ring 0470 12 34 56 after 5")).toBe("0470 12 34 56");
    expect(found(p, "tel:+32-470-123456")).toBe("32-470-123456");
  });

  it("ignores accents, and keeps Odoo's own records and values too short to mean anything", () => {
    expect(found(p, "Dear Jose MULLER,")).toBe("jose muller");
    expect(found(p, "Invoice from YourCompany SA")).toBeUndefined();
    expect(found(p, "Bo said hello")).toBeUndefined();
    expect(found(p, "Annapolis Peeters")).toBeUndefined(); // words, not letters: no match inside a word
  });

  it("redacts a finding to its shape", () => {
    expect(redact("anna.peeters@mail.example")).toBe("a•••.p••••••@m•••.e••••••");
  });
});

describe("registering source values from COPY fields", () => {
  const field = (text: string) => Buffer.from(text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n"));
  const register = (h: ValueHashes, text: string, strategy: MaskStrategy, kept = false) => {
    const b = field(text);
    h.add(b, 0, b.length, kept, strategy);
  };

  it("finds ASCII, accented and escaped values whole, however often and under whichever strategy", () => {
    const h = new ValueHashes(7);
    for (const text of ["Anna Peeters", "José Müller", "Line one\nLine two \\ end"])
      for (let i = 0; i < 3; i++) register(h, text, "display-name");
    for (const text of ["Anna Peeters", "José Müller", "Line one\nLine two \\ end"])
      expect(h.isMaskedValue(text)).toBe(true);
    expect(h.isMaskedValue("Anna Peeter")).toBe(false);
  });

  it("registers the words of a value seen before under another strategy, or kept before", () => {
    const h = new ValueHashes(7);
    const value = '"Anna Peeters" <anna.peeters@mail.example>';
    register(h, value, "display-name");
    register(h, "Bob Kept", "name", true);
    register(h, value, "email");
    register(h, "Bob Kept", "name");
    register(h, "Bob Kept", "name");
    expect(found(h.patterns, "write to anna.peeters@mail.example")).toBe("anna.peeters@mail.example");
    expect(h.patterns.size).toBe(3);
  });
});

describe("registering ASCII values from their bytes", () => {
  // Letters of both cases, digits, and what separates words, addresses and phone groups.
  const asciiValue = fc
    .array(fc.constantFrom(..."aZm09 <>@.-+()\t\"',x".split("")), { maxLength: 40 })
    .map((chars) => chars.join(""));
  const tables = (p: PiiPatterns) => {
    const state = p.state();
    return [state.source, state.kept, state.starters].map((s) => [
      Buffer.from(s.table.buffer).toString("base64"),
      s.size,
      s.hasZero,
    ]);
  };

  it("learns exactly what registering their strings learns, for every strategy", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(asciiValue, fc.constantFrom(...MASK_STRATEGIES), fc.boolean()), { maxLength: 30 }),
        (values) => {
          const fromText = new PiiPatterns(9);
          const fromBytes = new PiiPatterns(9);
          for (const [value, strategy, kept] of values) {
            fromText.add(value, strategy, kept);
            const bytes = Buffer.from(` ${value} `); // within a larger buffer, as in a COPY line
            fromBytes.addAscii(bytes, 1, bytes.length - 1, strategy, kept);
          }
          expect(tables(fromBytes)).toEqual(tables(fromText));
          expect(fromBytes.state().maxWords).toBe(fromText.state().maxWords);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    ["anna.peeters@mail.example <>", "email"],
    ["anna <a<anna.peeters@mail.example>", "email"],
    ["Anna <x> Peeters <anna.peeters@mail.example> \t", "email"],
    ["anna.peeters@mail.example>", "email"],
    ["0470 12 34 5", "phone"],
    ["+32 470 12 34 56 78 90", "phone"],
  ] as const)("learns the same from %j as from its string (%s)", (value, strategy) => {
    const fromText = new PiiPatterns(9);
    const fromBytes = new PiiPatterns(9);
    fromText.add(value, strategy, false);
    fromBytes.addAscii(Buffer.from(value), 0, Buffer.byteLength(value), strategy, false);
    expect(tables(fromBytes)).toEqual(tables(fromText));
    expect(fromText.size).toBe(1);
  });

  it("finds what was registered from bytes: the address of a display e-mail, a phone by its digits", () => {
    const p = new PiiPatterns(3);
    for (const [value, strategy] of [
      ['"Anna Peeters" <Anna.Peeters@Mail.Example>  ', "email"],
      ["+32 (470) 12-34-56", "phone"],
      ["BE71 0961 2345 6769", "bank-account"],
    ] as const) {
      const bytes = Buffer.from(value);
      p.addAscii(bytes, 0, bytes.length, strategy, false);
    }
    expect(found(p, "mail ANNA.peeters@mail.example today")).toBe("anna.peeters@mail.example");
    expect(found(p, "call 0470 123 456")).toBe("0470 123 456");
    expect(found(p, "IBAN BE71096123456769")).toBe("be71096123456769");
    expect(found(p, "Anna Peeters wrote")).toBeUndefined(); // the e-mail's address, not the name before it
  });
});
