import { describe, expect, it } from "vitest";
import { catalogSchema } from "../../../model/input/catalog.ts";
import { parseProject } from "../../../model/input/loader.ts";
import type { StackSettings } from "../../../model/input/stack-settings.ts";
import { projectCost, sharedHostCapacity, stackCost } from "../../../model/plan/cost.ts";
import { planPlatform } from "../../../model/plan/environment-plan.ts";
import {
  DATABASE_NODE_MONTHLY_USD,
  DROPLET_MONTHLY_USD,
  SPACES_MONTHLY_USD,
  VOLUME_GIB_MONTHLY_USD,
} from "../../../model/prices.ts";

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const staging: StackSettings = {
  stages: ["staging", "development"],
  platformDomain: "odooops.example",
  region: "sgp1",
};
const prod: StackSettings = { stages: ["production"], platformDomain: "odooops.example", region: "sgp1" };

function platform(environments: string, branches: string[], settings: StackSettings) {
  const yaml = `name: acme\nrepo: acme/acme\nbudget: { monthlyUsd: 500 }\nenvironments:\n  production:\n    image: ghcr.io/acme/acme@${digest(1)}\n${environments}`;
  const { loaded, problems } = parseProject("projects/acme.yaml", yaml);
  if (!loaded) throw new Error(JSON.stringify(problems));
  const live = catalogSchema.parse({
    projects: {
      acme: {
        branches: branches.map((name, i) => ({
          name,
          build: {
            id: `b-${i}`,
            image: `ghcr.io/acme/acme@${digest(i + 2)}`,
            commit: "abcdef1",
            builtAt: "2026-11-20T00:00:00Z",
          },
        })),
      },
    },
  });
  return planPlatform([loaded], live, settings);
}

const features = (n: number) => Array.from({ length: n }, (_, i) => `feature/f${i}`);

describe("monthly cost", () => {
  it("of production: droplet, volume, every database node, and the stack's Spaces subscription", () => {
    const env =
      "    size: s-4vcpu-8gb\n    volumeGb: 200\n    database: { size: db-s-2vcpu-4gb, nodes: 2 }\n";
    const cost = stackCost(platform(env, [], prod));
    const expected =
      DROPLET_MONTHLY_USD["s-4vcpu-8gb"] +
      200 * VOLUME_GIB_MONTHLY_USD +
      2 * DATABASE_NODE_MONTHLY_USD["db-s-2vcpu-4gb"];
    expect(cost.projects[0]!.environments[0]!.monthlyUsd).toBe(expected);
    expect(cost.projects[0]!.budgetUsd).toBe(500);
    expect(cost.monthlyUsd).toBe(expected + SPACES_MONTHLY_USD);
    expect(cost.projects[0]!.marginalDevPreview).toBeUndefined();
  });

  it("of a staging build: its host, plus its own cluster when it forks", () => {
    const dump = stackCost(platform("  staging: { clone: { strategy: dump } }\n", ["release/a"], staging))
      .projects[0]!;
    const fork = stackCost(platform("  staging: { clone: { strategy: fork } }\n", ["release/a"], staging))
      .projects[0]!;
    const cluster = DATABASE_NODE_MONTHLY_USD["db-s-1vcpu-2gb"];
    expect(fork.environments[0]!.monthlyUsd - dump.environments[0]!.monthlyUsd).toBe(cluster);
    // dump copies share the project's staging cluster instead
    expect(dump.shared.map((l) => l.item)).toContain("staging database cluster db-s-1vcpu-2gb");
    expect(fork.shared.map((l) => l.item)).not.toContain("staging database cluster db-s-1vcpu-2gb");
  });

  it("adds up: a project is its environments plus what they share, a stack its projects and subscriptions", () => {
    for (const n of [0, 1, 4, 12]) {
      const plan = platform("  development: { size: s-4vcpu-8gb }\n", ["release/a", ...features(n)], staging);
      const cost = projectCost(plan.projects[0]!, staging.stages);
      const sum = [...cost.environments, ...cost.shared].reduce((s, x) => s + x.monthlyUsd, 0);
      expect(cost.monthlyUsd).toBeCloseTo(sum, 2);
      expect(stackCost(plan).monthlyUsd).toBeCloseTo(cost.monthlyUsd, 2);
    }
  });

  it("of a preview on the shared host is its load; the host's idle capacity is a shared line", () => {
    const plan = platform("  development: { size: s-4vcpu-8gb }\n", features(3), staging);
    const cost = projectCost(plan.projects[0]!, staging.stages);
    const { loadUsd } = sharedHostCapacity("s-4vcpu-8gb");
    for (const e of cost.environments) expect(e.monthlyUsd).toBe(loadUsd);
    const idle = cost.shared.find((l) => l.item.includes("capacity not used"))!;
    expect(idle.monthlyUsd).toBeCloseTo(DROPLET_MONTHLY_USD["s-4vcpu-8gb"] - 3 * loadUsd, 2);
  });

  it("of one more preview: its load on the shared host, a whole host when dedicated, the shared infrastructure for the first", () => {
    const shared = projectCost(
      platform("  development: { size: s-4vcpu-8gb }\n", features(2), staging).projects[0]!,
      staging.stages,
    );
    expect(shared.marginalDevPreview!.monthlyUsd).toBe(sharedHostCapacity("s-4vcpu-8gb").loadUsd);
    const dedicated = projectCost(
      platform(
        "  development: { placement: dedicated, size: s-2vcpu-4gb, volumeGb: 10 }\n",
        features(2),
        staging,
      ).projects[0]!,
      staging.stages,
    );
    expect(dedicated.marginalDevPreview!.monthlyUsd).toBe(
      DROPLET_MONTHLY_USD["s-2vcpu-4gb"] + 10 * VOLUME_GIB_MONTHLY_USD,
    );
    const first = projectCost(
      platform("  development: { size: s-2vcpu-4gb, volumeGb: 10 }\n", [], staging).projects[0]!,
      staging.stages,
    );
    expect(first.marginalDevPreview!.monthlyUsd).toBe(
      DROPLET_MONTHLY_USD["s-2vcpu-4gb"] +
        10 * VOLUME_GIB_MONTHLY_USD +
        DATABASE_NODE_MONTHLY_USD["db-s-1vcpu-1gb"],
    );
  });

  it("says when one more preview would overload the shared host", () => {
    const { previews } = sharedHostCapacity("s-2vcpu-4gb");
    const full = projectCost(
      platform("  development: { size: s-2vcpu-4gb }\n", features(previews), staging).projects[0]!,
      staging.stages,
    );
    expect(full.marginalDevPreview!.basis).toContain("above its capacity");
    const room = projectCost(
      platform("  development: { size: s-2vcpu-4gb }\n", features(previews - 1), staging).projects[0]!,
      staging.stages,
    );
    expect(room.marginalDevPreview!.basis).not.toContain("above its capacity");
  });
});
