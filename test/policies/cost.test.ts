import { describe, expect, it } from "vitest";
import type { Stage } from "../../model/stages.ts";
import {
  devPreviewsPastTtl,
  nonProductionSizeLimit,
  projectMonthlyCostWithinBudget,
} from "../../policies/cost.ts";
import { check, mutate, PROJECT_FILE, projectResources, SAFE_PROJECT } from "./harness.ts";

describe("project-monthly-cost-within-budget", () => {
  it("passes a project within budget", async () => {
    expect(await check(projectMonthlyCostWithinBudget, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it("warns, without blocking, when the estimate exceeds the budget", async () => {
    const yaml = mutate(SAFE_PROJECT, "monthlyUsd: 5000", "monthlyUsd: 10");
    const [v, ...rest] = await check(projectMonthlyCostWithinBudget, projectResources(yaml));
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "advisory", project: "shop" });
    expect(v!.message).toMatch(/estimated at \$\d+\.\d\d\/month .* over its budget of \$10/);
    expect(v!.where).toMatch(new RegExp(`^${PROJECT_FILE}:\\d+:\\d+ budget.monthlyUsd$`));
  });
});

describe("project-monthly-cost-within-budget across stacks", () => {
  const estimate = async (stages: Stage[]) => {
    const yaml = mutate(SAFE_PROJECT, "monthlyUsd: 5000", "monthlyUsd: 0.01");
    const [v] = await check(projectMonthlyCostWithinBudget, projectResources(yaml, stages));
    return Number(/estimated at \$(\d+\.\d\d)/.exec(v!.message)![1]);
  };

  it("warns in the staging stack when the stacks together exceed the budget, though each is within it", async () => {
    const production = await estimate(["production"]);
    const staging = await estimate(["staging", "development"]);
    const budget = Math.floor(Math.max(production, staging) + 1);
    expect(budget).toBeLessThan(production + staging);
    const yaml = mutate(SAFE_PROJECT, "monthlyUsd: 5000", `monthlyUsd: ${budget}`);
    expect(await check(projectMonthlyCostWithinBudget, projectResources(yaml, ["production"]))).toEqual([]);
    const [v, ...rest] = await check(
      projectMonthlyCostWithinBudget,
      projectResources(yaml, ["staging", "development"]),
    );
    expect(rest).toEqual([]);
    expect(v).toMatchObject({ level: "advisory" });
    expect(v!.message).toContain(
      `in total ($${staging.toFixed(2)} in the staging+development stack + $${production.toFixed(2)} for production`,
    );
    expect(v!.message).toContain("although each stack alone is within it");
    expect(v!.where).toMatch(/ budget\.monthlyUsd$/);
  });

  it("stays quiet when the total is within the budget", async () => {
    const production = await estimate(["production"]);
    const staging = await estimate(["staging", "development"]);
    const yaml = mutate(SAFE_PROJECT, "monthlyUsd: 5000", `monthlyUsd: ${Math.ceil(production + staging)}`);
    expect(
      await check(projectMonthlyCostWithinBudget, projectResources(yaml, ["staging", "development"])),
    ).toEqual([]);
  });
});

describe("non-production-size-limit", () => {
  it("passes modest non-production sizes", async () => {
    expect(await check(nonProductionSizeLimit, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  const big = mutate(
    SAFE_PROJECT,
    "  development:\n",
    "  development:\n    size: s-8vcpu-16gb\n    database: { size: db-s-4vcpu-8gb }\n",
  );

  it("warns about oversized development hosts and databases", async () => {
    const violations = await check(nonProductionSizeLimit, projectResources(big));
    expect(violations.map((v) => [v.level, v.where?.split(" ")[1]])).toEqual([
      ["advisory", "environments.development.size"],
      ["advisory", "environments.development.database.size"],
    ]);
  });

  it("takes its limits from the policy config", async () => {
    const config = {
      "non-production-size-limit": { maxHostMonthlyUsd: 100, maxDatabaseNodeMonthlyUsd: 200 },
    };
    expect(await check(nonProductionSizeLimit, projectResources(big), config)).toEqual([]);
  });
});

describe("dev-previews-past-ttl", () => {
  it("says nothing while previews are within their TTL", async () => {
    expect(await check(devPreviewsPastTtl, projectResources(SAFE_PROJECT))).toEqual([]);
  });

  it("warns about a preview past its TTL at the configured time, not a kept one", async () => {
    const late = { "dev-previews-past-ttl": { now: "2027-01-01T00:00:00Z" } };
    const violations = await check(devPreviewsPastTtl, projectResources(SAFE_PROJECT), late);
    expect(violations.map((v) => [v.level, v.environment])).toEqual([["advisory", "feature--login"]]);
    expect(violations[0]!.message).toContain("expired at 2026-11-29");
  });
});
