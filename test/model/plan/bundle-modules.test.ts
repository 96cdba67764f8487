import { describe, expect, it } from "vitest";
import { BUNDLE_NAMES, BUNDLES } from "../../../model/bundles.ts";
import {
  bundleOcaModules,
  gitmodules,
  ocaDependenciesTxt,
  portDataJudges,
  resolveBundles,
} from "../../../model/plan/bundle-modules.ts";
import { OCA_MODULE_REPOS, ODOO_CE_MODULES } from "../../../model/plan/upgrade/oca-modules.ts";
import { OCA_PORTS, type OcaPorts } from "../../../model/plan/upgrade/ports.ts";

const COMMIT = "a".repeat(40);
const port = (version: string, depends: string[], ported = true) => ({
  branch: true as const,
  commit: COMMIT,
  committed: "2024-10-01T00:00:00Z",
  manifestVersion: `${version}.1.0.0`,
  ported,
  depends,
});

/** mis_builder ported to 18.0 while its dependency report_xlsx is not: the dependency is what fails. */
const PORTS: OcaPorts = {
  readAt: "2026-12-05T00:00:00Z",
  source: "test",
  repos: {
    "OCA/mis-builder": { newestCommit: "2026-03-01T00:00:00Z" },
    "OCA/reporting-engine": { newestCommit: "2026-02-01T00:00:00Z" },
  },
  modules: {
    mis_builder: { repo: "OCA/mis-builder", branches: { "18.0": port("18.0", ["account", "report_xlsx"]) } },
    report_xlsx: { repo: "OCA/reporting-engine", branches: { "18.0": port("18.0", ["web"], false) } },
  },
};

describe("bundle resolution", () => {
  it("follows an OCA module's manifest to the OCA modules it depends on, naming who needs them", () => {
    expect(bundleOcaModules("finance_ppm", "18.0", PORTS)).toEqual([
      {
        bundle: "finance_ppm",
        module: "mis_builder",
        repo: "OCA/mis-builder",
        available: true,
        detail: "OCA/mis-builder@18.0 (18.0.1.0.0)",
        asOf: "2026-03-01",
        judged: true,
      },
      {
        bundle: "finance_ppm",
        module: "report_xlsx",
        repo: "OCA/reporting-engine",
        neededBy: "mis_builder",
        available: false,
        detail: "OCA/reporting-engine@18.0 holds it as 18.0.1.0.0, not migrated to 18.0",
        asOf: "2026-02-01",
        judged: true,
      },
    ]);
    expect(resolveBundles(["finance_ppm"], "18.0", PORTS).repos).toEqual(["OCA/mis-builder"]);
    expect(() => ocaDependenciesTxt(["finance_ppm"], "18.0", PORTS)).toThrow(/report_xlsx/);
  });

  it("calls a port missing only when the data is a year past the version's release; before, unverified", () => {
    expect(portDataJudges("18.0", "2025-10-01")).toBe(false);
    expect(portDataJudges("18.0", "2025-10-02")).toBe(true);
    const young: OcaPorts = {
      ...PORTS,
      repos: { ...PORTS.repos, "OCA/reporting-engine": { newestCommit: "2025-02-01T00:00:00Z" } },
    };
    const r = resolveBundles(["finance_ppm"], "18.0", young);
    expect(r.missing).toEqual([]);
    expect(r.unverified.map((m) => m.module)).toEqual(["report_xlsx"]);
    // The app repository still gets the repository, with a line saying what could not be confirmed.
    expect(r.repos).toEqual(["OCA/mis-builder", "OCA/reporting-engine"]);
    expect(ocaDependenciesTxt(["finance_ppm"], "18.0", young)).toContain(
      "# NOT VERIFIED for 18.0: report_xlsx (OCA/reporting-engine@18.0 holds it as 18.0.1.0.0, not migrated to 18.0 in a mirror of 2025-02-01)",
    );
  });

  it("classifies every bundle module and every dependency the OCA manifests name as read OCA or Odoo CE", () => {
    const named = [
      ...BUNDLE_NAMES.flatMap((b) => BUNDLES[b].modules),
      ...Object.values(OCA_PORTS.modules).flatMap((m) =>
        Object.values(m.branches).flatMap((b) => (b.branch ? b.depends : [])),
      ),
    ];
    const unknown = named.filter((m) => !(m in OCA_PORTS.modules) && !ODOO_CE_MODULES.has(m));
    expect(unknown).toEqual([]);
    for (const [module, repo] of Object.entries(OCA_MODULE_REPOS))
      expect(OCA_PORTS.modules[module]?.repo).toBe(`OCA/${repo}`);
  });

  it("writes oca_dependencies.txt and .gitmodules with each repository once, on the version's branch", () => {
    const bundles = ["finance_ppm", "hr_timesheets", "crm_sales"] as const;
    const txt = ocaDependenciesTxt(bundles, "16.0");
    const repos = txt.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(repos).toEqual(
      [
        "account-budgeting",
        "crm",
        "hr",
        "mis-builder",
        "project",
        "reporting-engine",
        "sale-workflow",
        "server-ux",
        "timesheet",
        "web",
      ].map((r) => `${r} https://github.com/OCA/${r}.git 16.0`),
    );
    expect(txt).toContain("# web_timeline, web_widget_x2many_2d_matrix\nweb ");
    const modules = gitmodules(bundles, "16.0");
    expect(modules.match(/^\[submodule "oca\/[\w-]+"\]$/gm)).toHaveLength(10);
    expect(modules).toContain(
      '[submodule "oca/web"]\n\tpath = oca/web\n\turl = https://github.com/OCA/web.git\n\tbranch = 16.0\n',
    );
  });
});
