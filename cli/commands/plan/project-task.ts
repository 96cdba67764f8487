import { DEPLOY_KEY_PLACEHOLDER, Platform } from "../../../components/platform.ts";
import { placeholderRegistryAuth, type RegistryEntry } from "../../../model/governance/registry-auth.ts";
import type { ProjectCatalog } from "../../../model/input/catalog.ts";
import { parseProject } from "../../../model/input/loader.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import { captureProgram } from "./capture.ts";
import { secretDigestsOf } from "./changed-inputs.ts";
import { evaluatePolicies, gatesConfig } from "./evaluate.ts";
import { stagingStackOutputs } from "./mock-outputs.ts";
import { type PlannedResource, toPlannedResources, type Violation } from "./report.ts";

/**
 * One project of one stack, as a plan worker receives it: plain data only (the loaded project holds
 * functions, so the worker parses the file text again; parsing is a few milliseconds).
 */
export interface ProjectTask {
  stack: string;
  file: string;
  text: string;
  settings: StackSettings;
  catalog: ProjectCatalog | undefined;
  registry: RegistryEntry[];
  now: string | undefined;
  /** Whether the stack had a catalog; else release gates are "not evaluated" (see gatesConfig). */
  gatesEvaluated: boolean;
}

/** What is left of a project once its program ran: what the report, the diff and the policies need. */
export interface ProjectFacts {
  resources: PlannedResource[];
  /** Per resource (by index): keyed hashes of its secrets, for the diff. */
  secretDigests: [number, [string, string][]][];
  violations: Violation[];
}

/**
 * Runs the program for one project (the stack's root resources included, as in the whole-stack run),
 * evaluates every policy on it and reduces it to facts. Sound because every policy judges one project
 * at a time; rules across projects (names, host names) run in `model/` before any program runs.
 */
export async function planOneProject(task: ProjectTask): Promise<ProjectFacts> {
  const parsed = parseProject(task.file, task.text);
  if (!parsed.loaded) throw new Error(`${task.file} no longer parses in the plan worker`);
  const name = parsed.loaded.project.name;
  const plan = planPlatform(
    [parsed.loaded],
    { projects: task.catalog ? { [name]: task.catalog } : {} },
    {
      ...task.settings,
      projects: undefined, // the parent selected the stack's projects already
    },
  );
  const access = { deployKey: DEPLOY_KEY_PLACEHOLDER, registryAuth: placeholderRegistryAuth(task.registry) };
  // What the prod stack exports for this project only: the program reads its own project's entry, and
  // handing every task the whole stack's entries made the plan quadratic in the number of projects.
  const captured = await captureProgram("odooops", task.stack, () => new Platform("odooops", plan, access), {
    stackOutputs: stagingStackOutputs(plan),
  });
  const now = task.now === undefined ? undefined : new Date(task.now);
  const resources = toPlannedResources(task.stack, captured);
  return {
    resources,
    secretDigests: resources.flatMap((r, i) => {
      const digests = secretDigestsOf(r);
      return digests.length > 0 ? [[i, digests] as [number, [string, string][]]] : [];
    }),
    violations: await evaluatePolicies(task.stack, captured, {
      now,
      config: gatesConfig(task.gatesEvaluated),
    }),
  };
}
