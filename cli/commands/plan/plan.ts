import { catalogSource, readCatalog } from "../../../controlplane/catalog-source.ts";
import type { RegistryEntry } from "../../../model/governance/registry-auth.ts";
import type { Catalog } from "../../../model/input/catalog.ts";
import { type LoadedProject, loadProjects } from "../../../model/input/loader.ts";
import { type ReadText, readFromDisk } from "../../../model/input/read-text.ts";
import { readStackFile } from "../../../model/input/stack-file.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { stackCost } from "../../../model/plan/cost.ts";
import { type PlatformPlan, planPlatform } from "../../../model/plan/environment-plan.ts";
import { stackProblems } from "../../../model/plan/stack-problems.ts";
import type { Problem } from "../../../model/problem.ts";
import { deferTypeScript } from "./defer-typescript.ts";
import { withoutRepeats } from "./evaluate.ts";
import { mergeProjectFacts, reportOrderOf } from "./merge-facts.ts";
import type { ProjectTask } from "./project-task.ts";
import type { PlanReport, StackReport } from "./report.ts";
import { defaultWorkers, runInWorkers } from "./worker-pool.ts";

export interface PlanOptions {
  /** Directory holding Pulumi.yaml and the stack files. */
  root: string;
  files: readonly string[];
  stacks: readonly string[];
  /** Build catalog file; else the control plane if configured; else the stack's `catalog` file; else none. */
  catalogFile: string | undefined;
  /** The time policies treat as now (expiry, exceptions); default: the current time. */
  now?: Date | undefined;
  /** Where project and stack files are read from; the working tree by default (see --base). */
  read?: ReadText | undefined;
  /** Only these projects run through the program (all files are still validated together); default all. */
  projects?: ReadonlySet<string> | undefined;
  /** Told how far the plan has got: projects done and their total (all stacks). */
  progress?: ((done: number, total: number) => void) | undefined;
  /**
   * Worker threads that run one project each at a time; 0 runs the whole stack in this process.
   * Default: one per core from WORKERS_FROM_PROJECTS projects on, else 0.
   */
  workers?: number | undefined;
}

/** Below this many projects a worker's start-up (loading the SDK, ~1 s of CPU) costs more than it saves. */
export const WORKERS_FROM_PROJECTS = 8;

export interface StackPlan {
  stack: string;
  settings: StackSettings;
  registry: RegistryEntry[];
  plan: PlatformPlan;
  catalog: Catalog;
  /** Whether a catalog was found (control plane or file): else release gates are "not evaluated". */
  gates: boolean;
}

export type PlanOutcome =
  | { ok: true; report: PlanReport }
  | { ok: false; problems: Problem[]; messages: string[] };

/**
 * The offline plan: the real Pulumi program, stack by stack with that stack's settings, on the SDK's
 * mock runtime. Inputs are validated completely before any stack runs, so bad input never yields a
 * partial plan.
 */
export async function runPlan(options: PlanOptions): Promise<PlanOutcome> {
  const problems: Problem[] = [];
  const stackSettings: [string, StackSettings, RegistryEntry[]][] = [];
  for (const stack of options.stacks) {
    const read = readStackFile(options.root, stack, options.read);
    problems.push(...read.problems);
    if (read.settings) stackSettings.push([stack, read.settings, read.registry ?? []]);
  }
  const platformDomain = stackSettings[0]?.[1].platformDomain;
  const loaded = loadProjects(options.files, { platformDomain, read: options.read });
  problems.push(...loaded.problems);

  const catalogs = new Map<string, Catalog>();
  for (const [, settings] of stackSettings) {
    const file = catalogSource(options.catalogFile, settings.catalog);
    if (!file || catalogs.has(file)) continue;
    const read = await readCatalog(file);
    problems.push(...read.problems);
    if (read.catalog) catalogs.set(file, read.catalog);
  }
  if (problems.length > 0) return { ok: false, problems, messages: [] };

  const only = options.projects;
  const planned = only ? loaded.projects.filter((p) => only.has(p.project.name)) : loaded.projects;
  const plans: StackPlan[] = stackSettings.map(([stack, settings, registry]) => {
    const file = catalogSource(options.catalogFile, settings.catalog);
    const catalog = (file && catalogs.get(file)) || { projects: {} };
    return {
      stack,
      settings,
      registry,
      catalog,
      gates: file !== undefined,
      plan: planPlatform(planned, catalog, settings),
    };
  });
  const messages = plans.flatMap((p) => [...p.plan.problems, ...stackProblems(p.plan)]);
  if (messages.length > 0) return { ok: false, problems: [], messages };

  const workers = options.workers ?? (planned.length >= WORKERS_FROM_PROJECTS ? defaultWorkers() : 0);
  const stacks =
    workers > 0 ? await stacksInWorkers(plans, workers, planned, options) : await stacksHere(plans, options);
  // A project fact both stacks read is reported once, by the first stack.
  const kept = new Set(withoutRepeats(stacks.flatMap((s) => s.violations)));
  for (const s of stacks) s.violations = s.violations.filter((v) => kept.has(v));
  return {
    ok: true,
    report: {
      stacks,
      resources: stacks.flatMap((s) => s.resources),
      violations: stacks.flatMap((s) => s.violations),
    },
  };
}

/** Every project of every stack in a pool of worker threads; each stack merged from its projects' facts. */
async function stacksInWorkers(
  plans: readonly StackPlan[],
  workers: number,
  loaded: readonly LoadedProject[],
  options: PlanOptions,
): Promise<StackReport[]> {
  const read = options.read ?? readFromDisk;
  const texts = new Map(loaded.map((p) => [p.project.name, { file: p.file, text: read(p.file) }]));
  const tasks = plans.flatMap(({ stack, settings, registry, plan, catalog, gates }) =>
    plan.projects.map(
      (p): ProjectTask => ({
        stack,
        ...texts.get(p.project.name)!,
        settings,
        catalog: catalog.projects[p.project.name],
        registry,
        now: options.now?.toISOString(),
        gatesEvaluated: gates,
      }),
    ),
  );
  const facts = await runInWorkers(tasks, workers, options.progress);
  let first = 0;
  const stacks: StackReport[] = [];
  for (const stackPlan of plans) {
    const { stack, settings, plan } = stackPlan;
    // A stack that owns none of the projects still has its own resources: nothing to spread out.
    if (plan.projects.length === 0) {
      stacks.push(...(await stacksHere([stackPlan], { now: options.now })));
      continue;
    }
    const own = facts.slice(first, first + plan.projects.length);
    first += plan.projects.length;
    const merged = mergeProjectFacts(own, reportOrderOf(plan));
    stacks.push({ stack, stages: settings.stages, costs: stackCost(plan), ...merged });
  }
  return stacks;
}

/**
 * Every stack's program in this process. Imported only when used: it loads the Pulumi SDK and the
 * components (about a second of CPU), which a plan run in worker threads needs in the workers only.
 */
async function stacksHere(
  plans: readonly StackPlan[],
  options: Pick<PlanOptions, "now" | "progress">,
): Promise<StackReport[]> {
  deferTypeScript();
  const { stacksInProcess } = await import("./in-process.ts");
  return stacksInProcess(plans, options);
}
