import * as random from "@pulumi/random";
import { describe, expect, it } from "vitest";
import { captureProgram } from "../../../../cli/commands/plan/capture.ts";

describe("capturing a program on the mock runtime", () => {
  it("records no stack trace while it runs, even where the SDK raises the limit itself", async () => {
    const before = Error.stackTraceLimit;
    let stack: string | undefined = "not run";
    const captured = await captureProgram("odooops", "test", () => {
      // What Resource.callsites() does for every resource.
      Error.stackTraceLimit = Number.POSITIVE_INFINITY;
      stack = new Error("probe").stack;
      return new random.RandomPassword("p", { length: 8 });
    });
    expect(stack).toBeUndefined();
    expect(captured.map((r) => r.type)).toContain("random:index/randomPassword:RandomPassword");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("after").stack).toContain("after");
  });
});

describe("the pinned-off stack capture is faithful", () => {
  it("captures the same resources, inputs and options as with the SDK's own stack traces", async () => {
    const { benchPlan } = await import("../../../../bench/plan-fixture.ts");
    const { Platform } = await import("../../../../components/platform.ts");
    const { stagingStackOutputs } = await import("../../../../cli/commands/plan/mock-outputs.ts");
    for (const stack of ["staging", "prod"] as const) {
      const plan = benchPlan(2, 4, stack);
      const run = (sdkTraces: boolean) =>
        captureProgram(
          "odooops",
          stack,
          () => {
            // As before: a plain number the SDK raises to Infinity around every resource.
            if (sdkTraces)
              Object.defineProperty(Error, "stackTraceLimit", {
                value: 10,
                writable: true,
                configurable: true,
              });
            return new Platform("odooops", plan);
          },
          { stackOutputs: stagingStackOutputs(plan) },
        );
      const pinned = await run(false);
      const traced = await run(true);
      expect(pinned.length).toBeGreaterThan(100);
      const byUrn = new Map(traced.map((r) => [r.urn, r]));
      expect(new Set(pinned.map((r) => r.urn))).toEqual(new Set(byUrn.keys()));
      for (const r of pinned) expect(r, r.urn).toEqual(byUrn.get(r.urn));
    }
  });
});
