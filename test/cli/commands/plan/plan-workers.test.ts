import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffPlans } from "../../../../cli/commands/plan/diff.ts";
import { type PlanOptions, runPlan } from "../../../../cli/commands/plan/plan.ts";
import type { PlanReport } from "../../../../cli/commands/plan/report.ts";
import { STACKS } from "../../../../model/input/stack-file.ts";

/**
 * The worker path (one project per worker thread, reduced to facts, merged) must change nothing: the
 * whole report of the examples — every resource with its inputs and options, every violation, the
 * costs — and the diff against a base (a replacement, a secret change, a resolved violation) are the
 * same as when the whole stack runs in this process.
 */
const FILES = ["examples/projects/acme-erp.yaml", "examples/projects/hello.yaml"];
const NOW = new Date("2026-12-05T00:00:00Z");

// The base commit as a reader: acme-erp ran 8 workers (odoo.conf, a secret upload, changes) and
// hello's production image was another digest (the container is replaced).
const acme = readFileSync("examples/projects/acme-erp.yaml", "utf8");
const hello = readFileSync("examples/projects/hello.yaml", "utf8");
const BASE: Record<string, string> = {
  "examples/projects/acme-erp.yaml": acme.replace("workers: 6", "workers: 8"),
  "examples/projects/hello.yaml": hello.replace(/sha256:84f5/, "sha256:0000"),
};
const readBase = (path: string) => BASE[path] ?? readFileSync(path, "utf8");

async function plan(workers: number, extra: Partial<PlanOptions> = {}): Promise<PlanReport> {
  const outcome = await runPlan({
    root: ".",
    files: FILES,
    stacks: STACKS,
    catalogFile: undefined,
    now: NOW,
    workers,
    ...extra,
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.report;
}

describe("plan in worker threads", () => {
  it("reports exactly what the in-process plan reports, and diffs the same", async () => {
    const [inProcess, base] = [await plan(0), await plan(0, { read: readBase })];
    const progress: [number, number][] = [];
    const [inWorkers, baseInWorkers] = [
      await plan(2, { progress: (done, total) => progress.push([done, total]) }),
      await plan(2, { read: readBase }),
    ];
    expect(inProcess.resources.length).toBeGreaterThan(100);
    expect(inWorkers.resources.map((r) => r.urn)).toEqual(inProcess.resources.map((r) => r.urn));
    expect(inWorkers).toEqual(inProcess);
    expect(baseInWorkers).toEqual(base);
    expect(progress.at(-1)).toEqual([4, 4]); // two projects in each of two stacks

    const changes = diffPlans("base", base, inProcess);
    expect(changes.replaced.length + changes.changed.length).toBeGreaterThan(0);
    expect(JSON.stringify(changes)).toContain("(secret)");
    expect(diffPlans("base", baseInWorkers, inWorkers)).toEqual(changes);
    // The stack's own resources ran in every worker and are reported once.
    const urns = inWorkers.resources.map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
  }, 300_000);
});
