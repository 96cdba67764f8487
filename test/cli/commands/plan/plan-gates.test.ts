import { describe, expect, it } from "vitest";
import { runCli } from "../../../support/cli.ts";
import { EXAMPLE_CATALOG, EXAMPLE_PROJECTS } from "../../../support/projects.ts";

interface JsonPlan {
  violations: { policy: string; level: string; project: string | null; message: string }[];
}

const NOW = ["--now", "2026-12-01T00:00:00Z"];
const CONTROL_PLANE_ENV = [
  "ODOOOPS_CONTROL_PLANE_URL",
  "SUPABASE_URL",
  "SUPABASE_KEY",
  "SUPABASE_ACCESS_TOKEN",
];

/** The stack files name no catalog: without a control plane the plan has no release data at all. */
async function gateFindings(...args: string[]) {
  const saved = CONTROL_PLANE_ENV.map((k) => [k, process.env[k]] as const);
  for (const k of CONTROL_PLANE_ENV) delete process.env[k];
  try {
    const { code, stdout, stderr } = await runCli(
      "plan",
      ...EXAMPLE_PROJECTS,
      "--stack",
      "prod",
      "--json",
      ...NOW,
      ...args,
    );
    if (code === 2) throw new Error(stderr);
    const plan = JSON.parse(stdout) as JsonPlan;
    return { code, gates: plan.violations.filter((v) => v.policy === "release-gates-passed") };
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
}

describe("release gates in a plan without a control plane (fork PRs, local runs)", () => {
  it("are advice that says they were not evaluated, never example data and never a failure", async () => {
    const { code, gates } = await gateFindings();
    expect(code).toBe(0);
    expect(gates.map((g) => g.project).sort()).toEqual(["acme-erp", "hello"]);
    for (const gate of gates) {
      expect(gate.level).toBe("advisory");
      expect(gate.message).toContain("release gates not evaluated (no control plane)");
    }
  });

  it("are evaluated against a catalog named on the command line", async () => {
    const { gates } = await gateFindings("--catalog", EXAMPLE_CATALOG);
    // The example catalog's releases passed G1–G3: evaluated, nothing to report.
    expect(gates).toEqual([]);
  });
});
