import { Platform } from "../../components/platform.ts";
import type { Catalog } from "../../model/catalog.ts";
import { loadCatalogFile } from "../../model/catalog-loader.ts";
import { planPlatform } from "../../model/environment-plan.ts";
import { loadProjects } from "../../model/loader.ts";
import type { Problem } from "../../model/problem.ts";
import { readStackFile } from "../../model/stack-file.ts";
import type { StackSettings } from "../../model/stack-settings.ts";
import { captureProgram } from "./capture.ts";
import { type PlanReport, type StackReport, toPlannedResources } from "./report.ts";

export interface PlanOptions {
  /** Directory holding Pulumi.yaml and the stack files. */
  root: string;
  files: readonly string[];
  stacks: readonly string[];
  /** Build catalog file; else the stack's `catalog` setting; else no live branches. */
  catalogFile: string | undefined;
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
  const stackSettings: [string, StackSettings][] = [];
  for (const stack of options.stacks) {
    const read = readStackFile(options.root, stack);
    problems.push(...read.problems);
    if (read.settings) stackSettings.push([stack, read.settings]);
  }
  const platformDomain = stackSettings[0]?.[1].platformDomain;
  const loaded = loadProjects(options.files, { platformDomain });
  problems.push(...loaded.problems);

  const catalogs = new Map<string, Catalog>();
  for (const [, settings] of stackSettings) {
    const file = options.catalogFile ?? settings.catalog;
    if (!file || catalogs.has(file)) continue;
    const read = loadCatalogFile(file);
    problems.push(...read.problems);
    if (read.catalog) catalogs.set(file, read.catalog);
  }
  if (problems.length > 0) return { ok: false, problems, messages: [] };

  const plans = stackSettings.map(([stack, settings]) => {
    const file = options.catalogFile ?? settings.catalog;
    const catalog = (file && catalogs.get(file)) || { projects: {} };
    return { stack, settings, plan: planPlatform(loaded.projects, catalog, settings) };
  });
  const messages = plans.flatMap((p) => p.plan.problems);
  if (messages.length > 0) return { ok: false, problems: [], messages };

  const stacks: StackReport[] = [];
  for (const { stack, settings, plan } of plans) {
    const captured = await captureProgram("odooops", stack, () => new Platform("odooops", plan));
    stacks.push({
      stack,
      stages: settings.stages,
      resources: toPlannedResources(stack, captured),
      violations: [],
    });
  }
  return {
    ok: true,
    report: {
      stacks,
      resources: stacks.flatMap((s) => s.resources),
      violations: stacks.flatMap((s) => s.violations),
    },
  };
}
