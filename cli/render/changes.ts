import type { PlanChanges, ResourceChange } from "../plan/diff.ts";
import type { PlanReport } from "../plan/report.ts";
import { usd } from "./costs.ts";

function scope(r: ResourceChange): string {
  return [r.stack, r.project, r.environment].filter(Boolean).join("/");
}

function line(sign: string, r: ResourceChange): string {
  const fields = r.fields ? ` (${r.fields.join(", ")})` : "";
  return `${sign} ${r.type}  ${r.name}  [${scope(r)}]${fields}`;
}

function summary(c: PlanChanges): string {
  return `${c.added.length} to add, ${c.changed.length} to change, ${c.removed.length} to remove; ${c.newViolations.length} new and ${c.resolvedViolations.length} resolved policy violations`;
}

/** What the change does against the base commit, as plain lines (also used inside the markdown). */
export function changeLines(report: PlanReport): string[] {
  if (report.baseProblem) return [`changes against ${report.baseProblem}`];
  const c = report.changes;
  if (!c) return [];
  return [
    `changes against ${c.base}: ${summary(c)}`,
    ...c.costs.map((k) => `  $ ${k.stack}/${k.project}: ${usd(k.beforeUsd)} → ${usd(k.afterUsd)} per month`),
    ...c.added.map((r) => `  ${line("+", r)}`),
    ...c.changed.map((r) => `  ${line("~", r)}`),
    ...c.removed.map((r) => `  ${line("-", r)}`),
    ...c.newViolations.map(
      (v) =>
        `  ! new ${v.level} ${v.policy} [${[v.stack, v.project, v.environment].filter(Boolean).join("/")}]`,
    ),
    ...c.resolvedViolations.map(
      (v) => `  ✓ resolved ${v.policy} [${[v.stack, v.project, v.environment].filter(Boolean).join("/")}]`,
    ),
  ];
}

export function changeMarkdown(report: PlanReport): string[] {
  const lines = changeLines(report);
  if (lines.length === 0) return [];
  const [title, ...rest] = lines;
  return [
    "",
    `### ${title}`,
    "",
    ...(rest.length > 0 ? ["```diff", ...rest.map((l) => l.trimStart()), "```"] : []),
  ];
}
