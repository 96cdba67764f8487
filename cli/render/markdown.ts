import type { PlanReport, Violation } from "../plan/report.ts";
import { changeMarkdown } from "./changes.ts";
import { projectCostOf, totalMonthlyUsd, usd } from "./costs.ts";
import { bySeverity, counts, groupStack, resourceName, stackViolations } from "./group.ts";

/** A PR comment: a summary table, violations first, resources folded away in <details>. */
export function renderMarkdown(report: PlanReport): string {
  const c = counts(report);
  const status = c.mandatory > 0 ? `❌ ${c.mandatory} mandatory violation(s)` : "✅ no mandatory violations";
  const lines = [
    `## odooops plan — ${status}`,
    "",
    "| stack | project | environments | resources | monthly cost | violations |",
    "|---|---|---|---|---|---|",
  ];
  const groups = report.stacks.flatMap(groupStack);
  for (const g of groups) {
    const envs = g.environments.filter((e) => e.environment).length;
    const resources = g.environments.reduce((n, e) => n + e.resources.length, 0);
    const stack = report.stacks.find((s) => s.stack === g.stack);
    const cost = stack && projectCostOf(stack, g.project);
    const price = cost ? usd(cost.monthlyUsd) : "";
    lines.push(`| ${g.stack} | ${g.project} | ${envs} | ${resources} | ${price} | ${g.violations.length} |`);
  }
  const violations = bySeverity([
    ...groups.flatMap((g) => g.violations),
    ...report.stacks.flatMap(stackViolations),
  ]);
  if (violations.length > 0) {
    lines.push(
      "",
      "### Policy violations",
      "",
      "| | policy | where | what is wrong | how to fix |",
      "|---|---|---|---|---|",
    );
    for (const v of violations) lines.push(violationRow(v));
  }
  lines.push(...changeMarkdown(report));
  lines.push(...costSection(report));
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

/** Table cells hold one line and no pipes. */
function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function violationRow(v: Violation): string {
  const level = v.level === "mandatory" ? "❌ mandatory" : "⚠️ advisory";
  const scope = [v.stack, v.project, v.environment].filter(Boolean).join(" / ");
  const resource = v.resource === v.stack ? "" : `<br>\`${cell(resourceName(v.resource))}\``;
  const where = v.where ? `<br>\`${cell(v.where)}\`` : "";
  return `| ${level} | \`${v.policy}\` | ${cell(scope)}${resource}${where} | ${cell(v.message)} | ${cell(v.fix ?? "")} |`;
}

/** Per stack and project: each environment's monthly cost, shared items, the next preview's price. */
function costSection(report: PlanReport): string[] {
  const asOf = report.stacks[0]?.costs.asOf ?? "n/a";
  const lines = [
    "",
    `### Estimated monthly cost — ${usd(totalMonthlyUsd(report))}`,
    "",
    `DigitalOcean list prices as of ${asOf}. ${report.stacks.map((s) => `${s.stack}: ${usd(s.costs.monthlyUsd)}`).join(", ")}.`,
    "",
  ];
  for (const stack of report.stacks) {
    for (const item of stack.costs.shared)
      lines.push(`- ${stack.stack}: ${item.item} ${usd(item.monthlyUsd)}`, "");
    for (const p of stack.costs.projects) {
      const next = p.marginalDevPreview
        ? ` · one more dev preview +${usd(p.marginalDevPreview.monthlyUsd)}`
        : "";
      lines.push(
        `<details><summary>${stack.stack} / ${p.project} — ${usd(p.monthlyUsd)}${next}</summary>`,
        "",
      );
      lines.push("| environment | stage | monthly | items |", "|---|---|---|---|");
      for (const e of p.environments)
        lines.push(`| ${e.environment} | ${e.stage} | ${usd(e.monthlyUsd)} | ${itemList(e.lines)} |`);
      if (p.shared.length > 0)
        lines.push(
          `| (shared) | | ${usd(p.shared.reduce((n, l) => n + l.monthlyUsd, 0))} | ${itemList(p.shared)} |`,
        );
      if (p.marginalDevPreview) lines.push("", `One more dev preview: ${p.marginalDevPreview.basis}.`);
      lines.push("", "</details>", "");
    }
  }
  return lines;
}

function itemList(items: readonly { item: string; monthlyUsd: number }[]): string {
  return items.map((l) => `${cell(l.item)} ${usd(l.monthlyUsd)}`).join("<br>");
}
