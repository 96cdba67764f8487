import { changedInputs } from "./changed-inputs.ts";
import type { PlannedResource, PlanReport, Violation } from "./report.ts";

/** What a change does, compared with the plan of another commit (`odooops plan --base <ref>`). */
export interface ResourceChange {
  stack: string;
  type: string;
  name: string;
  project: string | undefined;
  environment: string | undefined;
  /** Top-level inputs whose value differs; a secret shows as `name (secret)`, its value never. */
  fields?: string[];
  /** For a replacement: the inputs whose change forces it (the provider's ForceNew facts). */
  forcedBy?: string[];
  /** What else the change sets off, e.g. a container restart after a configuration upload. */
  consequences?: string[];
}

export interface CostChange {
  stack: string;
  project: string;
  beforeUsd: number;
  afterUsd: number;
}

export interface PlanChanges {
  base: string;
  added: ResourceChange[];
  removed: ResourceChange[];
  changed: ResourceChange[];
  /** Resources the provider would delete and create again, with the inputs that force it. */
  replaced: ResourceChange[];
  costs: CostChange[];
  /** Violations the change introduces, and those it resolves. */
  newViolations: Violation[];
  resolvedViolations: Violation[];
}

const resourceKey = (r: PlannedResource) => `${r.stack}|${r.urn}`;
// Locations differ between the two checkouts, so a violation is identified by what and where in the graph;
// not by stack: a project fact both stacks read is reported by either, and is one fact.
const violationKey = (v: Violation) =>
  `${v.policy}|${v.resource.split("::").at(-1)}|${v.project}|${v.environment}`;

function describe(r: PlannedResource, fields?: string[]): ResourceChange {
  const change: ResourceChange = {
    stack: r.stack,
    type: r.type,
    name: r.name,
    project: r.project,
    environment: r.environment,
  };
  return fields ? { ...change, fields } : change;
}

function projectCosts(report: PlanReport): Map<string, number> {
  const costs = new Map<string, number>();
  for (const stack of report.stacks)
    for (const p of stack.costs.projects) costs.set(`${stack.stack}|${p.project}`, p.monthlyUsd);
  return costs;
}

export function diffPlans(base: string, before: PlanReport, after: PlanReport): PlanChanges {
  const beforeByKey = new Map(before.resources.map((r) => [resourceKey(r), r]));
  const afterByKey = new Map(after.resources.map((r) => [resourceKey(r), r]));
  const added = after.resources.filter((r) => !beforeByKey.has(resourceKey(r))).map((r) => describe(r));
  const removed = before.resources.filter((r) => !afterByKey.has(resourceKey(r))).map((r) => describe(r));
  const changed: ResourceChange[] = [];
  const replaced: ResourceChange[] = [];
  for (const r of after.resources) {
    const previous = beforeByKey.get(resourceKey(r));
    if (!previous) continue;
    const change = changedInputs(previous, r);
    if (change.forcedBy.length > 0)
      replaced.push({
        ...describe(r, change.fields),
        forcedBy: change.forcedBy,
        consequences: change.consequences,
      });
    else if (change.fields.length > 0) changed.push(describe(r, change.fields));
  }

  const beforeCosts = projectCosts(before);
  const afterCosts = projectCosts(after);
  const costs = [...new Set([...beforeCosts.keys(), ...afterCosts.keys()])].flatMap((key) => {
    const [stack, project] = key.split("|") as [string, string];
    const beforeUsd = beforeCosts.get(key) ?? 0;
    const afterUsd = afterCosts.get(key) ?? 0;
    return beforeUsd === afterUsd ? [] : [{ stack, project, beforeUsd, afterUsd }];
  });

  const beforeViolations = new Set(before.violations.map(violationKey));
  const afterViolations = new Set(after.violations.map(violationKey));
  const once = (list: Violation[]) => [...new Map(list.map((v) => [violationKey(v), v])).values()];
  return {
    base,
    added,
    removed,
    changed,
    replaced,
    costs,
    newViolations: once(after.violations.filter((v) => !beforeViolations.has(violationKey(v)))),
    resolvedViolations: once(before.violations.filter((v) => !afterViolations.has(violationKey(v)))),
  };
}
