import type { EnvironmentCost, ProjectCost } from "../../../../model/plan/cost.ts";
import type { PlanReport, StackReport } from "../report.ts";

/** Cost figures for the renderers, looked up by stack, project and environment. */
export function usd(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

export function projectCostOf(stack: StackReport, project: string): ProjectCost | undefined {
  return stack.costs.projects.find((p) => p.project === project);
}

export function environmentCostOf(
  stack: StackReport,
  project: string,
  environment: string | undefined,
): EnvironmentCost | undefined {
  return projectCostOf(stack, project)?.environments.find((e) => e.environment === environment);
}

/** Monthly total over every planned stack. */
export function totalMonthlyUsd(report: PlanReport): number {
  return Math.round(report.stacks.reduce((n, s) => n + s.costs.monthlyUsd, 0) * 100) / 100;
}

/** One line saying what a project costs, against its budget when it has one. */
export function projectCostSummary(cost: ProjectCost): string {
  const budget = cost.budgetUsd === undefined ? "" : ` (budget ${usd(cost.budgetUsd)} across stacks)`;
  return `${usd(cost.monthlyUsd)}/month${budget}`;
}

/** Lines about the project as a whole: shared resources and the next preview's price. */
export function projectCostDetails(cost: ProjectCost): string[] {
  const lines = cost.shared.map((l) => `shared: ${l.item} ${usd(l.monthlyUsd)}/month`);
  if (cost.marginalDevPreview)
    lines.push(
      `one more dev preview: +${usd(cost.marginalDevPreview.monthlyUsd)}/month (${cost.marginalDevPreview.basis})`,
    );
  return lines;
}
