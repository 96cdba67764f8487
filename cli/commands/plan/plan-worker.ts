import { parentPort, workerData } from "node:worker_threads";
import { useDigestKey } from "./changed-inputs.ts";
import { deferTypeScript } from "./defer-typescript.ts";
import type { ProjectFacts, ProjectTask } from "./project-task.ts";

/**
 * A plan worker (cli/commands/plan/worker-pool.ts): runs one project at a time and answers with its facts, so
 * only one project's resources are alive in this thread at any moment.
 */
export interface TaskMessage {
  id: number;
  task: ProjectTask;
}
export type ResultMessage = { id: number; facts: ProjectFacts } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("cli/commands/plan/plan-worker.ts runs as a worker thread only");
useDigestKey((workerData as { digestKey: Uint8Array }).digestKey);
// Before the SDK loads (project-task.ts imports it), so that its TypeScript compiler is not loaded.
deferTypeScript();
const { planOneProject } = await import("./project-task.ts");
port.on("message", async ({ id, task }: TaskMessage) => {
  let reply: ResultMessage;
  try {
    reply = { id, facts: await planOneProject(task) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
