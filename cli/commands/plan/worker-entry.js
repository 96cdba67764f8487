// A plan worker thread starts here: the worker is TypeScript, and tsx compiles it on the fly as it does
// for bin/odooops.js (the thread has its own module loader, so it registers tsx again).
import { register } from "tsx/esm/api";

register();
await import("./plan-worker.ts");
