import { parentPort, workerData } from "node:worker_threads";
import { useDigestKey } from "./changed-inputs.ts";
import { type ProjectTask, planOneProject } from "./project-task.ts";

/**
 * A plan worker (cli/commands/plan/worker-pool.ts): runs one project at a time and answers with its facts, so
 * only one project's resources are alive in this thread at any moment.
 */
export interface TaskMessage {
  id: number;
  task: ProjectTask;
}
export type ResultMessage =
  | { id: number; facts: Awaited<ReturnType<typeof planOneProject>> }
  | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error("cli/commands/plan/plan-worker.ts runs as a worker thread only");
useDigestKey((workerData as { digestKey: Uint8Array }).digestKey);
port.on("message", async ({ id, task }: TaskMessage) => {
  let reply: ResultMessage;
  try {
    reply = { id, facts: await planOneProject(task) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
