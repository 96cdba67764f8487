import type { CostChange, PlanChanges } from "../diff.ts";
import { changeSummary, resourceLine, violationChangeLine } from "./changes.ts";
import { usd } from "./costs.ts";
import type { Section } from "./fit.ts";

/** One project's share of the change: its resource changes, cost move and violation moves. */
interface ProjectChange {
  key: string;
  lines: string[];
  counts: { add: number; change: number; replace: number; remove: number };
  cost: CostChange | undefined;
  newViolations: number;
}

/** Change sets this small are shown open; larger ones are folded per project. */
const OPEN_UP_TO_LINES = 40;

const keyOf = (x: { stack: string; project?: string | undefined }) =>
  `${x.stack} / ${x.project ?? "(stack-wide)"}`;

function byProject(c: PlanChanges): ProjectChange[] {
  const projects = new Map<string, ProjectChange>();
  const get = (x: { stack: string; project?: string | undefined }) => {
    const key = keyOf(x);
    let p = projects.get(key);
    if (!p) {
      p = {
        key,
        lines: [],
        counts: { add: 0, change: 0, replace: 0, remove: 0 },
        cost: undefined,
        newViolations: 0,
      };
      projects.set(key, p);
    }
    return p;
  };
  const kinds = [
    ["+", "add", c.added],
    ["~", "change", c.changed],
    ["+-", "replace", c.replaced],
    ["-", "remove", c.removed],
  ] as const;
  for (const [sign, kind, list] of kinds)
    for (const r of list) {
      const p = get(r);
      p.lines.push(resourceLine(sign, r));
      p.counts[kind] += 1;
    }
  for (const v of c.newViolations) {
    const p = get(v);
    p.lines.push(violationChangeLine("! new", v));
    p.newViolations += 1;
  }
  for (const v of c.resolvedViolations) get(v).lines.push(violationChangeLine("✓ resolved", v));
  for (const k of c.costs) get(k).cost = k;
  return [...projects.values()];
}

function projectSummary(p: ProjectChange): string {
  const { add, change, replace, remove } = p.counts;
  const parts = [`+${add} ~${change} +-${replace} -${remove}`];
  if (p.cost) parts.push(`${usd(p.cost.beforeUsd)} → ${usd(p.cost.afterUsd)}/month`);
  if (p.newViolations > 0) parts.push(`${p.newViolations} new violation(s)`);
  return `<b>${p.key}</b>: ${parts.join(" · ")}`;
}

/** The changes against the base commit, one part per project (each a complete `<details>` block). */
export function changesSection(changes: PlanChanges | undefined, baseProblem: string | undefined): Section[] {
  if (baseProblem) return [{ head: ["", `### Changes against ${baseProblem}`], parts: [], unit: "" }];
  if (!changes) return [];
  const projects = byProject(changes);
  const total = projects.reduce((n, p) => n + p.lines.length, 0);
  const open = total <= OPEN_UP_TO_LINES ? " open" : "";
  return [
    {
      head: ["", `### Changes against ${changes.base}`, "", `${changeSummary(changes)}.`, ""],
      parts: projects.map((p) => [
        `<details${open}><summary>${projectSummary(p)}</summary>`,
        "",
        ...(p.lines.length > 0 ? ["```diff", ...p.lines, "```"] : []),
        "</details>",
        "",
      ]),
      unit: "projects' changes",
    },
  ];
}
