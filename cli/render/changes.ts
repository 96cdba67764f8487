import type { PlanChanges, ResourceChange } from "../plan/diff.ts";
import type { PlanReport, Violation } from "../plan/report.ts";
import { usd } from "./costs.ts";

const scopeOf = (x: { stack: string; project?: string | undefined; environment?: string | undefined }) =>
  [x.stack, x.project, x.environment].filter(Boolean).join("/");

/** One resource change: sign, type, name, scope, changed inputs, what forces a replacement, what follows. */
export function resourceLine(sign: string, r: ResourceChange): string {
  const fields = r.fields && r.fields.length > 0 ? ` (${r.fields.join(", ")})` : "";
  const forced =
    r.forcedBy && r.forcedBy.length > 0 ? ` replaced because ${r.forcedBy.join(", ")} changed` : "";
  const then = r.consequences && r.consequences.length > 0 ? ` → ${r.consequences.join("; ")}` : "";
  return `${sign} ${r.type}  ${r.name}  [${scopeOf(r)}]${fields}${forced}${then}`;
}

export function violationChangeLine(sign: string, v: Violation): string {
  return `${sign} ${v.level} ${v.policy} [${scopeOf(v)}]: ${v.message}`;
}

/** "N to add, …": the change in one line. */
export function changeSummary(c: PlanChanges): string {
  return `${c.added.length} to add, ${c.changed.length} to change, ${c.replaced.length} to replace, ${c.removed.length} to remove; ${c.newViolations.length} new and ${c.resolvedViolations.length} resolved policy violations`;
}

/** What the change does against the base commit, as plain lines. */
export function changeLines(report: PlanReport): string[] {
  if (report.baseProblem) return [`changes against ${report.baseProblem}`];
  const c = report.changes;
  if (!c) return [];
  return [
    `changes against ${c.base}: ${changeSummary(c)}`,
    ...c.costs.map((k) => `  $ ${k.stack}/${k.project}: ${usd(k.beforeUsd)} → ${usd(k.afterUsd)} per month`),
    ...c.added.map((r) => `  ${resourceLine("+", r)}`),
    ...c.changed.map((r) => `  ${resourceLine("~", r)}`),
    ...c.replaced.map((r) => `  ${resourceLine("+-", r)}`),
    ...c.removed.map((r) => `  ${resourceLine("-", r)}`),
    ...c.newViolations.map((v) => `  ${violationChangeLine("! new", v)}`),
    ...c.resolvedViolations.map((v) => `  ${violationChangeLine("✓ resolved", v)}`),
  ];
}
