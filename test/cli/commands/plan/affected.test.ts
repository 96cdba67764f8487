import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../../support/cli.ts";
import { DIGEST, minimalYaml } from "../../../support/projects.ts";
import { prodPlanAgainst } from "./support.ts";

const PROJECTS = ["alpha", "beta", "gamma"];
const STACK_FILE =
  "config:\n  odooops:stages: [production]\n  odooops:platformDomain: odooops.example\n  odooops:region: sgp1\n  odooops:catalog: catalog.json\n";
const project = (name: string) => `${minimalYaml(name)}personas:\n  release_manager: { users: [rm-ben] }\n`;
const catalog = (release: (name: string) => string) =>
  JSON.stringify({
    projects: Object.fromEntries(
      PROJECTS.map((n) => [
        n,
        { releases: [{ id: release(n), image: `ghcr.io/acme/${n}@${DIGEST}`, passed: ["G1", "G2", "G3"] }] },
      ]),
    ),
  });

interface Scope {
  all?: string;
  planned: { project: string; reason: string }[];
  skipped: { project: string; reason: string }[];
}

/** A repository of three projects committed as HEAD; each test edits the working tree from there. */
let repo: string;
const home = process.cwd();
const git = (...args: string[]) =>
  execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args]);
const write = (path: string, text: string) => writeFileSync(join(repo, path), text);

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "odooops-affected-"));
  mkdirSync(join(repo, "projects"));
  write("Pulumi.prod.yaml", STACK_FILE);
  write(
    "catalog.json",
    catalog(() => "r-1"),
  );
  for (const name of PROJECTS) write(`projects/${name}.yaml`, project(name));
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  process.chdir(repo);
});
beforeEach(() => {
  git("checkout", "-q", "--", ".");
  git("clean", "-q", "-f");
});
afterAll(() => process.chdir(home));

type Plan = { scope?: Scope; resources: { project: string | null }[] };
const planAgainstHead = (...extra: string[]) => prodPlanAgainst<Plan>("HEAD", ...extra);

const projectsOf = (plan: { resources: { project: string | null }[] }) =>
  [...new Set(plan.resources.map((r) => r.project).filter(Boolean))].sort();

describe("odooops plan --base: only the projects the change affects", () => {
  it("plans the project whose file changed and names the skipped ones with the reason", async () => {
    write(
      "projects/beta.yaml",
      project("beta").replace("  production:\n", "  production:\n    size: s-4vcpu-8gb\n"),
    );
    const plan = await planAgainstHead();
    expect(projectsOf(plan)).toEqual(["beta"]);
    expect(plan.scope).toEqual({
      planned: [{ project: "beta", reason: "projects/beta.yaml changed" }],
      skipped: ["alpha", "gamma"].map((p) => ({
        project: p,
        reason: "its file and catalog entry are unchanged since HEAD",
      })),
    });
    const text = await runCli("plan", "--stack", "prod", "--base", "HEAD");
    expect(text.stdout).toContain(
      "planned 1 of 3 projects, those the change affects: beta (projects/beta.yaml changed)",
    );
    expect(text.stdout).toContain(
      "skipped 2 (its file and catalog entry are unchanged since HEAD): alpha, gamma",
    );
  });

  it("plans a new, untracked project file", async () => {
    write("projects/delta.yaml", project("delta"));
    // Not in the catalog, so it fails the release gates (exit 1): only its scope matters here.
    const { stdout } = await runCli("plan", "--stack", "prod", "--base", "HEAD", "--format", "json");
    expect((JSON.parse(stdout) as Plan).scope?.planned).toEqual([
      { project: "delta", reason: "projects/delta.yaml changed" },
    ]);
  });

  it("plans the projects whose catalog entry changed", async () => {
    write(
      "catalog.json",
      catalog((n) => (n === "gamma" ? "r-2" : "r-1")),
    );
    const plan = await planAgainstHead();
    expect(plan.scope?.planned).toEqual([{ project: "gamma", reason: "its entry in catalog.json changed" }]);
    expect(projectsOf(plan)).toEqual(["gamma"]);
  });

  it("plans everything when the stack configuration changes, and says so", async () => {
    write("Pulumi.prod.yaml", STACK_FILE.replace("sgp1", "fra1"));
    const plan = await planAgainstHead();
    expect(plan.scope?.all).toBe("Pulumi.prod.yaml changed (stack config or shared code)");
    expect(projectsOf(plan)).toEqual(PROJECTS);
  });

  it("plans nothing for a change the plan does not read, and everything with --all-projects", async () => {
    write("README.md", "# notes\n");
    write("plan-errors.txt", ""); // untracked, as CI's shell creates it before the plan runs
    expect(projectsOf(await planAgainstHead())).toEqual([]);
    const all = await planAgainstHead("--all-projects");
    expect(all.scope).toBeUndefined();
    expect(projectsOf(all)).toEqual(PROJECTS);
  });
});
