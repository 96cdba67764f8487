import type { PlanReport } from "../plan/report.ts";

/** Machine-readable plan: `resources` and `violations` at the top, plus the per-stack breakdown. */
export function renderJson(report: PlanReport): string {
  return JSON.stringify(
    {
      resources: report.resources,
      violations: report.violations,
      stacks: report.stacks.map((s) => ({
        stack: s.stack,
        stages: s.stages,
        resources: s.resources.length,
        violations: s.violations.length,
      })),
    },
    null,
    2,
  );
}
