import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../../../model/input/catalog-loader.ts";
import { parseProject } from "../../../../model/input/loader.ts";
import { branchName } from "../../../../model/input/schema/primitives.ts";
import { formatProblem } from "../../../../model/problem.ts";
import { minimalYaml, writeProjects } from "../../../support/projects.ts";

/** Zero-width and bidirectional characters make two names look alike; every file refuses them, located. */
const ZWSP = "\u200B";
const RLO = "\u202E";
const LRI = "\u2066";

function problemsOf(text: string): string[] {
  return parseProject("projects/acme.yaml", text).problems.map(formatProblem);
}

describe("invisible characters", () => {
  it.each([
    [
      "a keep entry",
      `branches:\n  - { match: main, stage: production }\n  - { match: "demo*", stage: development }\nkeep: [de${ZWSP}mo]\n`,
      "9:8 keep[0]",
      "U+200B",
    ],
    [
      "a branch pattern",
      `branches:\n  - { match: "ma${RLO}in", stage: production }\n`,
      "7:14 branches[0].match",
      "U+202E",
    ],
    [
      "a required check",
      `governance:\n  requiredChecks: [odooops/build, "odooops/module-tests${LRI}"]\n`,
      "7:35 governance.requiredChecks[1]",
      "U+2066",
    ],
    [
      "an Odoo option value",
      `odooOptions:\n  report_footer: "Acme ${RLO}GmbH"\n`,
      "7:18 odooOptions.report_footer",
      "U+202E",
    ],
    [
      "a mapping key",
      `odooOptions:\n  "limit${ZWSP}_time_real": 600\n`,
      "7:3 odooOptions",
      "the key contains",
    ],
  ])("refuses them in %s, naming the field", (_name, extra, at, code) => {
    const problems = problemsOf(`${minimalYaml()}${extra}`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`projects/acme.yaml:${at}`);
    expect(problems[0]).toContain(code);
    expect(problems[0]).toContain("retype it");
  });

  it("refuses them in catalog branches and exception text", () => {
    const { dir } = writeProjects({});
    const file = join(dir, "catalog.yaml");
    writeFileSync(
      file,
      [
        "projects:",
        "  acme:",
        "    branches:",
        `      - name: "feature/lo${ZWSP}gin"`,
        "        build: { id: b-1, image: ghcr.io/acme/acme@sha256:" +
          "ab".repeat(32) +
          ", commit: abc1234, builtAt: 2026-11-22T10:00:00Z }",
        "",
      ].join("\n"),
    );
    const problems = loadCatalogFile(file).problems.map(formatProblem);
    expect(problems).toEqual([
      expect.stringMatching(/catalog\.yaml:4:15 projects\.acme\.branches\[0\]\.name: contains .*U\+200B/),
    ]);
  });

  it("refuses a token in a catalog comment", () => {
    const { dir } = writeProjects({});
    const file = join(dir, "catalog.yaml");
    writeFileSync(file, `# pushed with glpat-${"Zx9Qm2Lp8R".repeat(3)}\nprojects: {}\n`);
    const problems = loadCatalogFile(file).problems.map(formatProblem);
    expect(problems).toEqual([expect.stringMatching(/catalog\.yaml:1:1 a comment holds a GitLab token/)]);
  });

  it("the branch name schema refuses them wherever names come from", () => {
    expect(branchName.safeParse(`main${ZWSP}`).success).toBe(false);
    expect(branchName.safeParse("feature/JIRA-4711-AddPaymentTermsV2Wizard").success).toBe(true);
  });

  it("refuses a bidirectional control hidden in a comment", () => {
    const problems = problemsOf(`${minimalYaml()}# keep the default ${RLO}retention${LRI}\n`);
    expect(problems).toEqual([
      expect.stringMatching(/^projects\/acme\.yaml:6:1 a comment contains .*U\+202E/),
    ]);
  });

  it("accepts names in other scripts that are visibly themselves", () => {
    expect(problemsOf(`${minimalYaml()}odooOptions:\n  report_footer: "Société Générale — 東京"\n`)).toEqual(
      [],
    );
  });
});
