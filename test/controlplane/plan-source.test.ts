import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPlan } from "../../cli/plan/plan.ts";
import { CONTROL_PLANE_SOURCE, catalogSource } from "../../controlplane/catalog-source.ts";
import { image, PEOPLE, seedProject } from "./support/fixtures.ts";
import { type AdapterHarness, pgHarness } from "./support/harness.ts";

/** The offline plan reads live branches and release gates from the control plane when one is configured. */
describe("offline plan: build catalog from the control plane", () => {
  let h: AdapterHarness;
  const saved = { ...process.env };
  const previewImage = image("control-plane-only-preview");

  beforeAll(async () => {
    h = await pgHarness();
    await seedProject(h.as("service"), "acme-erp");
    await h.as("service").recordBuild({
      project: "acme-erp",
      branch: "feature/cp-only",
      stage: "development",
      build: "b-cp-1",
      image: previewImage,
      commit: "abcdef123456",
      builtAt: new Date().toISOString(),
    });
    for (const key of ["SUPABASE_URL", "SUPABASE_KEY", "SUPABASE_SERVICE_ROLE_KEY", "ODOOOPS_ACTOR"])
      delete process.env[key];
  });
  afterAll(async () => {
    process.env = saved;
    await h.close();
  });

  const plan = () =>
    runPlan({
      root: ".",
      files: ["examples/projects/acme-erp.yaml"],
      stacks: ["staging"],
      catalogFile: undefined,
    });

  it("chooses an explicit file first, then a configured control plane, then the stack's file", () => {
    const env = { ODOOOPS_CONTROL_PLANE_URL: "postgresql://x@127.0.0.1/db" };
    expect(catalogSource("mine.json", "stack.json", env)).toBe("mine.json");
    expect(catalogSource(undefined, "stack.json", env)).toBe(CONTROL_PLANE_SOURCE);
    expect(catalogSource(undefined, "stack.json", {})).toBe("stack.json");
  });

  it("plans the previews the control plane knows of, and only those", async () => {
    process.env.ODOOOPS_CONTROL_PLANE_URL = h.db.url;
    const fromControlPlane = await plan();
    expect(fromControlPlane.ok).toBe(true);
    expect(JSON.stringify(fromControlPlane)).toContain(previewImage);

    process.env.ODOOOPS_ACTOR = PEOPLE.dev.login; // a member sees the same project through RLS
    expect(JSON.stringify(await plan())).toContain(previewImage);
    delete process.env.ODOOOPS_ACTOR;

    delete process.env.ODOOOPS_CONTROL_PLANE_URL;
    const fromFile = await plan();
    expect(fromFile.ok).toBe(true);
    expect(JSON.stringify(fromFile)).not.toContain(previewImage);
  });

  it("refuses to plan on a misconfigured or unreachable control plane instead of planning without it", async () => {
    process.env.ODOOOPS_CONTROL_PLANE_URL = "mysql://nope";
    const bad = await plan();
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain("must be a postgresql:// URL");
    process.env.ODOOOPS_CONTROL_PLANE_URL = "postgresql://postgres:hunter2@127.0.0.1:1/odooops";
    const down = await plan();
    expect(down.ok).toBe(false);
    expect(JSON.stringify(down)).toContain("cannot read the build catalog");
    expect(JSON.stringify(down)).not.toContain("hunter2");
    delete process.env.ODOOOPS_CONTROL_PLANE_URL;
  });
});
