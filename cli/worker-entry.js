// A worker thread started from the TypeScript sources begins here (cli/worker-script.ts): the thread has
// its own module loader, so it registers tsx again, as bin/odooops.js does, then runs the worker module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.workerModule);
