import type { PlanReport } from "../plan/report.ts";
import { counts, describeViolation, groupStack, stackViolations } from "./group.ts";

export function renderText(report: PlanReport): string {
  const lines: string[] = [];
  for (const stack of report.stacks) {
    lines.push(`stack ${stack.stack} (${stack.stages.join(", ")})`);
    for (const project of groupStack(stack)) {
      lines.push(`  project ${project.project}`);
      for (const v of project.violations) lines.push(`    ! ${describeViolation(v)}`);
      for (const env of project.environments) {
        const title = env.environment ? `environment ${env.environment} (${env.stage})` : "project-wide";
        lines.push(`    ${title}: ${env.resources.length} resources`);
        for (const r of env.resources)
          lines.push(`      ${r.protect ? "[protected] " : ""}${r.type}  ${r.name}`);
      }
    }
    for (const v of stackViolations(stack)) lines.push(`  ! ${describeViolation(v)}`);
  }
  const c = counts(report);
  lines.push(
    `${c.resources} resources; ${c.mandatory} mandatory and ${c.advisory} advisory policy violations`,
  );
  return lines.join("\n");
}
