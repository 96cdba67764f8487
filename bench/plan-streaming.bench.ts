/**
 * The plan end to end as users run it (`odooops plan` of N project files × 10 live branches, both
 * stacks, JSON out, Node's default heap), one project per worker thread (--workers 2, the machine's
 * cores) against the whole stack in one process (--workers 0), and the SDK's bare registration of as
 * many one-property resources on its own mock runtime (bench/plan-worker.ts trivial; also on the plan's
 * lighter runtime, trivial-light, for reference), each in a process of its own so that peak
 * RSS (/usr/bin/time) is that run's, worker threads included. Also the CLI's start-up: `--help` and
 * `validate <one file>` from the prebuilt bundle and from the sources (tsx).
 * Knobs: BENCH_STREAM_PROJECTS (default 25,50,200), BENCH_STREAM_IN_PROCESS (sizes also run with
 * --workers 0; default 25,50: beyond ~80 projects one process needs more than the default heap),
 * BENCH_STREAM_ROUNDS (default 3): the worker plan and bare registration run alternately this many
 * times and each column shows the best round. On this 2-core VM one command's CPU seconds vary by
 * ±12 % from run to run with nothing else running; noise only ever adds time, so the best of a few
 * alternating rounds is the steadiest estimate of each, and the ratio compares like with like.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchCatalog, benchProjects, projectYaml } from "./plan-fixture.ts";

const sizes = (process.env.BENCH_STREAM_PROJECTS ?? "25,50,200").split(",").map(Number);
const inProcess = new Set((process.env.BENCH_STREAM_IN_PROCESS ?? "25,50").split(",").map(Number));
const BRANCHES = 10;
const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? "3");

interface Run {
  cpuS: number;
  wallS: number;
  peakMb: number;
}

/** CPU (user + system, children included), wall time and peak RSS of one command, via GNU time. */
function timed(args: string[], env: NodeJS.ProcessEnv = process.env): Run {
  const out = join(tmpdir(), `odooops-time-${process.pid}`);
  execFileSync("/usr/bin/time", ["-o", out, "-f", "%U %S %e %M", ...args], {
    env,
    stdio: ["ignore", "ignore", "ignore"],
  });
  const [user, sys, wall, kb] = readFileSync(out, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
  return { cpuS: user! + sys!, wallS: wall!, peakMb: kb! / 1024 };
}

function fixture(dir: string, projects: number): string[] {
  mkdirSync(join(dir, "projects"));
  for (const f of ["Pulumi.yaml", "Pulumi.staging.yaml", "Pulumi.prod.yaml"]) copyFileSync(f, join(dir, f));
  const loaded = benchProjects(projects);
  writeFileSync(join(dir, "catalog.json"), JSON.stringify(benchCatalog(loaded, BRANCHES)));
  return loaded.map((p) => {
    const file = join(dir, p.file);
    writeFileSync(file, projectYaml(p.project.name));
    return file;
  });
}

function plan(dir: string, files: string[], workers: number, output: string): Run {
  const catalog = join(dir, "catalog.json");
  const cli = ["bin/odooops.js", "plan", "--root", dir, "--catalog", catalog, "--format", "json"];
  const shell = `node ${cli.join(" ")} --workers ${workers} --now 2026-11-21T00:00:00Z ${files.join(" ")} > ${output}`;
  return timed(["sh", "-c", `${shell} || test $? -eq 1`]); // exit 1: mandatory violations, still a plan
}

/** The run with the least CPU (the steadiest of several: noise only adds). */
function best(runs: readonly Run[]): Run {
  return runs.reduce((a, b) => (a.cpuS <= b.cpuS ? a : b));
}

/** The recording bench/plan-worker.ts replays: here only the names and counts matter (trivial mode). */
function recording(output: string, file: string): number {
  const report = JSON.parse(readFileSync(output, "utf8")) as { resources: { stack: string; name: string }[] };
  const byStack = { staging: [] as object[], prod: [] as object[] };
  for (const r of report.resources)
    byStack[r.stack as "staging" | "prod"].push({ type: "bench:index:Trivial", name: r.name, custom: true });
  writeFileSync(file, JSON.stringify(byStack));
  return report.resources.length;
}

const f = (n: number, d = 1) => n.toFixed(d);

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "odooops-stream-bench-"));
  const rows: string[] = [];
  let previous: { projects: number; cpuS: number } | undefined;
  try {
    for (const projects of sizes) {
      const dir = join(root, String(projects));
      mkdirSync(dir);
      const files = fixture(dir, projects);
      const out = join(dir, "plan.json");
      const workerRuns = [plan(dir, files, 2, out)];
      const resources = recording(out, join(dir, "recording.json"));
      const single = inProcess.has(projects) ? plan(dir, files, 0, join(dir, "plan0.json")) : undefined;
      if (single) {
        const same = readFileSync(join(dir, "plan0.json"), "utf8") === readFileSync(out, "utf8");
        if (!same) throw new Error(`${projects} projects: the worker plan differs from the in-process plan`);
      }
      const bareRun = (mode: string) =>
        timed(["node", "--import", "tsx", "bench/plan-worker.ts", mode, join(dir, "recording.json")]);
      const bareRuns = [bareRun("trivial")];
      const lightRuns = [bareRun("trivial-light")];
      for (let round = 1; round < ROUNDS; round++) {
        workerRuns.push(plan(dir, files, 2, out));
        bareRuns.push(bareRun("trivial"));
        lightRuns.push(bareRun("trivial-light"));
      }
      const [workers, bare, light] = [best(workerRuns), best(bareRuns), best(lightRuns)];
      const cpus = (runs: Run[]) => runs.map((r) => f(r.cpuS)).join(", ");
      console.log(
        `${projects} projects, CPU s per round: workers ${cpus(workerRuns)}; bare ${cpus(bareRuns)}; bare light ${cpus(lightRuns)}`,
      );
      const growth = previous
        ? (workers.cpuS / previous.cpuS) ** (1 / Math.log2(projects / previous.projects))
        : undefined;
      previous = { projects, cpuS: workers.cpuS };
      const row = [
        projects,
        resources,
        f(workers.cpuS),
        f(workers.wallS),
        f(workers.peakMb, 0),
        single ? `${f(single.cpuS)} / ${f(single.peakMb, 0)}` : "—",
        single ? f(workers.cpuS / single.cpuS, 2) : "—",
        f(bare.cpuS),
        f(workers.cpuS / bare.cpuS, 2),
        f(light.cpuS),
        f(workers.cpuS / light.cpuS, 2),
        growth === undefined ? "—" : f(growth, 2),
      ].join(" | ");
      rows.push(`| ${row} |`);
      console.log(rows.at(-1));
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.log(
    "| projects | resources | workers CPU s | wall s | peak MB | in-process CPU s / peak MB | workers ÷ in-process CPU | bare CPU s | ÷ bare | bare light CPU s | ÷ bare light | growth per doubling |",
  );
  for (const r of rows) console.log(r);
  const startup = (label: string, env: NodeJS.ProcessEnv) => {
    for (const args of [["--help"], ["validate", "examples/projects/hello.yaml"]]) {
      const fastest = best([0, 1, 2].map(() => timed(["node", "bin/odooops.js", ...args], env)));
      console.log(
        `${label} odooops ${args.join(" ")}: ${f(fastest.cpuS, 2)} s CPU, ${f(fastest.peakMb, 0)} MB`,
      );
    }
  };
  startup("bundle", { ...process.env, ODOOOPS_FROM_SOURCE: "0" });
  startup("sources", { ...process.env, ODOOOPS_FROM_SOURCE: "1" });
  console.log(`bare node: ${f(best([0, 1, 2].map(() => timed(["node", "-e", "0"]))).cpuS, 2)} s CPU`);
}
