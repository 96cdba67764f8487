import { parentPort, workerData } from "node:worker_threads";
import { replayBatch } from "./value-batch.ts";
import { ValueHashes, type ValueHashesState } from "./value-hashes.ts";

/**
 * The thread that registers a mask run's source values (off-thread-values.ts): it takes batches in the
 * order the masker wrote them and, at the end, hands back what it learned, its arrays transferred.
 */
export type ToValuesWorker = { batch: ArrayBuffer; length: number } | { end: true };
export type FromValuesWorker = { taken: number } | { state: ValueHashesState } | { error: string };

const port = parentPort;
if (!port) throw new Error("agent/mask/values-worker.ts runs as a worker thread only");
const hashes = new ValueHashes((workerData as { seed: number }).seed);
let taken = 0;
port.on("message", (message: ToValuesWorker) => {
  try {
    if ("batch" in message) {
      replayBatch(new Uint8Array(message.batch, 0, message.length), hashes);
      port.postMessage({ taken: ++taken } satisfies FromValuesWorker);
    } else {
      port.postMessage({ state: hashes.state() } satisfies FromValuesWorker, hashes.buffers());
    }
  } catch (error) {
    port.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies FromValuesWorker);
  }
});
