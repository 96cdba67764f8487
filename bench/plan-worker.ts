/**
 * One measurement of the plan benchmark, in a process of its own so that peak memory is this run's.
 *   plan <projects> <branches> <file>  the offline plan's work for both stacks (model → program →
 *                                      capture); writes what it registered to <file>
 *   plan-sdk-traces <projects> <branches> <file>  the same, with the SDK's per-resource stack traces
 *   replay <file>                      the SDK alone registering exactly those resources: same
 *                                      classes, names and input values, flat, no program around them
 *   trivial <file>                     the SDK registering as many one-property resources on its own
 *                                      mock runtime (its mock monitor, every output built): the bare
 *                                      registration issue #20 measures the plan against
 *   trivial-light <file>               the same on the plan's lighter runtime (capture.ts "lazy"), so the
 *                                      runtime's own savings show apart from the program's cost
 * Prints one JSON line: { mode, resources, ms, cpuMs, peakRssMb } (cpuMs: user + system CPU of the
 * timed part, steadier than wall time on a shared machine).
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as command from "@pulumi/command";
import * as digitalocean from "@pulumi/digitalocean";
import * as docker from "@pulumi/docker";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { captureProgram } from "../cli/commands/plan/capture.ts";
import { stagingStackOutputs } from "../cli/commands/plan/mock-outputs.ts";
import { Platform } from "../components/platform.ts";
import { benchPlan } from "./plan-fixture.ts";

const STACKS = ["staging", "prod"] as const;
interface Registered {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}
type Recording = Record<(typeof STACKS)[number], Registered[]>;

/**
 * As before efc085c: `Error.stackTraceLimit` a plain 0 the SDK raises to Infinity for every resource
 * (Resource.callsites), so V8 records a full trace per resource. For the before/after column.
 */
function sdkStackTraces(): void {
  Object.defineProperty(Error, "stackTraceLimit", {
    value: 0,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

async function planRun(projects: number, branches: number, file: string, traces = false): Promise<number> {
  const recording = {} as Recording;
  for (const stack of STACKS) {
    const plan = benchPlan(projects, branches, stack);
    const stackOutputs = stagingStackOutputs(plan);
    const program = () => {
      if (traces) sdkStackTraces();
      return new Platform("odooops", plan);
    };
    const captured = await captureProgram("odooops", stack, program, { stackOutputs });
    recording[stack] = captured.map(({ type, name, custom, inputs }) => ({ type, name, custom, inputs }));
  }
  writeFileSync(file, JSON.stringify(recording));
  return STACKS.reduce((n, s) => n + recording[s].length, 0);
}

const PACKAGES: Record<string, unknown> = { command, digitalocean, docker, github, random };
type ResourceClass = new (name: string, args: Record<string, unknown>) => pulumi.Resource;

/** The provider class of a type token: `pkg:index/x:Name` → pkg.Name, `pkg:mod:Name` → pkg.mod.Name. */
function classOf(type: string): ResourceClass | undefined {
  const [pkg, mod, name] = type.split(":");
  if (pkg === "pulumi" && mod === "providers")
    return (PACKAGES[name!] as { Provider: ResourceClass }).Provider;
  const root = PACKAGES[pkg!] as Record<string, unknown> | undefined;
  if (!root) return undefined;
  const scope = mod!.startsWith("index") ? root : (root[mod!] as Record<string, unknown>);
  return scope[name!] as ResourceClass;
}

class Component extends pulumi.ComponentResource {
  constructor(type: string, name: string, inputs: Record<string, unknown>) {
    super(type, name, inputs);
    this.registerOutputs({});
  }
}

class Trivial extends pulumi.CustomResource {
  constructor(name: string) {
    super("bench:index:Trivial", name, { value: name });
  }
}

async function replayRun(
  file: string,
  trivial: boolean,
  runtime: "lazy" | "eager" = "lazy",
): Promise<{ ms: number; cpuMs: number }> {
  const recording = JSON.parse(readFileSync(file, "utf8")) as Recording;
  // Resolve the classes first: loading provider modules is not registration.
  const classes = new Map(STACKS.flatMap((s) => recording[s]).map((r) => [r.type, classOf(r.type)]));
  const register = (r: Registered) => {
    if (trivial) new Trivial(r.name);
    else if (!r.custom) new Component(r.type, r.name, r.inputs);
    else {
      const Class = classes.get(r.type);
      if (!Class) throw new Error(`no provider class for ${r.type}`);
      new Class(r.name, r.inputs);
    }
  };
  // Warm up once, untimed, as the plan does before its timed run.
  const warmup = () => recording.staging.slice(0, 300).forEach(register);
  await captureProgram("bench", "warmup", warmup, undefined, undefined, runtime);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const stack of STACKS)
    await captureProgram(
      "bench",
      stack,
      () => {
        for (const r of recording[stack]) register(r);
      },
      undefined,
      undefined,
      runtime,
    );
  return { ms: performance.now() - start, cpuMs: cpuMsSince(cpu) };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

const [mode, ...args] = process.argv.slice(2);
let ms: number;
let cpuMs: number;
let resources: number;
if (mode === "plan" || mode === "plan-sdk-traces") {
  // Load provider modules and warm up once, untimed, as the replay does before its timed run.
  await planRun(1, 2, `${args[2]}.warmup`);
  const start = performance.now();
  const cpu = process.cpuUsage();
  resources = await planRun(Number(args[0]), Number(args[1]), args[2]!, mode === "plan-sdk-traces");
  ms = performance.now() - start;
  cpuMs = cpuMsSince(cpu);
} else {
  const recording = JSON.parse(readFileSync(args[0]!, "utf8")) as Recording;
  resources = STACKS.reduce((n, s) => n + recording[s].length, 0);
  const trivial = mode === "trivial" || mode === "trivial-light";
  ({ ms, cpuMs } = await replayRun(args[0]!, trivial, mode === "trivial" ? "eager" : "lazy"));
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, resources, ms, cpuMs, peakRssMb }));
