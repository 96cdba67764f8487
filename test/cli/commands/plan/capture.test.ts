import * as random from "@pulumi/random";
import { describe, expect, it } from "vitest";
import { type CapturedResource, captureProgram } from "../../../../cli/commands/plan/capture.ts";
import { inReportOrder, reportOrderOf } from "../../../../cli/commands/plan/merge-facts.ts";
import { toPlannedResources } from "../../../../cli/commands/plan/report.ts";

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

describe("the light registration path (lazy outputs, light monitor) is faithful", () => {
  it("captures the examples exactly as the SDK's own path does, resource by resource", async () => {
    const { loadProjects } = await import("../../../../model/input/loader.ts");
    const { loadCatalogFile } = await import("../../../../model/input/catalog-loader.ts");
    const { readStackFile } = await import("../../../../model/input/stack-file.ts");
    const { planPlatform } = await import("../../../../model/plan/environment-plan.ts");
    const { Platform } = await import("../../../../components/platform.ts");
    const { stagingStackOutputs } = await import("../../../../cli/commands/plan/mock-outputs.ts");
    const { readdirSync } = await import("node:fs");
    const files = readdirSync("examples/projects")
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => `examples/projects/${f}`);
    const catalog = loadCatalogFile("examples/catalog.example.json").catalog!;
    for (const stack of ["staging", "prod"] as const) {
      const settings = readStackFile(".", stack).settings!;
      const plan = planPlatform(
        loadProjects(files, { platformDomain: settings.platformDomain }).projects,
        catalog,
        settings,
      );
      const run = (outputs: "lazy" | "eager") =>
        captureProgram(
          "odooops",
          stack,
          () => new Platform("odooops", plan),
          { stackOutputs: stagingStackOutputs(plan) },
          undefined,
          outputs,
        );
      const lazy = await run("lazy");
      const eager = await run("eager");
      expect(lazy.length).toBeGreaterThan(100);
      // Registration order is the SDK's scheduling (fewer protobuf hops reorder it); the report's order is not.
      expect(lazy.map((r) => r.urn).sort()).toEqual(eager.map((r) => r.urn).sort());
      const reported = (captured: CapturedResource[]) =>
        inReportOrder(toPlannedResources(stack, captured), [], reportOrderOf(plan)).resources.map(
          (r) => r.urn,
        );
      expect(reported(lazy)).toEqual(reported(eager));
      const byUrn = new Map(eager.map((r) => [r.urn, r]));
      for (const r of lazy) expect(r, r.urn).toEqual(byUrn.get(r.urn));
    }
  });

  it("builds an output only when the program reads it, resolved as the eager one would be", async () => {
    let password: random.RandomPassword | undefined;
    let read: unknown;
    await captureProgram("odooops", "test", () => {
      password = new random.RandomPassword("p", { length: 8 });
      // Not read yet: an accessor, no output built.
      expect(typeof Object.getOwnPropertyDescriptor(password, "bcryptHash")?.get).toBe("function");
      password.length.apply((v) => {
        read = v;
      });
    });
    expect(read).toBe(8);
    // Read after registration answered: the output replays the answer.
    const result = await new Promise((resolve) => password!.result.apply(resolve));
    expect(result).toBe("mock-password-p");
    expect(Object.getOwnPropertyDescriptor(password!, "result")?.get).toBeUndefined();
  });
});
