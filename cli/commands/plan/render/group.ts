import type { PlannedResource, PlanReport, StackReport, Violation } from "../report.ts";

export interface EnvironmentGroup {
  /** Environment slug, or undefined for the project-wide resources. */
  environment: string | undefined;
  stage: string | undefined;
  resources: PlannedResource[];
}

export interface ProjectGroup {
  stack: string;
  project: string;
  environments: EnvironmentGroup[];
  violations: Violation[];
}

/** Resources of a stack grouped project → environment, in registration order. */
export function groupStack(stack: StackReport): ProjectGroup[] {
  const projects = new Map<string, ProjectGroup>();
  for (const resource of stack.resources) {
    if (!resource.project) continue;
    let group = projects.get(resource.project);
    if (!group) {
      group = { stack: stack.stack, project: resource.project, environments: [], violations: [] };
      projects.set(resource.project, group);
    }
    let env = group.environments.find((e) => e.environment === resource.environment);
    if (!env) {
      env = { environment: resource.environment, stage: resource.stage, resources: [] };
      group.environments.push(env);
    }
    env.resources.push(resource);
  }
  for (const violation of stack.violations) {
    if (violation.project) projects.get(violation.project)?.violations.push(violation);
  }
  return [...projects.values()];
}

/** Violations not tied to one project (stack-wide rules). */
export function stackViolations(stack: StackReport): Violation[] {
  return stack.violations.filter((v) => !v.project);
}

export function counts(report: PlanReport) {
  const mandatory = report.violations.filter((v) => v.level === "mandatory").length;
  return { resources: report.resources.length, mandatory, advisory: report.violations.length - mandatory };
}

/** The resource's name, from its URN (`urn:pulumi:stack::project::type::name`). */
export function resourceName(urn: string): string {
  return urn.split("::").at(-1) ?? urn;
}

export function describeViolation(v: Violation): string {
  const where = [v.project, v.environment].filter(Boolean).join("/");
  const on = v.resource === v.stack ? "" : ` ${resourceName(v.resource)}`;
  return `[${v.level}] ${v.policy}${where ? ` (${where})` : ""}${on}: ${v.message}`;
}

/** A violation as lines: what is wrong, then where and how to fix it. */
export function violationLines(v: Violation): string[] {
  return [
    describeViolation(v),
    ...(v.where ? [`  where: ${v.where}`] : []),
    ...(v.fix ? [`  fix: ${v.fix}`] : []),
  ];
}

/** Mandatory violations first, then advice, each in report order. */
export function bySeverity(violations: readonly Violation[]): Violation[] {
  return [
    ...violations.filter((v) => v.level === "mandatory"),
    ...violations.filter((v) => v.level !== "mandatory"),
  ];
}
