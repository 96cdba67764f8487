import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.ts";
import { writeProjects } from "../support/projects.ts";
import { catalogFor, lineOf, mutate, SAFE_PROJECT } from "./harness.ts";

/** `odooops plan` end to end: the real program, the real pack, the exit code a CI job reads. */
async function plan(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["plan", ...args], { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function workspace(yaml: string, budget = "monthlyUsd: 5000") {
  const { dir, paths } = writeProjects({ "shop.yaml": yaml.replace("monthlyUsd: 5000", budget) });
  const catalog = join(dir, "catalog.json");
  writeFileSync(catalog, JSON.stringify(catalogFor()));
  return { project: paths[0]!, catalog };
}

const UNMASKED = mutate(SAFE_PROJECT, "mask: default", "mask: none");
const NOW = ["--now", "2026-11-23T12:00:00Z"];

describe("odooops plan with the policy pack", () => {
  it("exits 1 on an unsafe project file, naming the policy and the YAML line", async () => {
    const { project, catalog } = workspace(UNMASKED);
    const { code, out } = await plan([project, "--catalog", catalog, ...NOW]);
    expect(code).toBe(1);
    const lines = out.split("\n");
    const at = lines.findIndex((l) => l.includes("! [mandatory] staging-data-masked (shop)"));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]!.trim()).toBe(
      `where: ${project}:${lineOf(UNMASKED, "clone:")}:36 environments.staging.clone.mask`,
    );
    expect(lines[at + 2]!.trim()).toMatch(
      /^fix: set environments\.staging\.clone\.mask to default or strict$/,
    );
  });

  it("exits 0 when only advice is given, and still shows it", async () => {
    const { project, catalog } = workspace(SAFE_PROJECT, "monthlyUsd: 1");
    const { code, out } = await plan([project, "--catalog", catalog, ...NOW]);
    expect(code).toBe(0);
    expect(out).toContain("[advisory] project-monthly-cost-within-budget (shop)");
    expect(out).not.toContain("[mandatory]");
  });

  it("writes a PR comment: summary per project, violations first, resources folded away", async () => {
    const { project, catalog } = workspace(UNMASKED);
    const { code, out } = await plan([project, "--catalog", catalog, "--format", "markdown", ...NOW]);
    expect(code).toBe(1);
    const summary = out.indexOf("| stack | projects |");
    const violations = out.indexOf("### ❌ Mandatory violations");
    const resources = out.indexOf("<details>");
    expect(summary).toBeGreaterThan(0);
    expect(violations).toBeGreaterThan(summary);
    expect(resources).toBeGreaterThan(violations);
    const row = out.split("\n").find((l) => l.includes("`staging-data-masked`"))!;
    expect(row).toMatch(/^\| `staging-data-masked` \| staging \/ shop/);
    expect(row).toContain(`\`${project}:${lineOf(UNMASKED, "clone:")}:36 environments.staging.clone.mask\``);
    expect(row).toContain("set environments.staging.clone.mask to default or strict");
  });

  it("puts what, where and fix into the JSON plan", async () => {
    const { project, catalog } = workspace(UNMASKED);
    const { out } = await plan([project, "--catalog", catalog, "--format", "json", ...NOW]);
    const violations = JSON.parse(out).violations as Record<string, unknown>[];
    expect(violations).toContainEqual(
      expect.objectContaining({
        policy: "staging-data-masked",
        level: "mandatory",
        project: "shop",
        where: expect.stringMatching(/environments\.staging\.clone\.mask$/),
        fix: expect.stringContaining("default or strict"),
      }),
    );
  });

  it("refuses a --now that is not a time", async () => {
    const { project, catalog } = workspace(SAFE_PROJECT);
    const { code, err } = await plan([project, "--catalog", catalog, "--now", "tomorrow"]);
    expect(code).toBe(2);
    expect(err).toContain("--now must be an ISO 8601 time");
  });

  it("finds no mandatory violation in the example projects", async () => {
    const { code, out } = await plan([
      "--projects",
      "examples/projects",
      "--catalog",
      "examples/catalog.example.json",
      ...NOW,
    ]);
    expect(out).not.toContain("[mandatory]");
    expect(code).toBe(0);
  });
});
