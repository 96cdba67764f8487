import type { Worker } from "node:worker_threads";
import { startWorker } from "../../cli/worker-script.ts";
import type { MaskStrategy } from "../../model/data/masking.ts";
import { ValueBatch } from "./value-batch.ts";
import type { ValueHashes, ValueHashesState, ValueSink } from "./value-hashes.ts";
import type { FromValuesWorker, ToValuesWorker } from "./values-worker.ts";

/** Bytes of values per message to the worker. */
const BATCH_BYTES = 1 << 20;
/** Batches sent and not yet taken in before the dump stream waits: bounds the memory held in between. */
const MAX_IN_FLIGHT = 8;

/**
 * Registers a mask run's source values on a worker thread, beside the masking: at a million partners
 * the hashing and the value sets (hundreds of megabytes, every probe a cache miss) cost as much CPU as
 * the masking itself (bench/README.md). The masker copies each value's bytes into a batch; the worker
 * runs the same ValueHashes.add on them, in the same order, so it learns exactly what an in-thread
 * registration would; `finish` then hands its sets to `target`, which the leak scan reads.
 */
export class OffThreadValues implements ValueSink {
  readonly maskedColumns: Set<string>;
  private readonly worker: Worker;
  private readonly batch = new ValueBatch(BATCH_BYTES);
  private sent = 0;
  private taken = 0;
  private failure: Error | undefined;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private readonly state: Promise<ValueHashesState>;

  constructor(private readonly target: ValueHashes) {
    this.maskedColumns = target.maskedColumns;
    this.worker = startWorker("values-worker", new URL("./values-worker.ts", import.meta.url), {
      workerData: { seed: target.seed },
    });
    this.state = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= error;
        this.waiting?.reject(this.failure);
        this.waiting = undefined;
        reject(this.failure);
      };
      this.worker.on("message", (message: FromValuesWorker) => {
        if ("taken" in message) {
          this.taken = message.taken;
          if (this.waiting && this.sent - this.taken < MAX_IN_FLIGHT) {
            this.waiting.resolve();
            this.waiting = undefined;
          }
        } else if ("state" in message) resolve(message.state);
        else fail(new Error(`registering the source values for the leak scan failed: ${message.error}`));
      });
      this.worker.on("error", (error) =>
        fail(new Error(`registering the source values for the leak scan failed: ${error.message}`)),
      );
      this.worker.on("exit", (code) =>
        fail(new Error(`the thread registering source values for the leak scan stopped (code ${code})`)),
      );
    });
    this.state.catch(() => undefined);
  }

  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void {
    if (!this.batch.fits(end - start)) this.send();
    this.batch.add(bytes, start, end, kept, strategy);
  }

  ready(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.sent - this.taken < MAX_IN_FLIGHT) return undefined;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /** Sends what is left, waits for the worker to take everything in, and gives `target` its sets. */
  async finish(): Promise<void> {
    if (this.batch.length > 0) this.send();
    this.post({ end: true });
    this.target.adopt(await this.state);
    await this.worker.terminate();
  }

  /** Stops the worker; after a failed copy nothing is adopted. */
  async close(): Promise<void> {
    this.failure ??= new Error("value registration closed");
    await this.worker.terminate();
  }

  private send(): void {
    const { buffer, length } = this.batch.take();
    this.sent++;
    this.post({ batch: buffer, length }, [buffer]);
  }

  private post(message: ToValuesWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }
}

/**
 * Runs `work` with a sink that registers on a worker thread; once it succeeded, `target` holds every
 * value registered. The worker is stopped whatever happens.
 */
export async function registeringOffThread<T>(
  target: ValueHashes,
  work: (values: ValueSink) => Promise<T>,
): Promise<T> {
  const values = new OffThreadValues(target);
  try {
    const result = await work(values);
    await values.finish();
    return result;
  } finally {
    await values.close();
  }
}
