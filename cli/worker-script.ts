import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread running `bundled` (an entry of scripts/build-cli.mjs, dist/<bundled>.js) when
 * this code runs from the bundle, else the TypeScript module `source` through tsx (cli/worker-entry.js).
 */
export function startWorker(
  bundled: string,
  source: URL,
  options: WorkerOptions & { workerData?: Record<string, unknown> } = {},
): Worker {
  if (!import.meta.url.endsWith(".ts"))
    return new Worker(new URL(`./${bundled}.js`, import.meta.url), options);
  return new Worker(new URL("./worker-entry.js", import.meta.url), {
    ...options,
    workerData: { ...options.workerData, workerModule: source.href },
  });
}
