import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CapturedResource, captureProgram } from "../../cli/plan/capture.ts";
import { REDACTED, redact } from "../../cli/plan/decode.ts";
import { evaluatePolicies } from "../../cli/plan/evaluate.ts";
import { stagingStackOutputs } from "../../cli/plan/mock-outputs.ts";
import { runPlan } from "../../cli/plan/plan.ts";
import { type PlanReport, toPlannedResources } from "../../cli/plan/report.ts";
import { renderJson } from "../../cli/render/json.ts";
import { renderMarkdown } from "../../cli/render/markdown.ts";
import { renderText } from "../../cli/render/text.ts";
import { DataAgent } from "../../components/data-agent.ts";
import { Host } from "../../components/host.ts";
import { CONTROL_PLANE_KEY_PLACEHOLDER, Platform } from "../../components/platform.ts";
import { stackCost } from "../../model/cost.ts";
import type { PlatformPlan } from "../../model/environment-plan.ts";
import { PLATFORM_IMAGES } from "../../model/platform-images.ts";
import { writeProjects } from "../support/projects.ts";
import { catalog, plan, projectYaml } from "./support.ts";

/**
 * Production's data agent records its evidence in the control plane the stack configures
 * (odooops:controlPlaneUrl, secret odooops:controlPlaneKey): the agent container gets SUPABASE_URL and the
 * project's anon key and its own agent key as a secret — never the service-role key — no other agent gets
 * any, and no plan ever prints a key.
 */
const URL = "https://abcdefghijklmnop.supabase.co";
const KEY = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.YW5vbi1rZXktdGVzdA";
const AGENT_KEY = `odooops_ak_${"Q".repeat(43)}`;
const YAML = projectYaml("acme", "  staging: { clone: { strategy: dump } }\n");
const LIVE = catalog("acme", [
  ["release/v2", "b-2"],
  ["feature/login", "b-3"],
]);

function withControlPlane(p: PlatformPlan): PlatformPlan {
  return { ...p, settings: { ...p.settings, controlPlaneUrl: URL } };
}

/** The real program with the key as index.ts hands it over (a secret from Config.getSecret). */
async function capture(p: PlatformPlan, key: string | undefined) {
  const stack = p.settings.stages.includes("production") ? "prod" : "staging";
  const captured = await captureProgram(
    "odooops",
    stack,
    () =>
      new Platform("odooops", p, {
        deployKey: "deploy-key",
        controlPlaneKey: key,
        agentKeys: key ? { acme: AGENT_KEY } : undefined,
      }),
    { stackOutputs: stagingStackOutputs(p) },
  );
  return { stack, captured };
}

const agents = (captured: CapturedResource[]) =>
  captured.filter(
    (r) => r.type === "docker:index/container:Container" && r.name.endsWith("-agent-container"),
  );
const envs = (agent: CapturedResource) => agent.inputs.envs as string[];
const controlPlaneVars = (agent: CapturedResource) =>
  envs(agent).filter((e) => /^SUPABASE_|^ODOOOPS_CONTROL_PLANE|^ODOOOPS_AGENT_KEY/.test(e));

describe("the data agent and the control plane", () => {
  it("gives production's agent SUPABASE_URL, the anon key and its agent key, as a secret", async () => {
    const { captured } = await capture(withControlPlane(plan(YAML, LIVE, "prod")), KEY);
    const [agent, ...others] = agents(captured);
    expect(others).toEqual([]);
    expect(controlPlaneVars(agent!)).toEqual([
      `SUPABASE_URL=${URL}`,
      `SUPABASE_KEY=${KEY}`,
      `ODOOOPS_AGENT_KEY=${AGENT_KEY}`,
    ]);
    // The whole list is a secret: Pulumi stores it encrypted and the plan prints it redacted.
    expect(agent!.secretPaths).toContain("envs");
    expect(envs(agent!)).toEqual(
      expect.arrayContaining(["ODOOOPS_PROJECT=acme", "ODOOOPS_STAGE=production", "ODOOOPS_BRANCH=main"]),
    );
    // Anywhere but a secret input the key is absent: not in the stack settings, not in any component.
    for (const r of captured)
      for (const secret of [KEY, AGENT_KEY])
        expect(JSON.stringify(redact(r.inputs, r.secretPaths)), r.name).not.toContain(secret);
  });

  it("makes the agent's environment a secret even when nothing else in it is", async () => {
    const captured = await captureProgram("odooops", "prod", () => {
      const host = new Host(
        "h",
        {
          project: "acme",
          stage: "production",
          placement: "dedicated",
          dropletName: "acme-main",
          region: "sgp1",
          size: "s-2vcpu-4gb",
          volumeGb: 10,
          tags: [],
          reservedIp: false,
        },
        { vpcId: "vpc", sshKeyIds: [], deployKey: "deploy-key" },
      );
      const agent = { project: "acme", stage: "production" as const, image: PLATFORM_IMAGES.agent };
      new DataAgent(
        "with-agent",
        { ...agent, branch: "main", schedule: undefined },
        {
          host,
          env: [],
          controlPlane: { url: URL, key: KEY, agentKey: AGENT_KEY },
        },
      );
      new DataAgent("without-agent", { ...agent, branch: "main", schedule: undefined }, { host, env: [] });
    });
    const withKey = agents(captured).find((r) => r.name === "with-agent-container");
    const withoutKey = agents(captured).find((r) => r.name === "without-agent-container");
    expect(controlPlaneVars(withKey!)).toEqual([
      `SUPABASE_URL=${URL}`,
      `SUPABASE_KEY=${KEY}`,
      `ODOOOPS_AGENT_KEY=${AGENT_KEY}`,
    ]);
    expect(withKey!.secretPaths).toEqual(["envs"]);
    expect(controlPlaneVars(withoutKey!)).toEqual([]);
    expect(withoutKey!.secretPaths).toEqual([]);
  });

  it("gives no agent anything without the stack config", async () => {
    for (const stack of ["prod", "staging"] as const) {
      const { captured } = await capture(plan(YAML, LIVE, stack), undefined);
      expect(agents(captured).length).toBeGreaterThan(0);
      for (const agent of agents(captured)) expect(controlPlaneVars(agent), agent.name).toEqual([]);
    }
  });

  it("keeps the key off staging and development hosts, where nothing is recorded", async () => {
    const { captured } = await capture(withControlPlane(plan(YAML, LIVE, "staging")), KEY);
    expect(agents(captured).length).toBeGreaterThanOrEqual(2);
    for (const agent of agents(captured)) expect(controlPlaneVars(agent), agent.name).toEqual([]);
    expect(JSON.stringify(captured.map((r) => r.inputs))).not.toContain(KEY);
  });

  it("never prints the key in the plan, in any format, and the secrets policy passes", async () => {
    const p = withControlPlane(plan(YAML, LIVE, "prod"));
    const { stack, captured } = await capture(p, KEY);
    const violations = await evaluatePolicies(stack, captured);
    expect(violations.filter((v) => v.policy === "no-plaintext-secrets")).toEqual([]);
    const resources = toPlannedResources(stack, captured);
    const report: PlanReport = {
      stacks: [{ stack, stages: p.settings.stages, costs: stackCost(p), resources, violations }],
      resources,
      violations,
    };
    for (const render of [renderJson, renderText, renderMarkdown])
      for (const secret of [KEY, AGENT_KEY])
        expect(render(report).includes(secret), `${render.name} prints a key`).toBe(false);
    const agent = resources.find((r) => r.name.endsWith("-agent-container"))!;
    expect(agent.inputs.envs).toBe(REDACTED);
  });

  it("plans offline from the stack file, whose key it cannot decrypt, without printing a stand-in", async () => {
    const { dir } = writeProjects({});
    writeFileSync(
      join(dir, "Pulumi.prod.yaml"),
      [
        "config:",
        "  odooops:stages: [production]",
        "  odooops:platformDomain: odooops.example",
        "  odooops:region: sgp1",
        `  odooops:controlPlaneUrl: ${URL}`,
        "  odooops:controlPlaneKey:",
        "    secure: v1:ZW5jcnlwdGVkIGJ5IHRoZSBzdGFjaydzIHNlY3JldHMgcHJvdmlkZXI=",
        "",
      ].join("\n"),
    );
    const outcome = await runPlan({
      root: dir,
      files: ["examples/projects/hello.yaml"],
      stacks: ["prod"],
      catalogFile: "examples/catalog.example.json",
    });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    expect(outcome.report.violations.filter((v) => v.level === "mandatory")).toEqual([]);
    for (const render of [renderJson, renderText, renderMarkdown]) {
      const text = render(outcome.report);
      expect(text).not.toContain(CONTROL_PLANE_KEY_PLACEHOLDER);
      expect(text).not.toContain("ZW5jcnlwdGVk");
    }
  });
});
