import type { PlanChanges } from "../diff.ts";
import type { PlanReport, StackReport } from "../report.ts";
import { scopeSummary } from "./changes.ts";
import { usd } from "./costs.ts";
import { fitSections, type Section } from "./fit.ts";
import { counts, groupStack } from "./group.ts";
import { changesSection } from "./markdown-changes.ts";
import {
  advisorySection,
  allViolations,
  cell,
  costSection,
  mandatorySection,
  resourceSection,
} from "./markdown-sections.ts";

/** GitHub refuses issue and PR comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the renderer may use of it: the comment workflow adds a marker and the commit line. */
export const COMMENT_BUDGET = GITHUB_COMMENT_LIMIT - 1_536;

export interface MarkdownOptions {
  /** Character limit of the whole text; sections that do not fit are left out whole. */
  maxChars?: number | undefined;
  /** Where the complete plan can be read (e.g. the CI run with its artifact). */
  fullPlanUrl?: string | undefined;
}

function stackRow(stack: StackReport, changes: PlanChanges | undefined): string {
  const mandatory = stack.violations.filter((v) => v.level === "mandatory").length;
  const advisory = stack.violations.length - mandatory;
  const projects = groupStack(stack).length;
  const mine = <T extends { stack: string }>(list: readonly T[]) =>
    changes ? String(list.filter((x) => x.stack === stack.stack).length) : "—";
  const delta = changes
    ? changes.costs.filter((k) => k.stack === stack.stack).reduce((n, k) => n + k.afterUsd - k.beforeUsd, 0)
    : undefined;
  const sign = delta === undefined || delta === 0 ? "" : delta < 0 ? "−" : "+";
  const signed = delta === undefined ? "—" : `${sign}${usd(Math.abs(delta))}`;
  const cells = [
    stack.stack,
    projects,
    stack.resources.length,
    mine(changes?.added ?? []),
    mine(changes?.changed ?? []),
    mine(changes?.replaced ?? []),
    mine(changes?.removed ?? []),
    usd(stack.costs.monthlyUsd),
    signed,
    mandatory,
    advisory,
  ];
  return `| ${cells.join(" | ")} |`;
}

/** The scope of an affected-only plan: one line, the skipped projects folded away. */
function scopeMarkdown(report: PlanReport): string[] {
  const scope = scopeSummary(report);
  if (!scope) return [];
  const skipped = scope.skipped;
  const folded = skipped
    ? ["", `<details><summary>${skipped.why}</summary>`, "", cell(skipped.projects), "", "</details>"]
    : [];
  return ["", `_${cell(scope.planned)}._`, ...folded];
}

function summary(report: PlanReport): Section {
  const c = counts(report);
  const status = c.mandatory > 0 ? `❌ ${c.mandatory} mandatory violation(s)` : "✅ no mandatory violations";
  return {
    head: [
      `## odooops plan — ${status}`,
      "",
      "| stack | projects | resources | add | change | replace | delete | monthly cost | cost Δ | mandatory | advisory |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      ...report.stacks.map((s) => stackRow(s, report.changes)),
      ...scopeMarkdown(report),
    ],
    parts: [],
    unit: "",
    priority: 0,
  };
}

/**
 * The PR comment, in reading order: the per-stack summary, the changes, mandatory violations, advisories
 * grouped by policy, then costs and resources folded away. Under `maxChars` it drops whole parts (a
 * project's block, a table row) from the end of each section and points to the full plan instead.
 */
export function renderMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const violations = allViolations(report);
  // Reading order; room goes first to what blocks the merge, then advice (short: grouped by policy),
  // then the changes, and last to the folded details.
  const rank = (priority: number) => (list: Section[]) => list.map((s) => ({ ...s, priority }));
  const sections = [
    summary(report),
    ...rank(3)(changesSection(report.changes, report.baseProblem)),
    ...rank(1)(mandatorySection(violations)),
    ...rank(2)(advisorySection(violations)),
    ...rank(4)(costSection(report)),
    ...rank(5)(resourceSection(report)),
  ];
  const c = counts(report);
  const footer = (omitted: number) => {
    const where = options.fullPlanUrl
      ? `the full plan: ${options.fullPlanUrl}`
      : "the full plan: the CI run's `odooops-plan-full` artifact, or `npx odooops plan --format markdown` locally";
    return [
      "",
      `${c.resources} resources, ${c.mandatory} mandatory / ${c.advisory} advisory violations.`,
      ...(omitted > 0
        ? ["", `**Shortened to fit a GitHub comment (${omitted} parts left out); ${where}.**`]
        : []),
    ];
  };
  return fitSections(sections, options.maxChars ?? Number.POSITIVE_INFINITY, footer).text;
}
