import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CapturedResource, captureProgram } from "../../cli/commands/plan/capture.ts";
import { REDACTED, redact } from "../../cli/commands/plan/decode.ts";
import { evaluatePolicies } from "../../cli/commands/plan/evaluate.ts";
import { stagingStackOutputs } from "../../cli/commands/plan/mock-outputs.ts";
import { runPlan } from "../../cli/commands/plan/plan.ts";
import { renderJson } from "../../cli/commands/plan/render/json.ts";
import { renderMarkdown } from "../../cli/commands/plan/render/markdown.ts";
import { renderText } from "../../cli/commands/plan/render/text.ts";
import { type PlanReport, toPlannedResources } from "../../cli/commands/plan/report.ts";
import { DataAgent } from "../../components/data-agent.ts";
import { Host } from "../../components/host.ts";
import { CONTROL_PLANE_KEY_PLACEHOLDER, Platform } from "../../components/platform.ts";
import { AGENT_ENV_FILE, AGENT_ENV_FILE_VAR } from "../../model/plan/agent-env-file.ts";
import { stackCost } from "../../model/plan/cost.ts";
import type { PlatformPlan } from "../../model/plan/environment-plan.ts";
import { PLATFORM_IMAGES } from "../../model/plan/platform-images.ts";
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
/** The lines of the agent's environment file: where its keys are, never its container environment. */
const envFile = (agent: CapturedResource) => {
  const uploads = (agent.inputs.uploads ?? []) as { file: string; content: string }[];
  const file = uploads.find((u) => u.file === AGENT_ENV_FILE);
  return file ? file.content.trimEnd().split("\n") : [];
};
const CONTROL_PLANE_VAR = /^SUPABASE_|^ODOOOPS_CONTROL_PLANE|^ODOOOPS_AGENT_KEY/;
const controlPlaneVars = (agent: CapturedResource) => envFile(agent).filter((e) => CONTROL_PLANE_VAR.test(e));

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
    // The file is a secret: Pulumi stores it encrypted and the plan prints it redacted. The container's
    // environment, which docker inspect prints, names the file and holds nothing secret.
    expect(agent!.secretPaths).toEqual(["uploads"]);
    expect(envs(agent!)).toEqual([
      "ODOOOPS_PROJECT=acme",
      "ODOOOPS_STAGE=production",
      "ODOOOPS_BRANCH=main",
      `${AGENT_ENV_FILE_VAR}=${AGENT_ENV_FILE}`,
    ]);
    // Production's data credentials are in the file too.
    expect(envFile(agent!).map((line) => line.slice(0, line.indexOf("=")))).toEqual(
      expect.arrayContaining(["ODOOOPS_DB_URL", "ODOOOPS_PRODUCTION_DB_URL", "AWS_SECRET_ACCESS_KEY"]),
    );
    expect(agent!.inputs.uploads).toEqual([
      expect.objectContaining({ file: AGENT_ENV_FILE, permissions: "0444" }),
    ]);
    // Anywhere but a secret input the key is absent: not in the stack settings, not in any component.
    for (const r of captured)
      for (const secret of [KEY, AGENT_KEY])
        expect(JSON.stringify(redact(r.inputs, r.secretPaths)), r.name).not.toContain(secret);
  });

  it("makes the agent's environment file a secret even when nothing else in it is", async () => {
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
        { host, controlPlane: { url: URL, key: KEY, agentKey: AGENT_KEY } },
      );
      new DataAgent("without-agent", { ...agent, branch: "main", schedule: undefined }, { host });
    });
    const withKey = agents(captured).find((r) => r.name === "with-agent-container");
    const withoutKey = agents(captured).find((r) => r.name === "without-agent-container");
    expect(controlPlaneVars(withKey!)).toEqual([
      `SUPABASE_URL=${URL}`,
      `SUPABASE_KEY=${KEY}`,
      `ODOOOPS_AGENT_KEY=${AGENT_KEY}`,
    ]);
    expect(withKey!.secretPaths).toEqual(["uploads"]);
    // An agent holding nothing gets no file, and its environment does not name one.
    expect(withoutKey!.inputs.uploads).toBeUndefined();
    expect(envs(withoutKey!).some((e) => e.startsWith(AGENT_ENV_FILE_VAR))).toBe(false);
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
    expect(agent.inputs.uploads).toBe(REDACTED);
    expect(agent.inputs.envs).toContain(`${AGENT_ENV_FILE_VAR}=${AGENT_ENV_FILE}`);
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
