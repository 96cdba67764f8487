import { afterEach, describe, expect, it, vi } from "vitest";
import { prodConfig, runProgram } from "./support.ts";

/**
 * index.ts reads the control plane production's agent records evidence in from the stack config: the
 * URL as plain config, the service-role key as a Pulumi secret (`pulumi config set --secret`).
 */
const KEY = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.program-test-key";
const URL = "https://abcdefghijklmnop.supabase.co";

afterEach(() => {
  vi.resetModules();
});

describe("index.ts and the control plane config", () => {
  it("hands production's agents the URL and the secret key", async () => {
    const captured = await runProgram(
      prodConfig({ "odooops:controlPlaneUrl": URL, "odooops:controlPlaneKey": KEY }),
      ["odooops:controlPlaneKey"],
    );
    const agents = captured.filter((r) => r.name.endsWith("-agent-container"));
    expect(agents.length).toBe(2);
    for (const agent of agents) {
      expect(agent.inputs.envs).toEqual(
        expect.arrayContaining([`SUPABASE_URL=${URL}`, `SUPABASE_SERVICE_ROLE_KEY=${KEY}`]),
      );
      expect(agent.secretPaths).toContain("envs");
    }
    const platform = captured.find((r) => r.type === "odooops:platform:Platform")!;
    expect(platform.inputs.settings).toMatchObject({ controlPlaneUrl: URL });
    expect(JSON.stringify(platform.inputs)).not.toContain(KEY);
  });

  it("refuses a URL without its key, naming the command that sets it", async () => {
    await expect(runProgram(prodConfig({ "odooops:controlPlaneUrl": URL }), [])).rejects.toThrow(
      "stack config odooops:controlPlaneUrl is set but odooops:controlPlaneKey is not: pulumi config set --secret odooops:controlPlaneKey <service-role key>",
    );
  });
});
