import { describe, expect, it } from "vitest";
import { parseProject } from "../../../model/input/loader.ts";
import { MAX_PROJECT_FILE_CHARS } from "../../../model/input/yaml-source.ts";
import { formatProblem } from "../../../model/problem.ts";
import { minimalYaml } from "../../support/projects.ts";

/** Every way the yaml library refuses a file comes back as one located problem, never an exception. */
const FILE = "projects/acme.yaml";

function problemsOf(text: string): string[] {
  return parseProject(FILE, text).problems.map(formatProblem);
}

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const bomb = [
  "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]",
  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
  "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
].join("\n");

describe("YAML errors", () => {
  it.each([
    [
      "an alias before its anchor",
      `${minimalYaml()}keep: [*x]\nx: &x main\n`,
      "6:8",
      "used before any anchor &x",
    ],
    ["an alias inside its own anchor", `${minimalYaml()}keep: &x [*x]\n`, "6:11", "would contain itself"],
    [
      "an alias loop through a mapping",
      `${minimalYaml()}odooOptions: &o\n  a: *o\n`,
      "7:6",
      "would contain itself",
    ],
    ["excessive alias expansion", `${minimalYaml()}${bomb}\n`, "7:8", "too many nodes"],
    ["a duplicate key", `${minimalYaml()}repo: acme/other\n`, "6:1", 'duplicate key "repo"'],
    ["a tab as indentation", `${minimalYaml()}retention:\n\tdaily: 7\n`, "7:1", "YAML syntax error"],
    ["a bad escape", `${minimalYaml()}keep: ["\\q"]\n`, "6:9", "YAML syntax error"],
    ["nesting too deep", `${minimalYaml()}keep: ${nested(2000)}\n`, "6:", "nests too deeply"],
    ["nesting far too deep", `${minimalYaml()}keep: ${nested(50_000)}\n`, "6:", "nests too deeply"],
    // Found by the fuzz: thousands of block sequence entries on one line overflowed the parser's stack.
    [
      "a line of 20,000 sequence entries",
      `${minimalYaml()}keep:\n${"- ".repeat(20_000)}x\n`,
      "7:",
      "nests too deeply",
    ],
    // Found by the fuzz: the same line followed by a comment overflowed the comment scan.
    [
      "a line of 5,000 sequence entries ending in a comment",
      `${minimalYaml()}keep:\n${"- ".repeat(5_000)}# why\n`,
      "7:",
      "nests too deeply",
    ],
  ])("locates %s", (_name, text, at, says) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${FILE}:${at}`);
    expect(problems[0]).toContain(says);
  });

  it("refuses a huge document before parsing it", () => {
    const text = `${minimalYaml()}# ${"x".repeat(MAX_PROJECT_FILE_CHARS)}\n`;
    expect(problemsOf(text)).toEqual([
      expect.stringMatching(/^projects\/acme\.yaml:1:1 the file has \d+ characters/),
    ]);
  });

  it("still reads an alias after its anchor", () => {
    const text = `${minimalYaml()}keep: &k []\nbundles: *k\n`;
    expect(problemsOf(text)).toEqual([]);
  });
});
