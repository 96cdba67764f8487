import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isLiteralPattern, matchesPattern, witnessNotCoveredBy } from "../../model/glob.ts";

describe("branch patterns (GitHub deployment-branch semantics)", () => {
  it.each([
    ["main", "main", true],
    ["main", "main2", false],
    ["release/*", "release/1.2", true],
    ["release/*", "release/a/b", false],
    ["release/**", "release/a/b", true],
    ["release/**", "release/", true],
    ["feature/?", "feature/a", true],
    ["feature/?", "feature/ab", false],
    ["feature/?", "feature//", false],
    ["*", "main", true],
    ["*", "feature/x", false],
    ["**", "feature/x/y", true],
    ["v*.*", "v1.2", true],
  ])("%s matches %s: %s", (pattern, branch, expected) => {
    expect(matchesPattern(pattern, branch)).toBe(expected);
  });

  it("knows literal patterns", () => {
    expect(isLiteralPattern("main")).toBe(true);
    expect(isLiteralPattern("release/*")).toBe(false);
    expect(isLiteralPattern("hotfix?")).toBe(false);
  });

  it.each([
    ["feature/x", ["feature/*"]],
    ["feature/a/b", ["feature/**"]],
    ["release/*", ["**"]],
    ["release/1", ["release/?", "release/*"]],
  ])("%s is shadowed by %j", (pattern, earlier) => {
    expect(witnessNotCoveredBy(pattern, earlier)).toBeUndefined();
  });

  it.each([
    ["release/**", ["release/*"]],
    ["feature/*", ["feature/x"]],
    ["*", ["main"]],
    ["hotfix/*", ["release/*", "feature/**"]],
  ])("%s still matches something %j does not", (pattern, earlier) => {
    const witness = witnessNotCoveredBy(pattern, earlier);
    expect(witness).toBeDefined();
    expect(matchesPattern(pattern, witness!)).toBe(true);
    for (const e of earlier) expect(matchesPattern(e, witness!)).toBe(false);
  });

  it("a witness is always a branch the pattern takes and no earlier pattern does", () => {
    const piece = fc.constantFrom("a", "b", "/", "*", "**", "?", "x/");
    const pattern = fc.array(piece, { minLength: 1, maxLength: 5 }).map((p) => p.join(""));
    fc.assert(
      fc.property(pattern, fc.array(pattern, { maxLength: 3 }), (target, earlier) => {
        const witness = witnessNotCoveredBy(target, earlier);
        if (witness === undefined) return;
        expect(matchesPattern(target, witness)).toBe(true);
        for (const e of earlier) expect(matchesPattern(e, witness)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("a pattern reported as shadowed has no branch that escapes the earlier ones", () => {
    const name = fc.stringMatching(/^[ab/]{1,6}$/);
    fc.assert(
      fc.property(
        fc.constantFrom("a*", "a/*", "*/b", "a?", "**b"),
        fc.constantFrom("a*", "*", "a/**", "*b", "a?"),
        name,
        (target, earlier, branch) => {
          if (witnessNotCoveredBy(target, [earlier]) !== undefined) return;
          if (matchesPattern(target, branch)) expect(matchesPattern(earlier, branch)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
