import { describe, expect, it } from "vitest";
import { runPlan } from "../../cli/plan/plan.ts";
import { renderJson } from "../../cli/render/json.ts";
import { renderMarkdown } from "../../cli/render/markdown.ts";
import { renderText } from "../../cli/render/text.ts";
import { PRICES_AS_OF } from "../../model/prices.ts";

async function examplePlan() {
  const outcome = await runPlan({
    root: ".",
    files: ["examples/projects/acme-erp.yaml", "examples/projects/hello.yaml"],
    stacks: ["staging", "prod"],
    catalogFile: "examples/catalog.example.json",
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  return outcome.report;
}

describe("odooops plan shows what things cost", () => {
  it("in JSON: per environment, project and stack, with the price table's date", async () => {
    const json = JSON.parse(renderJson(await examplePlan()));
    expect(json.costs.asOf).toBe(PRICES_AS_OF);
    const staging = json.costs.stacks.find((s: { stack: string }) => s.stack === "staging");
    const acme = staging.projects.find((p: { project: string }) => p.project === "acme-erp");
    expect(acme.environments.map((e: { environment: string }) => e.environment)).toContain(
      "hotfix--invoice-rounding",
    );
    expect(acme.marginalDevPreview.monthlyUsd).toBeGreaterThan(0);
    const total = json.costs.stacks.reduce((n: number, s: { monthlyUsd: number }) => n + s.monthlyUsd, 0);
    expect(json.costs.monthlyUsd).toBeCloseTo(total, 2);
  });

  it("in text and Markdown: every environment with its monthly cost and the price of one more preview", async () => {
    const report = await examplePlan();
    const text = renderText(report);
    expect(text).toMatch(/environment production \(production\): \d+ resources, \$\d+\.\d\d\/month/);
    expect(text).toMatch(/one more dev preview: \+\$\d+\.\d\d\/month/);
    const md = renderMarkdown(report);
    expect(md).toContain(
      "| stack | projects | resources | add | change | replace | delete | monthly cost | cost Δ |",
    );
    expect(md).toMatch(/### Estimated monthly cost — \$\d+\.\d\d/);
    expect(md).toMatch(/\| hotfix--invoice-rounding \| staging \| \$\d+\.\d\d \|/);
  });
});
