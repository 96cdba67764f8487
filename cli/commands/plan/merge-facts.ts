import { ALL_POLICIES } from "../../../policies/all.ts";
import { adoptSecretDigests } from "./changed-inputs.ts";
import type { ProjectFacts } from "./project-task.ts";
import type { PlannedResource, Violation } from "./report.ts";

/**
 * One order for a stack's report whichever way it was computed (whole stack in this process, or one
 * project per worker): the stack's own resources first, then project by project in plan order, each in
 * the order its program registered them; violations policy by policy in the pack's order, then by
 * project. Registration order across projects is only the SDK's scheduling, not a fact of the plan.
 */
export function inReportOrder(
  resources: readonly PlannedResource[],
  violations: readonly Violation[],
  projects: readonly string[],
): { resources: PlannedResource[]; violations: Violation[] } {
  const rank = new Map(projects.map((p, i) => [p, i]));
  const projectRank = (project: string | undefined) =>
    project === undefined ? -1 : (rank.get(project) ?? -1);
  const policyRank = new Map(ALL_POLICIES.map((p, i) => [p.name, i]));
  return {
    resources: [...resources].sort((a, b) => projectRank(a.project) - projectRank(b.project)),
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
  projects: readonly string[],
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
  return inReportOrder(resources, violations, projects);
}
