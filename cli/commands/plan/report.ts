import type { StackCost } from "../../../model/plan/cost.ts";
import type { Stage } from "../../../model/stages.ts";
import type { CapturedResource } from "./capture.ts";
import { rememberSecrets } from "./changed-inputs.ts";
import { redact } from "./decode.ts";
import type { PlanChanges } from "./diff.ts";

export interface PlannedResource {
  stack: string;
  type: string;
  name: string;
  urn: string;
  parent: string | undefined;
  project: string | undefined;
  /** The environment slug, or undefined for project-wide resources (network, shared dev host). */
  environment: string | undefined;
  stage: Stage | undefined;
  protect: boolean;
  /** Input paths the engine disregards when it diffs (the `ignoreChanges` resource option). */
  ignoreChanges: string[];
  /** Input paths the program marks as forcing a replacement (the `replaceOnChanges` option). */
  replaceOnChanges: string[];
  /** Inputs with every secret replaced by "[secret]". */
  inputs: Record<string, unknown>;
}

export type EnforcementLevel = "mandatory" | "advisory";

export interface Violation {
  stack: string;
  policy: string;
  level: EnforcementLevel;
  project: string | undefined;
  environment: string | undefined;
  /** URN of the resource, or the stack name for stack-level rules. */
  resource: string;
  /** What is wrong. */
  message: string;
  /** `file:line:col field` when the fact came from YAML, else the resource or catalog entry. */
  where?: string | undefined;
  /** How to fix it. */
  fix?: string | undefined;
}

export interface StackReport {
  stack: string;
  stages: Stage[];
  /** Estimated monthly cost per environment, project and stack (model/plan/cost.ts). */
  costs: StackCost;
  resources: PlannedResource[];
  violations: Violation[];
}

export interface PlanReport {
  stacks: StackReport[];
  resources: PlannedResource[];
  violations: Violation[];
  /** With `--base <ref>`: what the change does against that commit's plan. */
  changes?: PlanChanges | undefined;
  /** With `--base <ref>`: why the base plan could not be computed (e.g. its files were invalid). */
  baseProblem?: string | undefined;
  /** With `--base <ref>`: which projects were planned and which skipped, and why. */
  scope?: PlanScope | undefined;
}

export interface PlanScope {
  /** Why every project was planned, when something shared changed. */
  all?: string | undefined;
  planned: { project: string; reason: string }[];
  skipped: { project: string; reason: string }[];
}

interface Attribution {
  project: string | undefined;
  environment: string | undefined;
  stage: Stage | undefined;
}

/** Which project and environment a resource belongs to, from the components above it. */
/** The plan's group for the platform services (parentheses: never a valid project name). */
export const SERVICES_GROUP = "(platform services)";

export function attribute(resources: readonly CapturedResource[]): Map<string, Attribution> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const result = new Map<string, Attribution>();
  const resolve = (resource: CapturedResource): Attribution => {
    const known = result.get(resource.urn);
    if (known) return known;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    const inherited = parent
      ? resolve(parent)
      : { project: undefined, environment: undefined, stage: undefined };
    let own = inherited;
    if (resource.type === "odooops:project:Project") {
      const project = resource.inputs.project as { name?: string } | undefined;
      own = { ...inherited, project: project?.name };
    } else if (resource.type === "odooops:services:PlatformServices") {
      // Not a project: shown as its own group, named so no project file can collide with it.
      own = { ...inherited, project: SERVICES_GROUP };
    } else if (resource.type === "odooops:environment:Environment") {
      const plan = resource.inputs.plan as { slug?: string; stage?: Stage; project?: string } | undefined;
      own = { project: plan?.project ?? inherited.project, environment: plan?.slug, stage: plan?.stage };
    }
    result.set(resource.urn, own);
    return own;
  };
  for (const r of resources) resolve(r);
  return result;
}

export function toPlannedResources(stack: string, captured: readonly CapturedResource[]): PlannedResource[] {
  const attribution = attribute(captured);
  const names = new Map(captured.map((r) => [r.urn, r.name]));
  return captured.map((r) => {
    const planned: PlannedResource = {
      stack,
      type: r.type,
      name: r.name,
      urn: r.urn,
      parent: r.parent ? names.get(r.parent) : undefined,
      ...attribution.get(r.urn)!,
      protect: r.options.protect,
      ignoreChanges: r.options.ignoreChanges,
      replaceOnChanges: r.options.replaceOnChanges,
      inputs: redact(r.inputs, r.secretPaths),
    };
    rememberSecrets(planned, r.inputs, r.secretPaths);
    return planned;
  });
}
