import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { captureProgram } from "../../cli/plan/capture.ts";
import "./support.ts"; // index.ts reads the example projects

/** Stack config the way the Pulumi CLI hands it to a program: every value a string, objects as JSON. */
function stackConfig(stack: string): Record<string, string> {
  const { config } = parse(readFileSync(`Pulumi.${stack}.yaml`, "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

describe("index.ts, the entry point `pulumi up` runs", () => {
  it("builds the prod stack from its config and the project files, and exports production's identity", async () => {
    let exported: Record<string, unknown> = {};
    const captured = await captureProgram("odooops", "prod", async () => {
      pulumi.runtime.setAllConfig(stackConfig("prod"));
      exported = (await import("../../index.ts")) as Record<string, unknown>;
    });
    const projects = captured.filter((r) => r.type === "odooops:project:Project").map((r) => r.name);
    expect(projects.sort()).toEqual(["acme-erp", "hello"]);
    const environments = captured.filter((r) => r.type === "odooops:environment:Environment");
    expect(environments.map((r) => (r.inputs.plan as { stage: string }).stage)).toEqual([
      "production",
      "production",
    ]);
    expect(exported).toHaveProperty("production");
    expect(exported).toHaveProperty("backupReaders");
    // The deploy workflow records and health-checks each of these after `pulumi up`.
    expect(exported.deployed).toContainEqual(
      expect.objectContaining({
        project: "hello",
        branch: "main",
        stage: "production",
        url: "https://hello.odooops.example",
      }),
    );
  });
});
