import type { PlanReport } from "../plan/report.ts";
import { counts, describeViolation, groupStack, stackViolations } from "./group.ts";

/** A PR comment: a summary table, violations first, resources folded away in <details>. */
export function renderMarkdown(report: PlanReport): string {
  const c = counts(report);
  const status = c.mandatory > 0 ? `❌ ${c.mandatory} mandatory violation(s)` : "✅ no mandatory violations";
  const lines = [
    `## odooops plan — ${status}`,
    "",
    "| stack | project | environments | resources | violations |",
    "|---|---|---|---|---|",
  ];
  const groups = report.stacks.flatMap(groupStack);
  for (const g of groups) {
    const envs = g.environments.filter((e) => e.environment).length;
    const resources = g.environments.reduce((n, e) => n + e.resources.length, 0);
    lines.push(`| ${g.stack} | ${g.project} | ${envs} | ${resources} | ${g.violations.length} |`);
  }
  const violations = [...groups.flatMap((g) => g.violations), ...report.stacks.flatMap(stackViolations)];
  if (violations.length > 0) {
    lines.push("", "### Policy violations", "");
    for (const v of violations) lines.push(`- ${describeViolation(v)}`);
  }
  lines.push("", "### Resources", "");
  for (const g of groups) {
    lines.push(`<details><summary>${g.stack} / ${g.project}</summary>`, "");
    for (const env of g.environments) {
      lines.push(`**${env.environment ? `${env.environment} (${env.stage})` : "project-wide"}**`, "");
      for (const r of env.resources)
        lines.push(`- \`${r.type}\` ${r.name}${r.protect ? " (protected)" : ""}`);
      lines.push("");
    }
    lines.push("</details>", "");
  }
  lines.push(`${c.resources} resources, ${c.mandatory} mandatory / ${c.advisory} advisory violations.`);
  return lines.join("\n");
}
