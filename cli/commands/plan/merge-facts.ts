import type { PlatformPlan } from "../../../model/plan/environment-plan.ts";
import { ALL_POLICIES } from "../../../policies/all.ts";
import { adoptSecretDigests } from "./changed-inputs.ts";
import type { ProjectFacts } from "./project-task.ts";
import type { PlannedResource, Violation } from "./report.ts";

/** The projects of a stack in plan order, each with its environments' slugs in plan order. */
export type ReportOrder = readonly { project: string; environments: readonly string[] }[];

export function reportOrderOf(plan: PlatformPlan): ReportOrder {
  return plan.projects.map((p) => ({
    project: p.project.name,
    environments: p.environments.map((e) => e.slug),
  }));
}

/**
 * One order for a stack's report whichever way it was computed (whole stack in this process, or one
 * project per worker): the stack's own resources first, then project by project in plan order, within a
 * project its own resources then environment by environment in plan order, each in the order its
 * program registered them; violations policy by policy in the pack's order, then by project.
 * Registration order across projects and environments is only the SDK's scheduling (e.g. how soon the
 * prod stack reference answers), not a fact of the plan, so it must not show in the report.
 */
export function inReportOrder(
  resources: readonly PlannedResource[],
  violations: readonly Violation[],
  order: ReportOrder,
): { resources: PlannedResource[]; violations: Violation[] } {
  const rank = new Map(order.map((p, i) => [p.project, i]));
  const environmentRank = new Map(
    order.map((p) => [p.project, new Map(p.environments.map((slug, i) => [slug, i]))]),
  );
  const projectRank = (project: string | undefined) =>
    project === undefined ? -1 : (rank.get(project) ?? -1);
  const placeOf = (r: PlannedResource): [number, number] => [
    projectRank(r.project),
    r.project === undefined || r.environment === undefined
      ? -1
      : (environmentRank.get(r.project)?.get(r.environment) ?? -1),
  ];
  const policyRank = new Map(ALL_POLICIES.map((p, i) => [p.name, i]));
  const placed = resources.map((r) => ({ r, place: placeOf(r) }));
  return {
    resources: placed.sort((a, b) => a.place[0] - b.place[0] || a.place[1] - b.place[1]).map(({ r }) => r),
    violations: [...violations].sort(
      (a, b) =>
        (policyRank.get(a.policy) ?? -1) - (policyRank.get(b.policy) ?? -1) ||
        projectRank(a.project) - projectRank(b.project),
    ),
  };
}

/**
 * A stack's report from its projects' facts. The stack's own resources (the platform root, the deploy
 * key, the prod stack reference) run in every worker: they are kept once, and so is what a policy said
 * about them.
 */
export function mergeProjectFacts(
  facts: readonly ProjectFacts[],
  order: ReportOrder,
): { resources: PlannedResource[]; violations: Violation[] } {
  const urns = new Set<string>();
  const resources: PlannedResource[] = [];
  const said = new Set<string>();
  const violations: Violation[] = [];
  for (const { resources: own, secretDigests, violations: found } of facts) {
    const digests = new Map(secretDigests);
    for (const [i, resource] of own.entries()) {
      if (urns.has(resource.urn)) continue;
      urns.add(resource.urn);
      adoptSecretDigests(resource, digests.get(i) ?? []);
      resources.push(resource);
    }
    for (const v of found) {
      if (v.project !== undefined) {
        violations.push(v);
        continue;
      }
      const key = JSON.stringify([v.policy, v.resource, v.message, v.where, v.project, v.environment]);
      if (said.has(key)) continue;
      said.add(key);
      violations.push(v);
    }
  }
  return inReportOrder(resources, violations, order);
}
