import type { PlanReport } from "../report.ts";
import { changeLines, scopeLines } from "./changes.ts";
import {
  environmentCostOf,
  projectCostDetails,
  projectCostOf,
  projectCostSummary,
  totalMonthlyUsd,
  usd,
} from "./costs.ts";
import { bySeverity, counts, groupStack, stackViolations, violationLines } from "./group.ts";

export function renderText(report: PlanReport): string {
  const lines: string[] = [];
  for (const stack of report.stacks) {
    lines.push(`stack ${stack.stack} (${stack.stages.join(", ")}): ${usd(stack.costs.monthlyUsd)}/month`);
    for (const line of stack.costs.shared)
      lines.push(`  $ stack-wide: ${line.item} ${usd(line.monthlyUsd)}/month`);
    for (const project of groupStack(stack)) {
      const cost = projectCostOf(stack, project.project);
      lines.push(`  project ${project.project}${cost ? `: ${projectCostSummary(cost)}` : ""}`);
      if (cost) for (const line of projectCostDetails(cost)) lines.push(`    $ ${line}`);
      for (const v of bySeverity(project.violations))
        lines.push(...violationLines(v).map((line, i) => `    ${i === 0 ? "! " : "  "}${line}`));
      for (const env of project.environments) {
        const title = env.environment ? `environment ${env.environment} (${env.stage})` : "project-wide";
        const envCost = env.environment
          ? environmentCostOf(stack, project.project, env.environment)
          : undefined;
        const price = envCost ? `, ${usd(envCost.monthlyUsd)}/month` : "";
        lines.push(`    ${title}: ${env.resources.length} resources${price}`);
        for (const r of env.resources)
          lines.push(`      ${r.protect ? "[protected] " : ""}${r.type}  ${r.name}`);
      }
    }
    for (const v of bySeverity(stackViolations(stack)))
      lines.push(...violationLines(v).map((line, i) => `  ${i === 0 ? "! " : "  "}${line}`));
  }
  lines.push(...scopeLines(report), ...changeLines(report));
  const c = counts(report);
  lines.push(
    `${c.resources} resources; ${usd(totalMonthlyUsd(report))}/month estimated (prices as of ${report.stacks[0]?.costs.asOf ?? "n/a"}); ${c.mandatory} mandatory and ${c.advisory} advisory policy violations`,
  );
  return lines.join("\n");
}
