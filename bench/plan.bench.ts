/**
 * The offline plan's time and peak memory for 1, 10, 50 and 200 projects × 10 live branches, against
 * the SDK's bare registration cost for the same resources, measured in the same run.
 *
 * Each figure comes from a process of its own (peak RSS is per process). Baselines:
 * - replay: the SDK registering exactly the resources the plan registered (same provider classes,
 *   names and input values), flat, with no program around them. This is the target's denominator:
 *   provider resources carry dozens of output properties each and cost the SDK several times a
 *   one-property resource, whoever registers them.
 * - trivial: as many one-property resources, for scale.
 * Environment: BENCH_PLAN_PROJECTS (default 1,10,50,200), BENCH_PLAN_BRANCHES (10),
 * BENCH_PLAN_HEAP_MB (old-space limit of each process, 16384).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

interface Measurement {
  mode: string;
  resources: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
}

const sizes = (process.env.BENCH_PLAN_PROJECTS ?? "1,10,50,200").split(",").map(Number);
const branches = Number(process.env.BENCH_PLAN_BRANCHES ?? 10);
const heapMb = Number(process.env.BENCH_PLAN_HEAP_MB ?? 16384);
const SEMI_SPACE = ["--max-semi-space-size=64"];

function measure(args: string[], nodeFlags: string[] = []): Measurement {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", `--max-old-space-size=${heapMb}`, ...nodeFlags, "bench/plan-worker.ts", ...args],
    { encoding: "utf8", maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split("\n").at(-1)!) as Measurement;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);

/** Growth of `value` per doubling of the project count between two sizes. */
function perDoubling(n1: number, v1: number, n2: number, v2: number): number {
  return (v2 / v1) ** (1 / Math.log2(n2 / n1));
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "odooops-plan-bench-"));
  const rows: {
    projects: number;
    plan: Measurement;
    semi: Measurement;
    traces: Measurement;
    replay: Measurement;
    trivial: Measurement;
  }[] = [];
  try {
    for (const projects of sizes) {
      const file = join(dir, `recording-${projects}.json`);
      const plan = measure(["plan", String(projects), String(branches), file]);
      // The same plan with a larger young generation: fewer scavenges of the SDK's short-lived promises.
      const semi = measure(["plan", String(projects), String(branches), `${file}.semi`], SEMI_SPACE);
      // As before stack capture was pinned off (the SDK raising Error.stackTraceLimit per resource).
      const traces = measure(["plan-sdk-traces", String(projects), String(branches), `${file}.traces`]);
      const replay = measure(["replay", file]);
      const trivial = measure(["trivial", file]);
      rows.push({ projects, plan, semi, traces, replay, trivial });
      console.log(
        `${projects} projects × ${branches} branches: ${plan.resources} resources, plan ${fmt(plan.ms)} ms / ${fmt(plan.peakRssMb)} MB, ` +
          `replay ${fmt(replay.ms)} ms / ${fmt(replay.peakRssMb)} MB, trivial ${fmt(trivial.ms)} ms / ${fmt(trivial.peakRssMb)} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    "\n| projects | resources | plan ms | replay ms | time ratio | plan CPU ms | replay CPU ms | CPU ratio | semi-64 CPU ratio | SDK traces CPU ratio | trivial CPU ms | plan peak MB | replay peak MB | memory ratio |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const { projects, plan, semi, traces, replay, trivial } of rows)
    console.log(
      `| ${projects} | ${plan.resources} | ${fmt(plan.ms)} | ${fmt(replay.ms)} | ${fmt(plan.ms / replay.ms, 2)} | ${fmt(plan.cpuMs)} | ${fmt(replay.cpuMs)} | ${fmt(plan.cpuMs / replay.cpuMs, 2)} | ${fmt(semi.cpuMs / plan.cpuMs, 2)} | ${fmt(traces.cpuMs / plan.cpuMs, 2)} | ${fmt(trivial.cpuMs)} | ${fmt(plan.peakRssMb)} | ${fmt(replay.peakRssMb)} | ${fmt(plan.peakRssMb / replay.peakRssMb, 2)} |`,
    );
  console.log("\ngrowth per doubling of projects (1.00 = constant, 2.00 = linear):");
  console.log("| from → to | plan time | plan CPU | replay CPU | plan memory | resources |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1]!;
    const b = rows[i]!;
    const g = (x: number, y: number) => fmt(perDoubling(a.projects, x, b.projects, y), 2);
    console.log(
      `| ${a.projects} → ${b.projects} | ${g(a.plan.ms, b.plan.ms)} | ${g(a.plan.cpuMs, b.plan.cpuMs)} | ${g(a.replay.cpuMs, b.replay.cpuMs)} | ${g(a.plan.peakRssMb, b.plan.peakRssMb)} | ${g(a.plan.resources, b.plan.resources)} |`,
    );
  }
}
