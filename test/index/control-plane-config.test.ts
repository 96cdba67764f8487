import { afterEach, describe, expect, it, vi } from "vitest";
import { prodConfig, runProgram } from "./support.ts";

/**
 * index.ts reads the control plane production's agent records evidence in from the stack config: the
 * URL as plain config, the anon key and each project's agent key as Pulumi secrets
 * (`pulumi config set --secret`). No agent ever gets the service-role key.
 */
const KEY = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.program-test-key";
const agentKey = (project: string) =>
  `odooops_ak_${project
    .replace(/[^a-z]/g, "")
    .padEnd(43, "x")
    .slice(0, 43)}`;
const URL = "https://abcdefghijklmnop.supabase.co";
/** The example projects, each with a production agent in the prod stack. */
const PROJECTS = ["acme-erp", "hello"];

afterEach(() => {
  vi.resetModules();
});

describe("index.ts and the control plane config", () => {
  it("hands each production agent the URL, the anon key and its own project's agent key, as secrets", async () => {
    const keys = Object.fromEntries(PROJECTS.map((p) => [p, agentKey(p)]));
    const captured = await runProgram(
      prodConfig({
        "odooops:controlPlaneUrl": URL,
        "odooops:controlPlaneKey": KEY,
        "odooops:agentKeys": JSON.stringify(keys),
      }),
      ["odooops:controlPlaneKey", "odooops:agentKeys"],
    );
    const agents = captured.filter((r) => r.name.endsWith("-agent-container"));
    expect(agents.length).toBe(2);
    for (const agent of agents) {
      const envs = agent.inputs.envs as string[];
      const project = envs.find((e) => e.startsWith("ODOOOPS_PROJECT="))!.split("=")[1]!;
      // In the agent's environment file (model/plan/agent-env-file.ts), never its container environment.
      const [file] = agent.inputs.uploads as { file: string; content: string }[];
      const held = file!.content.trimEnd().split("\n");
      expect(held).toEqual(
        expect.arrayContaining([
          `SUPABASE_URL=${URL}`,
          `SUPABASE_KEY=${KEY}`,
          `ODOOOPS_AGENT_KEY=${keys[project]}`,
        ]),
      );
      const others = PROJECTS.filter((p) => p !== project).map((p) => keys[p]);
      expect(held.filter((e) => others.some((k) => e.includes(k!)) || e.includes("SERVICE_ROLE"))).toEqual(
        [],
      );
      expect(JSON.stringify(envs)).not.toContain(KEY);
      expect(agent.secretPaths).toEqual(["uploads"]);
    }
    const platform = captured.find((r) => r.type === "odooops:platform:Platform")!;
    expect(platform.inputs.settings).toMatchObject({ controlPlaneUrl: URL });
    expect(JSON.stringify(platform.inputs)).not.toContain(KEY);
  });

  it("refuses a URL without its key, naming the command that sets it", async () => {
    await expect(runProgram(prodConfig({ "odooops:controlPlaneUrl": URL }), [])).rejects.toThrow(
      "stack config odooops:controlPlaneUrl is set but odooops:controlPlaneKey is not: pulumi config set --secret odooops:controlPlaneKey <the project's anon key>",
    );
  });
});
