/**
 * The OCA repository each OCA module of the bundles (model/bundles.ts) lives in: where the upgrade
 * advisor looks for its port to the target version (scripts/read-oca-ports.ts reads the branches).
 */
export const OCA_MODULE_REPOS: Readonly<Record<string, string>> = {
  account_budget_oca: "account-budgeting",
  mis_builder: "mis-builder",
  project_timeline: "project",
  hr_timesheet_sheet: "timesheet",
  hr_employee_firstname: "hr",
  crm_stage_probability: "crm",
  sale_order_type: "sale-workflow",
  stock_available_unreserved: "stock-logistics-warehouse",
};
