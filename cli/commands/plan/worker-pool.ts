import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startWorker } from "../../worker-script.ts";
import { digestKey } from "./changed-inputs.ts";
import type { ResultMessage } from "./plan-worker.ts";
import type { ProjectFacts, ProjectTask } from "./project-task.ts";

/**
 * A worker is replaced after this many projects, so whatever the SDK might keep between runs stays
 * bounded. Starting a worker costs about a second of CPU (loading the SDK), so it is large: a worker
 * serving all 200 projects of both stacks peaked no higher than workers replaced every 25 projects
 * (bench/README.md), and replacing them every 25 cost 15 % more CPU.
 */
const PROJECTS_PER_WORKER = 250;

/**
 * The young generation of a worker (V8's semi-spaces and the young large-object space): the plan
 * allocates many short-lived promises, and a larger nursery (like `--max-semi-space-size=64`) spends
 * measurably less time in scavenges (bench/README.md).
 */
const YOUNG_GENERATION_MB = 192;

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs every task on a pool of `size` worker threads, one project per worker at a time, and returns
 * the facts in task order. `onDone` is told after each project. The first failure rejects the whole
 * run (and stops the pool): a plan is complete or it is not shown.
 */
export async function runInWorkers(
  tasks: readonly ProjectTask[],
  size: number,
  onDone?: (done: number, total: number) => void,
): Promise<ProjectFacts[]> {
  const results: ProjectFacts[] = new Array(tasks.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const workers = new Set<Worker>();
  const lane = async (): Promise<void> => {
    while (!failed && next < tasks.length) {
      const worker = startWorker("plan-worker", new URL("./plan-worker.ts", import.meta.url), {
        workerData: { digestKey: digestKey() },
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      workers.add(worker);
      try {
        for (let served = 0; served < PROJECTS_PER_WORKER && !failed && next < tasks.length; served++) {
          const id = next++;
          results[id] = await ask(worker, id, tasks[id]!);
          onDone?.(++done, tasks.length);
        }
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        workers.delete(worker);
        await worker.terminate();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(size, tasks.length)) }, lane));
  } finally {
    await Promise.all([...workers].map((w) => w.terminate()));
  }
  return results;
}

function ask(worker: Worker, id: number, task: ProjectTask): Promise<ProjectFacts> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (message: ResultMessage) => {
      if (message.id !== id) return;
      cleanup();
      if ("error" in message) reject(new Error(`${task.file} (${task.stack}): ${message.error}`));
      else resolve(message.facts);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the plan worker for ${task.file} (${task.stack}) stopped with code ${code}`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ id, task });
  });
}
