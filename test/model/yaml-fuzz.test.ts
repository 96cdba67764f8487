import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";

/**
 * A fuzz of the project loader: the real examples, mutated the ways a hand edit or a hostile file does
 * (YAML-significant snippets inserted anywhere, lines dropped, duplicated or swapped). `odooops validate`
 * must always answer with exit 0 or exit 2, never a stack trace, and every problem names file:line:col.
 */
const EXAMPLES = [
  ...readdirSync("examples/projects")
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join("examples/projects", f)),
  "test/fixtures/unsafe/admin-password-in-yaml.yaml",
  "test/fixtures/unsafe/long-lived-branch-not-kept.yaml",
].map((path) => readFileSync(path, "utf8"));

const SNIPPETS = [
  "*x",
  "&x ",
  "*x\n",
  "a: &x [*x]\n",
  "b: *y\ny: &y 1\n",
  "\t",
  '"\\q"',
  ": ",
  "- ",
  "[",
  "]",
  "{",
  "}",
  "!!binary ",
  "!!set ",
  "!custom ",
  "<<: *x\n",
  "---\n",
  "...\n",
  "%YAML 1.1\n",
  "? ",
  "|",
  ">-\n",
  "#",
  "'",
  "\u202e",
  "\u200b",
  "\0",
  "name: other\n",
  "  ",
  "\n",
  "9999999999999999999999",
  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
  "{a: ".repeat(20_000),
  "- ".repeat(5_000),
];

type Mutation =
  | { kind: "insert"; at: number; snippet: string }
  | { kind: "drop"; line: number }
  | { kind: "duplicate"; line: number }
  | { kind: "swap"; a: number; b: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    snippet: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 6 })),
  }),
  fc.record({ kind: fc.constant("drop" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
);

function apply(text: string, m: Mutation): string {
  if (m.kind === "insert") {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.snippet + text.slice(at);
  }
  const lines = text.split("\n");
  const pick = (n: number) => n % lines.length;
  if (m.kind === "drop") lines.splice(pick(m.line), 1);
  else if (m.kind === "duplicate") lines.splice(pick(m.line), 0, lines[pick(m.line)]!);
  else {
    const [a, b] = [pick(m.a), pick(m.b)];
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  }
  return lines.join("\n");
}

const dir = mkdtempSync(join(tmpdir(), "odooops-fuzz-"));

async function validate(text: string) {
  const file = join(dir, "acme-erp.yaml");
  writeFileSync(file, text);
  const err: string[] = [];
  const code = await main(["validate", file], { out: () => {}, err: (t) => err.push(t) });
  return { file, code, err };
}

describe("project loader under mutation", () => {
  it("answers every mutated example with exit 0 or a located error and exit 2", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EXAMPLES),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (example, mutations) => {
          const { file, code, err } = await validate(mutations.reduce(apply, example));
          expect([0, 2]).toContain(code);
          const problems = err.filter((line) => !/problem\(s\) in \d+ file/.test(line));
          if (code === 2) expect(problems.length).toBeGreaterThan(0);
          for (const line of problems) {
            expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ `));
            expect(line).not.toMatch(/\n\s+at /);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
