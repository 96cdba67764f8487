import { DEPLOY_KEY_PLACEHOLDER, Platform } from "../../components/platform.ts";
import { catalogSource, readCatalog } from "../../controlplane/catalog-source.ts";
import type { Catalog } from "../../model/catalog.ts";
import { stackCost } from "../../model/cost.ts";
import { planPlatform } from "../../model/environment-plan.ts";
import { loadProjects } from "../../model/loader.ts";
import type { Problem } from "../../model/problem.ts";
import type { ReadText } from "../../model/read-text.ts";
import { placeholderRegistryAuth, type RegistryEntry } from "../../model/registry-auth.ts";
import { readStackFile } from "../../model/stack-file.ts";
import { stackProblems } from "../../model/stack-problems.ts";
import type { StackSettings } from "../../model/stack-settings.ts";
import { releaseGatesPassed } from "../../policies/release-gates.ts";
import { captureProgram } from "./capture.ts";
import { evaluatePolicies, withoutRepeats } from "./evaluate.ts";
import { stagingStackOutputs } from "./mock-outputs.ts";
import { type PlanReport, type StackReport, toPlannedResources } from "./report.ts";

/** Without a catalog (no control plane, no file), production's gates are advice: never example data. */
const GATES_NOT_EVALUATED_CONFIG = {
  [releaseGatesPassed.name]: { enforcementLevel: "advisory", gatesEvaluated: false },
};

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
  /** Told how far the program has got: the stack, its place among the stacks, resources so far. */
  progress?: ((stack: string, index: number, total: number, resources: number) => void) | undefined;
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
  const plans = stackSettings.map(([stack, settings, registry]) => {
    const file = catalogSource(options.catalogFile, settings.catalog);
    const catalog = (file && catalogs.get(file)) || { projects: {} };
    return {
      stack,
      settings,
      registry,
      gates: file !== undefined,
      plan: planPlatform(planned, catalog, settings),
    };
  });
  const messages = plans.flatMap((p) => [...p.plan.problems, ...stackProblems(p.plan)]);
  if (messages.length > 0) return { ok: false, problems: [], messages };

  const stacks: StackReport[] = [];
  for (const [index, { stack, settings, registry, gates, plan }] of plans.entries()) {
    const progress = options.progress;
    const onRegistered = progress && ((n: number) => progress(stack, index + 1, plans.length, n));
    // The staging stack reads production's identity from the prod stack: answer what prod would export.
    const prodOutputs = stagingStackOutputs(plan);
    // Pull credentials show as wired, their tokens (stack secrets) as placeholders.
    const access = { deployKey: DEPLOY_KEY_PLACEHOLDER, registryAuth: placeholderRegistryAuth(registry) };
    const captured = await captureProgram(
      "odooops",
      stack,
      () => new Platform("odooops", plan, access),
      { stackOutputs: prodOutputs },
      onRegistered,
    );
    stacks.push({
      stack,
      stages: settings.stages,
      resources: toPlannedResources(stack, captured),
      costs: stackCost(plan),
      violations: await evaluatePolicies(stack, captured, {
        now: options.now,
        config: gates ? undefined : GATES_NOT_EVALUATED_CONFIG,
      }),
    });
  }
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
