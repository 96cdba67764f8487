import type { PlanReport, Violation } from "../report.ts";
import { totalMonthlyUsd, usd } from "./costs.ts";
import type { Section } from "./fit.ts";
import { groupStack, resourceName, stackViolations } from "./group.ts";

/** Examples shown per advisory policy; the rest are counted. */
const ADVISORY_EXAMPLES = 3;

/** Table cells hold one line and no pipes. */
export function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function scopeOf(v: Violation): string {
  return [v.stack, v.project, v.environment].filter(Boolean).join(" / ");
}

function violationRow(v: Violation): string[] {
  const resource = v.resource === v.stack ? "" : `<br>\`${cell(resourceName(v.resource))}\``;
  const where = v.where ? `<br>\`${cell(v.where)}\`` : "";
  return [
    `| \`${v.policy}\` | ${cell(scopeOf(v))}${resource}${where} | ${cell(v.message)} | ${cell(v.fix ?? "")} |`,
  ];
}

/** Every violation of the report, per project then stack-wide, in report order. */
export function allViolations(report: PlanReport): Violation[] {
  return [
    ...report.stacks.flatMap(groupStack).flatMap((g) => g.violations),
    ...report.stacks.flatMap(stackViolations),
  ];
}

/** Mandatory violations, one table row each: these block the merge, so every one is listed. */
export function mandatorySection(violations: readonly Violation[]): Section[] {
  const mandatory = violations.filter((v) => v.level === "mandatory");
  if (mandatory.length === 0) return [];
  return [
    {
      head: [
        "",
        `### ❌ Mandatory violations (${mandatory.length})`,
        "",
        "| policy | where | what is wrong | how to fix |",
        "|---|---|---|---|",
      ],
      parts: mandatory.map(violationRow),
      unit: "mandatory violations",
    },
  ];
}

/** Advisories grouped by policy: a count, the projects touched and a few examples each. */
export function advisorySection(violations: readonly Violation[]): Section[] {
  const byPolicy = new Map<string, Violation[]>();
  for (const v of violations)
    if (v.level !== "mandatory") byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  if (byPolicy.size === 0) return [];
  const total = [...byPolicy.values()].reduce((n, list) => n + list.length, 0);
  return [
    {
      head: [
        "",
        `### ⚠️ Advisories (${total}, ${byPolicy.size} ${byPolicy.size === 1 ? "policy" : "policies"})`,
        "",
      ],
      parts: [...byPolicy].map(([policy, list]) => {
        const projects = new Set(list.map((v) => `${v.stack}/${v.project ?? ""}`)).size;
        const more = list.length - ADVISORY_EXAMPLES;
        return [
          `<details><summary><code>${policy}</code> — ${list.length} in ${projects} project(s)</summary>`,
          "",
          ...list
            .slice(0, ADVISORY_EXAMPLES)
            .map((v) => `- ${cell(scopeOf(v))}: ${cell(v.message)}${v.fix ? ` _Fix:_ ${cell(v.fix)}` : ""}`),
          ...(more > 0 ? [`- … and ${more} more`] : []),
          "",
          "</details>",
          "",
        ];
      }),
      unit: "advisory policies",
    },
  ];
}

/** Per stack and project: each environment's monthly cost, shared items, the next preview's price. */
export function costSection(report: PlanReport): Section[] {
  const asOf = report.stacks[0]?.costs.asOf ?? "n/a";
  const perStack = report.stacks.map((s) => `${s.stack}: ${usd(s.costs.monthlyUsd)}`).join(", ");
  const shared = report.stacks.flatMap((s) =>
    s.costs.shared.map((item) => `- ${s.stack}: ${item.item} ${usd(item.monthlyUsd)}`),
  );
  const itemList = (items: readonly { item: string; monthlyUsd: number }[]) =>
    items.map((l) => `${cell(l.item)} ${usd(l.monthlyUsd)}`).join("<br>");
  return [
    {
      head: [
        "",
        `### Estimated monthly cost — ${usd(totalMonthlyUsd(report))}`,
        "",
        `DigitalOcean list prices as of ${asOf}. ${perStack}.`,
        "",
        ...shared,
        ...(shared.length > 0 ? [""] : []),
      ],
      parts: report.stacks.flatMap((stack) =>
        stack.costs.projects.map((p) => {
          const next = p.marginalDevPreview
            ? ` · one more dev preview +${usd(p.marginalDevPreview.monthlyUsd)}`
            : "";
          const sharedUsd = p.shared.reduce((n, l) => n + l.monthlyUsd, 0);
          return [
            `<details><summary>${stack.stack} / ${p.project} — ${usd(p.monthlyUsd)}${next}</summary>`,
            "",
            "| environment | stage | monthly | items |",
            "|---|---|---|---|",
            ...p.environments.map(
              (e) => `| ${e.environment} | ${e.stage} | ${usd(e.monthlyUsd)} | ${itemList(e.lines)} |`,
            ),
            ...(p.shared.length > 0 ? [`| (shared) | | ${usd(sharedUsd)} | ${itemList(p.shared)} |`] : []),
            ...(p.marginalDevPreview ? ["", `One more dev preview: ${p.marginalDevPreview.basis}.`] : []),
            "",
            "</details>",
            "",
          ];
        }),
      ),
      unit: "projects' costs",
    },
  ];
}

/** Every resource, folded per project and environment. */
export function resourceSection(report: PlanReport): Section[] {
  return [
    {
      head: ["", "### Resources", ""],
      parts: report.stacks
        .flatMap(groupStack)
        .map((g) => [
          `<details><summary>${g.stack} / ${g.project}</summary>`,
          "",
          ...g.environments.flatMap((env) => [
            `**${env.environment ? `${env.environment} (${env.stage})` : "project-wide"}**`,
            "",
            ...env.resources.map((r) => `- \`${r.type}\` ${r.name}${r.protect ? " (protected)" : ""}`),
            "",
          ]),
          "</details>",
          "",
        ]),
      unit: "projects' resources",
    },
  ];
}
