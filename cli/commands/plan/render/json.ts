import type { PlanReport } from "../report.ts";
import { totalMonthlyUsd } from "./costs.ts";

/**
 * Machine-readable plan: `resources` and `violations` at the top (absent attributions are null, so
 * every field is always present), plus the per-stack breakdown.
 */
export function renderJson(report: PlanReport): string {
  const resources = report.resources.map((r) => ({
    ...r,
    parent: r.parent ?? null,
    project: r.project ?? null,
    environment: r.environment ?? null,
    stage: r.stage ?? null,
  }));
  const violations = report.violations.map((v) => ({
    ...v,
    project: v.project ?? null,
    environment: v.environment ?? null,
  }));
  const stacks = report.stacks.map((s) => ({
    stack: s.stack,
    stages: s.stages,
    resources: s.resources.length,
    violations: s.violations.length,
    monthlyUsd: s.costs.monthlyUsd,
  }));
  const costs = {
    asOf: report.stacks[0]?.costs.asOf ?? null,
    currency: "USD",
    monthlyUsd: totalMonthlyUsd(report),
    stacks: report.stacks.map((s) => ({ stack: s.stack, ...s.costs })),
  };
  const base = report.changes ?? (report.baseProblem ? { problem: report.baseProblem } : undefined);
  return JSON.stringify(
    {
      resources,
      violations,
      stacks,
      costs,
      ...(base ? { changes: base } : {}),
      ...(report.scope ? { scope: report.scope } : {}),
    },
    null,
    2,
  );
}
