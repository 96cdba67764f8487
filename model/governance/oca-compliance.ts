/**
 * OCA compliance of an app repository (seed 003: "no Enterprise modules, no EE code in repo"; "all
 * custom code lives under ipai_*"). Pure: it judges file paths and texts handed to it.
 *
 * Enterprise is recognised three ways: a manifest whose licence is Odoo's proprietary one (OEEL-1,
 * OPL-1), a module that depends on or imports an Enterprise module, and a module named like one.
 */

/** Licences of Odoo's proprietary modules (Enterprise and Odoo Apps' proprietary licence). */
export const PROPRIETARY_LICENSES = ["OEEL-1", "OPL-1"] as const;

/**
 * Modules that exist only in Odoo Enterprise (odoo/enterprise, 16.0–19.0). Not exhaustive: the licence
 * and the rule that custom modules carry the project's prefix catch copies under other names.
 */
export const ENTERPRISE_MODULES: ReadonlySet<string> = new Set([
  "web_enterprise",
  "web_studio",
  "web_gantt",
  "web_grid",
  "web_cohort",
  "web_map",
  "web_dashboard",
  "account_accountant",
  "account_reports",
  "account_asset",
  "account_budget",
  "account_consolidation",
  "account_followup",
  "account_invoice_extract",
  "account_online_synchronization",
  "account_sepa",
  "hr_payroll",
  "hr_appraisal",
  "hr_referral",
  "hr_expense_extract",
  "timesheet_grid",
  "planning",
  "helpdesk",
  "industry_fsm",
  "project_forecast",
  "documents",
  "sign",
  "approvals",
  "knowledge",
  "quality",
  "quality_control",
  "mrp_plm",
  "mrp_workorder",
  "mrp_maintenance",
  "stock_barcode",
  "sale_subscription",
  "sale_amazon",
  "marketing_automation",
  "social",
  "voip",
  "appointment",
  "website_studio",
  "data_cleaning",
  "spreadsheet_edition",
  "ai",
  "iot",
]);

export interface SourceFile {
  /** Path relative to the repository root, with `/`. */
  path: string;
  text: string;
}

export interface ComplianceFinding {
  path: string;
  line: number;
  col: number;
  rule:
    | "enterprise-license"
    | "enterprise-dependency"
    | "enterprise-import"
    | "enterprise-name"
    | "custom-prefix";
  message: string;
}

const MANIFEST = /(^|\/)__(manifest|openerp)__\.py$/;

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

/** The string list under a manifest key, with the offset of each entry (manifests are Python literals). */
function manifestList(text: string, key: string): { value: string; offset: number }[] {
  const match = new RegExp(`["']${key}["']\\s*:\\s*\\[([^\\]]*)\\]`).exec(text);
  if (!match) return [];
  const start = match.index + match[0].indexOf("[") + 1;
  return [...match[1]!.matchAll(/["']([^"']+)["']/g)].map((m) => ({ value: m[1]!, offset: start + m.index }));
}

function manifestString(text: string, key: string): { value: string; offset: number } | undefined {
  const match = new RegExp(`["']${key}["']\\s*:\\s*["']([^"']*)["']`).exec(text);
  return match ? { value: match[1]!, offset: match.index } : undefined;
}

export interface ComplianceOptions {
  /** Custom modules' prefix, `ipai_` by default. */
  prefix: string;
  /** Directories of third-party code (the repository's git submodules: OCA): exempt from the prefix. */
  vendored: readonly string[];
}

const inside = (path: string, dirs: readonly string[]) =>
  dirs.some((d) => path === d || path.startsWith(`${d}/`));

/** Every finding, in file order; none means the repository is CE + OCA + prefixed custom modules. */
export function checkCompliance(
  files: readonly SourceFile[],
  options: ComplianceOptions,
): ComplianceFinding[] {
  const findings: ComplianceFinding[] = [];
  const at = (file: SourceFile, offset: number) => ({ path: file.path, ...position(file.text, offset) });
  for (const file of files) {
    if (MANIFEST.test(file.path)) {
      const moduleDir = file.path.replace(MANIFEST, "");
      const module = moduleDir.split("/").at(-1) ?? "";
      const license = manifestString(file.text, "license");
      if (license && (PROPRIETARY_LICENSES as readonly string[]).includes(license.value))
        findings.push({
          ...at(file, license.offset),
          rule: "enterprise-license",
          message: `${module} is licensed ${license.value} (Odoo Enterprise/proprietary); only CE, OCA and your own LGPL/AGPL modules are allowed — remove it`,
        });
      for (const dep of manifestList(file.text, "depends"))
        if (ENTERPRISE_MODULES.has(dep.value))
          findings.push({
            ...at(file, dep.offset),
            rule: "enterprise-dependency",
            message: `${module} depends on ${dep.value}, an Odoo Enterprise module; use its CE/OCA counterpart`,
          });
      if (ENTERPRISE_MODULES.has(module))
        findings.push({
          ...at(file, 0),
          rule: "enterprise-name",
          message: `${module} is the name of an Odoo Enterprise module; a copy of Enterprise code is not allowed`,
        });
      else if (!inside(moduleDir, options.vendored) && !module.startsWith(options.prefix))
        findings.push({
          ...at(file, 0),
          rule: "custom-prefix",
          message: `custom module ${module} must be named ${options.prefix}…; OCA modules belong in a git submodule`,
        });
    } else if (file.path.endsWith(".py")) {
      for (const m of file.text.matchAll(/^\s*(?:from|import)\s+odoo\.addons\.([a-z0-9_]+)/gm))
        if (ENTERPRISE_MODULES.has(m[1]!))
          findings.push({
            ...at(file, m.index + m[0].indexOf("odoo.addons")),
            rule: "enterprise-import",
            message: `imports odoo.addons.${m[1]}, an Odoo Enterprise module; Enterprise code cannot be used`,
          });
    }
  }
  return findings;
}

/** Submodule paths of a `.gitmodules` file: the repository's vendored (OCA) code. */
export function gitmodulePaths(text: string): string[] {
  return [...text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)].map((m) => m[1]!.replace(/\/+$/, ""));
}
