import { type Catalog, catalogSchema } from "../model/input/catalog.ts";
import { type LoadedProject, parseProject } from "../model/input/loader.ts";
import type { StackSettings } from "../model/input/stack-settings.ts";
import { type PlatformPlan, planPlatform } from "../model/plan/environment-plan.ts";

/**
 * A synthetic platform for the plan benchmark: `projects` copies of a full-featured project, each with
 * `branches` live branches (a fifth of them release branches, the rest feature previews), planned for
 * one stack exactly as `odooops plan` plans it.
 */
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

export function projectYaml(name: string): string {
  return `name: ${name}
repo: bench/${name}
odoo: { version: "16.0" }
domains: [${name}.customer.example]
bundles: [finance_ppm, crm_sales]
branches:
  - { match: main, stage: production }
  - { match: "release/*", stage: staging, ttl: 14d }
  - { match: "feature/**", stage: development, ttl: 7d }
environments:
  production:
    size: s-4vcpu-8gb
    workers: 4
    database: { size: db-s-2vcpu-4gb, nodes: 2 }
    image: ghcr.io/bench/${name}@${digest(1)}
    sshSources: [203.0.113.0/28]
  staging: { clone: { strategy: dump } }
  development: { placement: shared, size: s-8vcpu-16gb }
retention: { daily: 7, weekly: 4, monthly: 3 }
personas:
  release_manager: { users: [rm-bench] }
  qa_tester: { users: [qa-bench] }
`;
}

export const BENCH_SETTINGS: Record<"staging" | "prod", StackSettings> = {
  staging: {
    stages: ["staging", "development"],
    platformDomain: "odooops.example",
    region: "sgp1",
    prodStack: "bench/odooops/prod",
    deploySources: ["198.51.100.10/32"],
  },
  prod: {
    stages: ["production"],
    platformDomain: "odooops.example",
    region: "sgp1",
    deploySources: ["198.51.100.10/32"],
  },
};

export function benchProjects(count: number): LoadedProject[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `bench-${String(i).padStart(3, "0")}`;
    const { loaded, problems } = parseProject(`projects/${name}.yaml`, projectYaml(name));
    if (!loaded) throw new Error(JSON.stringify(problems));
    return loaded;
  });
}

export function benchCatalog(projects: readonly LoadedProject[], branches: number): Catalog {
  return catalogSchema.parse({
    projects: Object.fromEntries(
      projects.map((p) => [
        p.project.name,
        {
          branches: Array.from({ length: branches }, (_, b) => ({
            name: b % 5 === 0 ? `release/r${b}` : `feature/f${b}`,
            build: {
              id: `b-${b + 1}`,
              image: `ghcr.io/bench/${p.project.name}@${digest(b + 2)}`,
              commit: "abcdef1",
              builtAt: "2026-11-20T00:00:00Z",
            },
          })),
          releases: [
            { id: "r-1", image: `ghcr.io/bench/${p.project.name}@${digest(1)}`, passed: ["G1", "G2", "G3"] },
          ],
        },
      ]),
    ),
  });
}

export function benchPlan(projects: number, branches: number, stack: "staging" | "prod"): PlatformPlan {
  const loaded = benchProjects(projects);
  return planPlatform(loaded, benchCatalog(loaded, branches), BENCH_SETTINGS[stack]);
}
