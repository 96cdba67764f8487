import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProjects } from "../../../../model/input/loader.ts";
import { runCli } from "../../../support/cli.ts";
import { DIGEST } from "../../../support/projects.ts";

let root: string;
const IMAGE = `ghcr.io/tbwa/finance-odoo@${DIGEST}`;
const create = (name: string, ...extra: string[]) =>
  runCli(
    "tenant",
    "create",
    name,
    "--root",
    root,
    "--repo",
    "tbwa/finance-odoo",
    "--image",
    IMAGE,
    "--release-managers",
    "rm-ben",
    ...extra,
  );

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "odooops-tenant-test-"));
  cpSync("projects", join(root, "projects"), { recursive: true });
  // A platform repo that already holds the example projects: the new tenant must not clash with them.
  cpSync("examples/projects", join(root, "projects"), { recursive: true });
  cpSync("Pulumi.staging.yaml", join(root, "Pulumi.staging.yaml"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("odooops tenant create", () => {
  it("writes a project file the loader accepts, with bundles, domains, personas and the Finance PPM warehouse", async () => {
    const run = await create(
      "tbwa-finance",
      "--odoo",
      "16.0",
      "--bundles",
      "finance_ppm,hr_timesheets",
      "--domains",
      "finance.tbwa.example",
      "--qa",
      "qa-ana",
      "--developers",
      "dev-dan",
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const { file, steps } = JSON.parse(run.stdout) as { file: string; steps: { step: string; ms: number }[] };
    expect(steps.map((s) => s.step)).toEqual(["render template", "validate", "write"]);
    const loaded = loadProjects([file]);
    expect(loaded.problems).toEqual([]);
    const project = loaded.projects[0]!.project;
    expect(project).toMatchObject({
      name: "tbwa-finance",
      repo: "tbwa/finance-odoo",
      bundles: ["finance_ppm", "hr_timesheets"],
      domains: ["finance.tbwa.example"],
      environments: { production: { image: IMAGE } },
      personas: {
        release_manager: { users: ["rm-ben"] },
        qa_tester: { users: ["qa-ana"] },
        developer: { users: ["dev-dan"] },
      },
      warehouse: { tables: ["account_move", "account_analytic_line", "project_project"], mask: "default" },
    });
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./schema.json");
  });

  it("writes a tenant whose bundle the OCA data cannot confirm for its version, and says which module", async () => {
    // The mirrors read are of October 2024, less than a year after 17.0: a missing port there is unverified.
    const run = await create("tbwa-ppm", "--odoo", "17.0", "--bundles", "crm_sales,finance_ppm");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^note: account_budget_oca \(OCA\/account-budgeting\) is not confirmed for Odoo 17\.0: OCA\/account-budgeting@17\.0 has no account_budget_oca in a mirror of \d{4}-\d\d-\d\d; check the branch before the first build$/m,
    );
    expect(existsSync(join(root, "projects", "tbwa-ppm.yaml"))).toBe(true);
  });

  it("writes the app repository's oca_dependencies.txt and .gitmodules for the bundles on the tenant's branch", async () => {
    const app = join(root, "app");
    cpSync("examples/app-repo", app, { recursive: true });
    const run = await create(
      "tbwa-crm",
      "--odoo",
      "17.0",
      "--bundles",
      "crm_sales",
      "--app-repo",
      app,
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { submodules: string[]; steps: { step: string }[] };
    expect(out.steps.map((s) => s.step)).toEqual(["render template", "validate", "write", "app repo"]);
    expect(out.submodules).toEqual([
      "git submodule add -b 17.0 https://github.com/OCA/crm.git oca/crm",
      "git submodule add -b 17.0 https://github.com/OCA/sale-workflow.git oca/sale-workflow",
    ]);
    const deps = readFileSync(join(app, "oca_dependencies.txt"), "utf8");
    expect(deps.split("\n").filter((l) => l !== "" && !l.startsWith("#"))).toEqual([
      "crm https://github.com/OCA/crm.git 17.0",
      "sale-workflow https://github.com/OCA/sale-workflow.git 17.0",
    ]);
    const modules = readFileSync(join(app, ".gitmodules"), "utf8");
    expect([...modules.matchAll(/branch = (\S+)/g)].map((m) => m[1])).toEqual(["17.0", "17.0"]);
    expect(modules).toContain('[submodule "oca/sale-workflow"]');
  });

  it("never overwrites a tenant, and writes nothing when the result would clash with another project", async () => {
    const again = await create("acme-erp");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("projects/acme-erp.yaml already exists");
    // acme-erp already serves erp.acme.example: the cross-project rule refuses it before anything is written.
    const clash = await create("acme-two", "--domains", "erp.acme.example");
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/acme-two\.yaml:\d+:\d+ domains/);
    expect(existsSync(join(root, "projects", "acme-two.yaml"))).toBe(false);
  });

  it("refuses an unknown bundle or a tenant without a release manager in one line", async () => {
    const bundle = await create("tbwa-crm", "--bundles", "crm_sale");
    expect(bundle.code).toBe(2);
    expect(bundle.stderr.split("\n")[0]).toMatch(/^odooops: bundles\.0: /);
    const nobody = await runCli(
      "tenant",
      "create",
      "x1",
      "--root",
      root,
      "--repo",
      "a/b",
      "--image",
      IMAGE,
      "--release-managers",
      "",
    );
    expect(nobody.code).toBe(2);
    expect(existsSync(join(root, "projects", "x1.yaml"))).toBe(false);
  });
});
