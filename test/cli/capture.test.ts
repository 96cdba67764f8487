import * as random from "@pulumi/random";
import { describe, expect, it } from "vitest";
import { captureProgram } from "../../cli/plan/capture.ts";

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
