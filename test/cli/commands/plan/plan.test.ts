import { describe, expect, it } from "vitest";
import { SERVICES_GROUP } from "../../../../cli/commands/plan/report.ts";
import { runCli } from "../../../support/cli.ts";
import { EXAMPLE_PROJECTS, minimalYaml, writeProjects } from "../../../support/projects.ts";

interface JsonPlan {
  resources: {
    stack: string;
    type: string;
    name: string;
    project: string | null;
    environment: string | null;
    stage: string | null;
  }[];
  violations: { policy: string; level: string; resource: string; message: string }[];
}

async function planJson(...args: string[]): Promise<{ code: number; plan: JsonPlan }> {
  const { code, stdout, stderr } = await runCli("plan", "--format", "json", ...args);
  if (code === 2) throw new Error(stderr);
  return { code, plan: JSON.parse(stdout) as JsonPlan };
}

function environments(plan: JsonPlan, stack: string) {
  return plan.resources
    .filter((r) => r.stack === stack && r.type === "odooops:environment:Environment")
    .map((r) => `${r.project}/${r.environment}/${r.stage}`)
    .sort();
}

describe("odooops plan (offline, on the Pulumi mock runtime)", () => {
  it("plans every environment of the examples, each in the stack that owns its stage", async () => {
    const { plan } = await planJson(...EXAMPLE_PROJECTS, "--catalog", "examples/catalog.example.json");
    expect(environments(plan, "prod")).toEqual([
      "acme-erp/production/production",
      "hello/production/production",
    ]);
    expect(environments(plan, "staging")).toEqual([
      "acme-erp/feature--invoice-ocr/development",
      "acme-erp/feature--portal-redesign/development",
      "acme-erp/feature--team-b--payroll-ph/development",
      expect.stringMatching(/^acme-erp\/feature-abc-12-fix-v2-[0-9a-f]{8}\/development$/),
      "acme-erp/hotfix--invoice-rounding/staging",
      expect.stringMatching(/^acme-erp\/release-2026-12-[0-9a-f]{8}\/staging$/),
      "hello/feature--first-module/development",
    ]);
  });

  it("gives every resource its type, name, project, environment and stage", async () => {
    const { plan } = await planJson(...EXAMPLE_PROJECTS, "--stack", "prod");
    expect(plan.resources.length).toBeGreaterThan(0);
    for (const r of plan.resources) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining(["type", "name", "project", "environment", "stage"]),
      );
    }
    expect(new Set(plan.resources.map((r) => r.stack))).toEqual(new Set(["prod"]));
    expect(plan.violations).toBeInstanceOf(Array);
  });

  it("plans only the files it is given", async () => {
    const { plan } = await planJson("examples/projects/hello.yaml", "--stack", "prod");
    // The platform services are the prod stack's own, planned whichever projects are given.
    expect(new Set(plan.resources.map((r) => r.project).filter(Boolean))).toEqual(
      new Set(["hello", SERVICES_GROUP]),
    );
  });

  it("never prints a secret value", async () => {
    const { stdout } = await runCli("plan", ...EXAMPLE_PROJECTS, "--format", "json");
    expect(stdout).not.toMatch(/mock-password/);
  });

  it("renders text and markdown grouped by project and environment", async () => {
    // The example catalog lists hello's live feature branch (stack files name no catalog).
    const text = await runCli(
      "plan",
      "examples/projects/hello.yaml",
      "--stack",
      "staging",
      "--catalog",
      "examples/catalog.example.json",
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("stack staging (staging, development)");
    expect(text.stdout).toContain("  project hello");
    expect(text.stdout).toContain("    environment feature--first-module (development)");
    const markdown = await runCli("plan", "examples/projects/hello.yaml", "--format", "markdown");
    expect(markdown.stdout).toMatch(/^## odooops plan — /);
    expect(markdown.stdout).toContain("<details><summary>prod / hello</summary>");
  });

  it("refuses invalid input with exit 2, located errors and no plan at all", async () => {
    const { dir, paths } = writeProjects({ "acme.yaml": minimalYaml().replace("production:", "prod:") });
    const { code, stdout, stderr } = await runCli("plan", ...paths);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`${dir}/acme.yaml:4:3 environments.prod: unknown key "prod"`);
    expect(stderr).toContain(`${dir}/acme.yaml:4:3 environments.production: missing; expected object`);
  });

  it("refuses a broken build catalog before planning anything", async () => {
    const { paths } = writeProjects({
      "catalog.json": '{ "projects": { "hello": { "branches": "feature/x" } } }',
    });
    const { code, stdout, stderr } = await runCli("plan", ...EXAMPLE_PROJECTS, "--catalog", paths[0]!);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
      /catalog\.json:1:\d+ projects\.hello\.branches: expected array, found string "feature\/x"/,
    );
  });

  it("refuses an unknown stack or format as a usage error", async () => {
    expect((await runCli("plan", "--stack", "qa")).code).toBe(2);
    expect((await runCli("plan", "--format", "xml")).code).toBe(2);
  });

  it("refuses a stack file with bad settings, pointing at the line", async () => {
    const { dir } = writeProjects({
      "Pulumi.prod.yaml":
        "config:\n  odooops:stages: [prod]\n  odooops:platformDomain: x\n  odooops:region: sgp1\n",
    });
    const { code, stderr } = await runCli("plan", ...EXAMPLE_PROJECTS, "--root", dir, "--stack", "prod");
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${dir}/Pulumi.prod.yaml:2:20 odooops:stages[0]: "prod" is not one of production | staging | development`,
    );
    expect(stderr).toContain(
      `${dir}/Pulumi.prod.yaml:3:27 odooops:platformDomain: "x" must be a lowercase DNS name`,
    );
  });

  it("plans nothing, in one line with exit 0, from this repo's empty projects/", async () => {
    const { code, stdout, stderr } = await runCli("plan");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toBe(
      "no project files in projects/ (add projects/<name>.yaml; examples: examples/projects/); nothing to plan\n",
    );
    const json = await runCli("plan", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ resources: [], violations: [], stacks: [] });
  });

  it("refuses a --projects folder that does not exist, in one line", async () => {
    const { code, stdout, stderr } = await runCli("plan", "--projects", "no-such-folder");
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toContain("--projects no-such-folder: no such directory");
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });
});
