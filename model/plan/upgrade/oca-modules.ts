/**
 * The OCA repository each OCA module of the bundles (model/bundles.ts) lives in, and the repository of
 * each OCA module they depend on: where scripts/read-oca-ports.ts reads each Odoo version's branch, for
 * the upgrade advisor (is there a port to the target?) and for the bundles (model/plan/bundle-modules.ts:
 * can the project's version install them, and which repositories must the app repository carry?).
 * stock_available_unreserved moved from stock-logistics-warehouse to stock-logistics-availability in
 * 16.0, the oldest version a project may run.
 */
export const OCA_MODULE_REPOS: Readonly<Record<string, string>> = {
  account_budget_oca: "account-budgeting",
  mis_builder: "mis-builder",
  project_timeline: "project",
  hr_timesheet_sheet: "timesheet",
  hr_employee_firstname: "hr",
  crm_stage_probability: "crm",
  sale_order_type: "sale-workflow",
  stock_available_unreserved: "stock-logistics-availability",
  // Dependencies of the modules above (their manifests' `depends`).
  report_xlsx: "reporting-engine",
  date_range: "server-ux",
  web_timeline: "web",
  web_widget_x2many_2d_matrix: "web",
};

/**
 * Odoo CE modules the bundles and their OCA modules' manifests name. They come with the Odoo image, so
 * nothing is read for them: odoo/odoo is too large a repository to mirror here. The script refuses a
 * manifest dependency that is in neither list, so an unread OCA dependency cannot pass for an Odoo one.
 */
export const ODOO_CE_MODULES: ReadonlySet<string> = new Set([
  "base",
  "web",
  "board",
  "account",
  "analytic",
  "project",
  "hr",
  "hr_holidays",
  "hr_timesheet",
  "sale_timesheet",
  "crm",
  "sale_management",
  "sale_crm",
  "sale_stock",
  "stock",
  "purchase",
  "delivery",
]);
