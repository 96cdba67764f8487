import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { withoutPromiseTracking } from "../../../../cli/commands/plan/untracked-promises.ts";

type Wrap = (promise: Promise<unknown>, context: string) => Promise<unknown>;
const debuggable = createRequire(import.meta.url)("@pulumi/pulumi/runtime/debuggable.js") as {
  debuggablePromise: Wrap;
};

/**
 * The order in which wrapped promises settle among a ladder of plain microtasks: the wrapper's delay in
 * microtask turns, seen from outside, for a promise that fulfils and one that rejects.
 */
async function settleOrder(wrap: Wrap): Promise<string[]> {
  const events: string[] = [];
  let ladder = Promise.resolve();
  for (let turn = 0; turn < 6; turn++) ladder = ladder.then(() => void events.push(`turn ${turn}`));
  const ok = wrap(Promise.resolve("v"), "ok").then((v) => void events.push(`fulfilled ${String(v)}`));
  const bad = wrap(Promise.reject(new Error("no")), "bad").catch(
    (e: Error) => void events.push(`rejected ${e.message}`),
  );
  await Promise.all([ladder, ok, bad]);
  return events;
}

describe("withoutPromiseTracking", () => {
  it("settles every wrapped promise in the same microtask turn as the SDK's wrapper, so programs run in the same order", async () => {
    const tracked = await settleOrder((p, c) => debuggable.debuggablePromise(p, c));
    const undo = withoutPromiseTracking();
    let untracked: string[];
    try {
      untracked = await settleOrder((p, c) => debuggable.debuggablePromise(p, c));
    } finally {
      undo();
    }
    expect(untracked).toEqual(tracked);
    expect(tracked).toContain("fulfilled v");
    expect(tracked).toContain("rejected no");
  });

  it("does not keep the promise for the leak report, tags a rejection with its promise as the SDK does, and undoes", async () => {
    const tracked = debuggable.debuggablePromise;
    const undo = withoutPromiseTracking();
    try {
      expect(debuggable.debuggablePromise).not.toBe(tracked);
      const source = Promise.reject(new Error("no"));
      const error = await debuggable.debuggablePromise(source, "x").then(
        () => undefined,
        (e: unknown) => e as Error & { promise?: unknown },
      );
      expect(error?.promise).toBe(source);
      const pending = new Promise(() => {});
      const wrapped = debuggable.debuggablePromise(pending, "x");
      expect(Object.getOwnPropertyNames(pending)).not.toContain("_debugId");
      expect(wrapped).toBeInstanceOf(Promise);
    } finally {
      undo();
    }
    expect(debuggable.debuggablePromise).toBe(tracked);
  });
});
