import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import type { Catalog } from "../../model/input/catalog.ts";
import { parseProject } from "../../model/input/loader.ts";
import { EXPECTED } from "./corpus-table.ts";

/**
 * The unsafe-config corpus: one project file per way to get safety wrong (test/fixtures/unsafe/, each
 * file says what is unsafe in its header). Every one must be refused — by the schema (exit 2) or by a
 * mandatory policy (exit 1) — with a message naming the field. A safe file of the same shape passes,
 * so each refusal is the mutation's doing.
 */
const CORPUS = "test/fixtures/unsafe";
const NOW = "2026-11-23T12:00:00Z";

const files = readdirSync(CORPUS).filter((f) => f.endsWith(".yaml"));
/** Tricky but valid: long mixed-case names, unusual but narrow CIDRs, kept branches, secret-like settings. */
const SAFE = "test/fixtures/safe";
const safeFiles = readdirSync(SAFE).filter((f) => f.endsWith(".yaml"));
const dir = mkdtempSync(join(tmpdir(), "odooops-corpus-"));

/** Live staging and development branches for every project, and a passed G1–G3 release of its image. */
function catalogFile(paths: readonly string[]): string {
  const catalog: Catalog = { projects: {} };
  for (const path of paths) {
    const project = parseProject(path, readFileSync(path, "utf8")).loaded?.project;
    if (!project) continue;
    const image = project.environments.production.image;
    const build = (id: string) => ({
      id,
      image: `ghcr.io/acme/${project.name}@sha256:${"9c".repeat(32)}`,
      commit: "abc1234",
      builtAt: "2026-11-22T10:00:00Z",
      checks: {},
    });
    const released =
      EXPECTED[project.name]?.exit !== 1 || (EXPECTED[project.name] as { release?: false }).release !== false;
    catalog.projects[project.name] = {
      branches: [
        { name: "release/1.0", build: build("b-1") },
        { name: "feature/login", build: build("b-2") },
        { name: "demo", build: build("b-3") },
        // Long mixed-case names: names, which the secret detector must never take for tokens.
        { name: "feature/JIRA-4711-AddPaymentTermsV2Wizard", build: build("b-4") },
        { name: "release/2025-Q4-HotfixPaymentRounding7", build: build("b-5") },
        { name: "training", build: build("b-6") },
      ],
      releases: released ? [{ id: "r-1", image, passed: ["G1", "G2", "G3"], exceptions: [] }] : [],
    };
  }
  const file = join(dir, "catalog.json");
  writeFileSync(file, JSON.stringify(catalog));
  return file;
}

const baseline = readFileSync(join(CORPUS, "retention-daily-short.yaml"), "utf8")
  .replaceAll("retention-daily-short", "corpus-baseline")
  .replace("daily: 3", "daily: 7");
const baselineFile = join(dir, "corpus-baseline.yaml");
writeFileSync(baselineFile, baseline);
const catalog = catalogFile([
  ...files.map((f) => join(CORPUS, f)),
  ...safeFiles.map((f) => join(SAFE, f)),
  baselineFile,
]);

async function plan(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", file, "--catalog", catalog, "--now", NOW], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("the unsafe-config corpus", () => {
  it("holds at least 25 files, each described by the table, each saying what is unsafe", () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files.map((f) => f.replace(/\.yaml$/, "")).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const f of files) expect(readFileSync(join(CORPUS, f), "utf8")).toMatch(/^# UNSAFE: \S/m);
  });

  it("has a safe twin that plans without mandatory violations", async () => {
    const { code, out } = await plan(baselineFile);
    expect(out).not.toContain("[mandatory]");
    expect(code).toBe(0);
  });

  it.each(safeFiles)("passes the tricky-but-valid %s", async (name) => {
    const { code, out, err } = await plan(join(SAFE, name));
    expect(err).toBe("");
    expect(out).not.toContain("[mandatory]");
    // The platform services' unpinned images are advice about the prod stack, not about this file.
    const advisories = out.split("\n").filter((l) => l.includes("[advisory]"));
    // So is the unreleased agent image (until agent-release.yml pins one).
    const platformWide = ["platform-service-images-pinned", "agent-image-released"];
    expect(advisories.filter((l) => !platformWide.some((p) => l.includes(p)))).toEqual([]);
    expect(code).toBe(0);
  });

  it.each(Object.entries(EXPECTED))("refuses %s", async (name, expected) => {
    const file = join(CORPUS, `${name}.yaml`);
    const { code, out, err } = await plan(file);
    expect(code).toBe(expected.exit);
    if (expected.exit === 2) {
      const problem = err
        .split("\n")
        .find((line) => line.includes(` ${expected.field}`) && line.includes(expected.says));
      expect(problem, err).toMatch(new RegExp(`^${file}:\\d+:\\d+ `));
      expect(problem).toContain(expected.says);
      return;
    }
    const [level, policy] =
      expected.exit === 0 ? ["advisory", expected.advisory] : ["mandatory", expected.policy];
    if (expected.exit === 0) expect(out).not.toContain("[mandatory]");
    const violation = out.split("\n").findIndex((line) => line.includes(`[${level}] ${policy} `));
    expect(violation, out).toBeGreaterThanOrEqual(0);
    const where = out
      .split("\n")
      .slice(violation + 1)
      .find((line) => line.trim().startsWith("where:"));
    expect(where).toMatch(
      new RegExp(`where: ${file}:\\d+:\\d+ ${expected.field.replace(/[.[\]]/g, "\\$&")}$`),
    );
  });
});
