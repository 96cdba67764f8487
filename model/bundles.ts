/**
 * Module presets ("EE parity" bundles, seed 003): Odoo CE modules plus vetted OCA modules only.
 * A project lists bundle names; the Odoo image must contain the modules (the app repo's concern),
 * and the first build installs them.
 */
export const BUNDLES = {
  finance_ppm: {
    description: "Accounting, budgets and project portfolio reporting",
    modules: ["account", "analytic", "project", "account_budget_oca", "mis_builder", "project_timeline"],
  },
  hr_timesheets: {
    description: "Employees, leave and timesheets",
    modules: ["hr", "hr_holidays", "hr_timesheet", "hr_timesheet_sheet", "hr_employee_firstname"],
  },
  crm_sales: {
    description: "CRM pipeline, quotations and sales orders",
    modules: ["crm", "sale_management", "sale_crm", "crm_stage_probability", "sale_order_type"],
  },
  inventory: {
    description: "Stock, purchase and delivery",
    modules: ["stock", "purchase", "delivery", "stock_available_unreserved"],
  },
} as const;

export type BundleName = keyof typeof BUNDLES;
export const BUNDLE_NAMES = Object.keys(BUNDLES) as [BundleName, ...BundleName[]];
