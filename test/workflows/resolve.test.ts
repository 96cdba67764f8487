import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveBranch } from "../../model/branches.ts";
import { loadProjects } from "../../model/loader.ts";
import { runCli } from "../support/cli.ts";

/** `key=value` lines as the app workflow appends them to $GITHUB_OUTPUT. */
function outputs(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

/** A platform repo holding the example acme-erp as a real project (this repo's projects/ is empty). */
const root = mkdtempSync(join(tmpdir(), "odooops-resolve-"));
mkdirSync(join(root, "projects"));
copyFileSync("examples/projects/acme-erp.yaml", join(root, "projects", "acme-erp.yaml"));
copyFileSync("Pulumi.staging.yaml", join(root, "Pulumi.staging.yaml"));

describe("odooops resolve (the app workflow's branch → environment step)", () => {
  it.each([
    ["feature/team-b/payroll", "development"],
    ["release/2026.12", "staging"],
    ["hotfix/rounding", "staging"],
    ["main", "production"],
  ])("sends %s to %s, as the branch rules do", async (branch, stage) => {
    const result = await runCli("resolve", "--root", root, "acme-erp", branch, "--format", "github");
    expect(result.code).toBe(0);
    const out = outputs(result.stdout);
    const project = loadProjects(["examples/projects/acme-erp.yaml"]).projects[0]!.project;
    const expected = resolveBranch(project, branch, { platformDomain: "odooops.example" })!;
    expect(out).toMatchObject({ stage, slug: expected.slug, url: `https://${expected.hostnames[0]}` });
  });

  it("gives a branch no rule matches an empty stage, so it is built and tested but not delivered", async () => {
    const result = await runCli("resolve", "--root", root, "acme-erp", "docs/readme", "--format", "github");
    expect(result.code).toBe(0);
    expect(outputs(result.stdout).stage).toBe("");
  });

  it("refuses names that could smuggle lines into $GITHUB_OUTPUT", async () => {
    const result = await runCli(
      "resolve",
      "--root",
      root,
      "acme-erp",
      "feature/x\nstage=production",
      "--format",
      "github",
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
  });
});
