import type { PlanChanges, ResourceChange } from "../diff.ts";
import type { PlanReport, Violation } from "../report.ts";
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

/** Which projects an affected-only plan ran and which it skipped, and why; undefined without a scope. */
export function scopeSummary(
  report: PlanReport,
): { planned: string; skipped?: { why: string; projects: string } } | undefined {
  const scope = report.scope;
  if (!scope) return undefined;
  if (scope.all) return { planned: `planned every project: ${scope.all}` };
  const total = scope.planned.length + scope.skipped.length;
  const affected = scope.planned.map((p) => `${p.project} (${p.reason})`).join(", ") || "none";
  const planned = `planned ${scope.planned.length} of ${total} projects, those the change affects: ${affected}`;
  if (scope.skipped.length === 0) return { planned };
  const reasons = [...new Set(scope.skipped.map((s) => s.reason))].join("; ");
  return {
    planned,
    skipped: {
      why: `skipped ${scope.skipped.length} (${reasons})`,
      projects: scope.skipped.map((s) => s.project).join(", "),
    },
  };
}

export function scopeLines(report: PlanReport): string[] {
  const scope = scopeSummary(report);
  if (!scope) return [];
  return [scope.planned, ...(scope.skipped ? [`${scope.skipped.why}: ${scope.skipped.projects}`] : [])];
}
