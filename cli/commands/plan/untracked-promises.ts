import { createRequire } from "node:module";

type Wrap = <T>(promise: Promise<T>, context: unknown) => Promise<T>;

/**
 * The SDK module that wraps every promise it makes (`runtime/debuggable.js`). Its callers read
 * `debuggablePromise` from this exports object at each call, so replacing the export replaces it for
 * the whole SDK; the SDK is CommonJS, so `require` here is the instance `@pulumi/pulumi` loaded.
 */
const debuggable = createRequire(import.meta.url)("@pulumi/pulumi/runtime/debuggable.js") as {
  debuggablePromise: Wrap;
};

/**
 * While a program runs on the mock runtime, the SDK's promises are not tracked for its leak report.
 * `debuggablePromise` gives each promise an id, a context label and an `Error` for its stack (three
 * property definitions), keeps it in a set until it settles, and registers an exit hook reporting the
 * ones still pending: four to six promises per resource, about 4 % of a plan's CPU. A plan never
 * reaches that report (the capture awaits the SDK's own `disconnect()`, which waits for every pending
 * operation through a separate queue). What the wrapper does to the program is kept: the promise it
 * returns settles two microtask turns after the one it wraps (so everything runs in the same order as
 * with the SDK's own), and a rejection carries the promise on `err.promise`. Returns the undo.
 */
export function withoutPromiseTracking(): () => void {
  const tracked = debuggable.debuggablePromise;
  debuggable.debuggablePromise = untracked;
  return () => {
    debuggable.debuggablePromise = tracked;
  };
}

function untracked<T>(promise: Promise<T>): Promise<T> {
  return promise
    .then(undefined, (error: unknown) => {
      if (typeof error === "object" && error !== null) (error as { promise?: unknown }).promise = promise;
      throw error;
    })
    .then();
}
