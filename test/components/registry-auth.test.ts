import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { captureProgram } from "../../cli/plan/capture.ts";
import { stagingStackOutputs } from "../../cli/plan/mock-outputs.ts";
import { runPlan } from "../../cli/plan/plan.ts";
import { toPlannedResources } from "../../cli/plan/report.ts";
import { renderJson } from "../../cli/render/json.ts";
import { renderMarkdown } from "../../cli/render/markdown.ts";
import { renderText } from "../../cli/render/text.ts";
import { Platform } from "../../components/platform.ts";
import { stackCost } from "../../model/cost.ts";
import type { PlatformPlan } from "../../model/environment-plan.ts";
import { catalog, plan, projectYaml } from "./support.ts";

const TOKEN = "ghp_readonlyTOKENthatMustNeverBePrinted0123";
const yaml = projectYaml("acme", "  staging: { clone: { strategy: dump } }\n");
const live = catalog("acme", [
  ["release/v2", "b-2"],
  ["feature/login", "b-3"],
]);

async function capture(p: PlatformPlan, stack: "staging" | "prod") {
  return captureProgram(
    "odooops",
    stack,
    () =>
      new Platform("odooops", p, {
        deployKey: "k",
        registryAuth: { acme: { address: "ghcr.io", username: "acme-bot", token: TOKEN } },
      }),
    { stackOutputs: stagingStackOutputs(p) },
  );
}

describe("registry credentials", () => {
  it.each(["staging", "prod"] as const)(
    "reach every host's Docker provider as a secret, and every image is pulled through one (%s)",
    async (stack) => {
      const p = plan(yaml, live, stack);
      const captured = await capture(p, stack);
      const providers = captured.filter((r) => r.type === "pulumi:providers:docker");
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        const auth = provider.inputs.registryAuth;
        const entries = typeof auth === "string" ? JSON.parse(auth) : auth;
        expect(entries, provider.name).toEqual([
          { address: "ghcr.io", username: "acme-bot", password: TOKEN },
        ]);
        expect(
          provider.secretPaths.some((path) => path.startsWith("registryAuth")),
          provider.name,
        ).toBe(true);
      }
      const providerUrns = new Set(providers.map((r) => r.urn));
      for (const image of captured.filter((r) => r.type === "docker:index/remoteImage:RemoteImage"))
        expect(
          providerUrns.has(String(image.options.provider).split("::").slice(0, -1).join("::")),
          image.name,
        ).toBe(true);
    },
  );

  it("never appear in the printed plan, in any format", async () => {
    const stacks = [];
    for (const stack of ["staging", "prod"] as const) {
      const p = plan(yaml, live, stack);
      const captured = await capture(p, stack);
      stacks.push({
        stack,
        stages: p.settings.stages,
        costs: stackCost(p),
        resources: toPlannedResources(stack, captured),
        violations: [],
      });
    }
    const report = { stacks, resources: stacks.flatMap((s) => s.resources), violations: [] };
    for (const render of [renderJson, renderText, renderMarkdown])
      expect(render(report).includes(TOKEN), render.name).toBe(false);
    expect(renderJson(report)).toContain("registryAuth");
  });

  it("show as wired in the offline plan when the stack file has them, the token a placeholder", async () => {
    const prodFile = readFileSync("Pulumi.prod.yaml", "utf8").replace(
      /^config:\n/m,
      "config:\n  odooops:registryAuth:\n    acme-erp:\n      username: acme-bot\n      token:\n        secure: v1:AAAA\n",
    );
    const outcome = await runPlan({
      root: ".",
      files: ["examples/projects/acme-erp.yaml", "examples/projects/hello.yaml"],
      stacks: ["prod"],
      catalogFile: "examples/catalog.example.json",
      read: (file) => (file.endsWith("Pulumi.prod.yaml") ? prodFile : readFileSync(file, "utf8")),
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const providers = outcome.report.resources.filter((r) => r.type === "pulumi:providers:docker");
    const shown = (name: string) => JSON.stringify(providers.filter((r) => r.name.startsWith(name)));
    // A provider's settings travel as one JSON string, secret as a whole when any part of it is.
    expect(shown("acme-erp-")).toContain('"registryAuth":"[secret]"');
    expect(shown("hello-")).not.toContain("registryAuth");
    for (const render of [renderJson, renderText, renderMarkdown])
      expect(render(outcome.report)).not.toContain("read-only token supplied at deploy time");
  });

  it("are left out of a project that has none", async () => {
    const p = plan(yaml, live, "prod");
    const captured = await captureProgram("odooops", "prod", () => new Platform("odooops", p), {
      stackOutputs: stagingStackOutputs(p),
    });
    for (const provider of captured.filter((r) => r.type === "pulumi:providers:docker"))
      expect(provider.inputs.registryAuth).toBeUndefined();
  });
});
