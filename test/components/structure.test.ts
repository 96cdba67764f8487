import { describe, expect, it } from "vitest";
import { catalog, plan, projectYaml, run } from "./support.ts";

const FULL = projectYaml(
  "acme",
  `  staging: { clone: { strategy: fork } }
  development: { placement: shared }
`,
  "domains: [erp.acme.example]\n",
);
const LIVE = catalog("acme", [
  ["release/v2", "b-2"],
  ["feature/login", "b-3"],
  ["feature/cart", "b-4"],
]);

describe.each(["staging", "prod"] as const)("the %s stack's resource graph", (stack) => {
  it("parents every resource under the platform and names children after their parent", async () => {
    const graph = await run(plan(FULL, LIVE, stack));
    for (const r of graph.resources) {
      if (r.type === "odooops:platform:Platform") continue;
      expect(r.parent, `${r.type} ${r.name} has no parent`).toBeDefined();
      const parent = graph.byUrn.get(r.parent!)!;
      if (parent.type === "odooops:platform:Platform" || parent.type === "odooops:project:Project") continue;
      expect(r.name.startsWith(`${parent.name}-`), `${r.name} is not named after ${parent.name}`).toBe(true);
    }
  });

  it("registers components under odooops:<module>:<Name> type tokens", async () => {
    const graph = await run(plan(FULL, LIVE, stack));
    const components = graph.resources.filter((r) => !r.custom);
    expect(components.length).toBeGreaterThan(5);
    for (const c of components) expect(c.type).toMatch(/^odooops:[a-z]+:[A-Z][A-Za-z]+$/);
  });

  it("creates no resource inside an apply", async () => {
    const graph = await run(plan(FULL, LIVE, stack));
    expect(graph.resources.length).toBeGreaterThan(40);
    expect(graph.lateNames).toEqual([]);
  });

  it("creates containers and runs host commands only after the host reports ready", async () => {
    const graph = await run(plan(FULL, LIVE, stack));
    const readies = new Set(graph.resources.filter((r) => r.name.endsWith("-ready")).map((r) => r.urn));
    expect(readies.size).toBeGreaterThan(0);
    const onHost = graph.resources.filter(
      (r) => r.type.startsWith("docker:") || (r.type === "command:remote:Command" && !readies.has(r.urn)),
    );
    expect(onHost.length).toBeGreaterThan(5);
    for (const r of onHost)
      expect(
        [...graph.prerequisites(r)].some((urn) => readies.has(urn)),
        `${r.type} ${r.name}`,
      ).toBe(true);
  });
});
