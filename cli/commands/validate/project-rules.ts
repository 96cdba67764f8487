import type { LoadedProject } from "../../../model/input/loader.ts";
import { projectSources } from "../../../model/rules/sources.ts";
import { STAGES } from "../../../model/stages.ts";
import type { CapturedResource } from "../plan/capture.ts";
import { evaluatePolicies } from "../plan/evaluate.ts";
import { noOptions } from "../plan/policy-args.ts";
import type { Violation } from "../plan/report.ts";

/**
 * The policy pack's rules on the project files alone, without running the Pulumi program: each file
 * becomes the Project component the program would register (for a stack owning every stage, so no
 * rule is skipped), and the pack's own policies judge it. Rules that need resources, live branches or
 * the catalog (release gates, firewalls, containers) are left to `odooops plan`.
 */
function projectComponent(loaded: LoadedProject): CapturedResource {
  const { project, file, where } = loaded;
  return {
    urn: `urn:pulumi:validate::odooops::odooops:project:Project::${project.name}`,
    type: "odooops:project:Project",
    name: project.name,
    custom: false,
    parent: undefined,
    inputs: { project, file, stages: [...STAGES], sources: projectSources(project, where) },
    secretPaths: [],
    options: noOptions(),
  };
}

export async function projectRuleViolations(projects: readonly LoadedProject[]): Promise<Violation[]> {
  const inputs = JSON.parse(JSON.stringify(projects.map(projectComponent))) as CapturedResource[];
  return evaluatePolicies("validate", inputs);
}

/** `file:line:col field: [level] policy: what; fix: how`, one line per violation. */
export function formatViolation(v: Violation): string {
  return `${v.where ?? v.project ?? v.resource}: [${v.level}] ${v.policy}: ${v.message}${v.fix ? `; fix: ${v.fix}` : ""}`;
}
