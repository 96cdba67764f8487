import { describe, expect, it } from "vitest";
import { runCli } from "../../../support/cli.ts";

const FIXTURES = "test/fixtures/oca";

describe("odooops oca check", () => {
  it("passes CE + OCA submodules + ipai_ modules, OCA imports included", async () => {
    const run = await runCli("oca", "check", `${FIXTURES}/clean`);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(`${FIXTURES}/clean: CE + OCA only, custom modules under ipai_`);
  });

  it("names every Enterprise licence, dependency, import and name, and every unprefixed module, by file:line:col", async () => {
    const run = await runCli("oca", "check", `${FIXTURES}/dirty`);
    expect(run.code).toBe(1);
    const d = `${FIXTURES}/dirty`;
    expect(run.stdout.trim().split("\n")).toEqual([
      `${d}/acme_sales/__manifest__.py:1:1 custom-prefix: custom module acme_sales must be named ipai_…; OCA modules belong in a git submodule`,
      `${d}/ipai_payroll/__manifest__.py:3:5 enterprise-license: ipai_payroll is licensed OEEL-1 (Odoo Enterprise/proprietary); only CE, OCA and your own LGPL/AGPL modules are allowed — remove it`,
      `${d}/ipai_payroll/__manifest__.py:4:23 enterprise-dependency: ipai_payroll depends on hr_payroll, an Odoo Enterprise module; use its CE/OCA counterpart`,
      `${d}/ipai_payroll/models/rules.py:3:6 enterprise-import: imports odoo.addons.hr_payroll, an Odoo Enterprise module; Enterprise code cannot be used`,
      `${d}/ipai_reports/__manifest__.py:1:21 enterprise-license: ipai_reports is licensed OPL-1 (Odoo Enterprise/proprietary); only CE, OCA and your own LGPL/AGPL modules are allowed — remove it`,
      `${d}/web_studio/__manifest__.py:1:1 enterprise-name: web_studio is the name of an Odoo Enterprise module; a copy of Enterprise code is not allowed`,
    ]);
  });

  it("takes a declared prefix, and refuses a malformed one in one line", async () => {
    const run = await runCli("oca", "check", `${FIXTURES}/clean`, "--prefix", "acme_", "--json");
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(run.stdout) as { findings: { path: string; rule: string }[] };
    expect(findings).toEqual([
      expect.objectContaining({ path: "ipai_finance_ppm/__manifest__.py", rule: "custom-prefix" }),
    ]);
    const bad = await runCli("oca", "check", `${FIXTURES}/clean`, "--prefix", "Acme");
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")[0]).toBe(
      'odooops: --prefix "Acme" must be lowercase letters/digits ending in _, e.g. ipai_',
    );
  });
});
