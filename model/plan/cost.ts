import {
  DATABASE_NODE_MONTHLY_USD,
  type DatabaseSize,
  DROPLET_MEMORY_GIB,
  DROPLET_MONTHLY_USD,
  type DropletSize,
  PRICES_AS_OF,
  RESERVED_IP_ASSIGNED_MONTHLY_USD,
  SHARED_DEV_HOST_RESERVED_GIB,
  SHARED_DEV_PREVIEW_MEMORY_GIB,
  SPACES_INCLUDED_GIB,
  SPACES_MONTHLY_USD,
  VOLUME_GIB_MONTHLY_USD,
} from "../prices.ts";
import type { Stage } from "../stages.ts";
import type { EnvironmentPlan, PlatformPlan, ProjectPlan } from "./environment-plan.ts";
import { servicesCostLines, servicesPlan } from "./services/plan.ts";

/**
 * Estimated monthly cost of a stack's plan, from the dated price table. Every resource is counted once:
 * an environment carries what it alone uses plus its load share of a shared dev host; what several
 * environments share (clusters, the dev host's volume and idle capacity) is a project line, and the
 * account-wide Spaces subscription a stack line.
 */
export interface CostLine {
  item: string;
  monthlyUsd: number;
}

export interface EnvironmentCost {
  environment: string;
  stage: Stage;
  branch: string;
  monthlyUsd: number;
  lines: CostLine[];
}

export interface MarginalCost {
  monthlyUsd: number;
  basis: string;
}

export interface ProjectCost {
  project: string;
  monthlyUsd: number;
  environments: EnvironmentCost[];
  shared: CostLine[];
  /** What one more development preview adds; undefined when the stack has no development stage. */
  marginalDevPreview: MarginalCost | undefined;
  budgetUsd: number | undefined;
}

export interface StackCost {
  asOf: string;
  currency: "USD";
  monthlyUsd: number;
  projects: ProjectCost[];
  shared: CostLine[];
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
const sum = (lines: readonly { monthlyUsd: number }[]) => cents(lines.reduce((n, l) => n + l.monthlyUsd, 0));

const droplet = (size: DropletSize): CostLine => ({
  item: `droplet ${size}`,
  monthlyUsd: DROPLET_MONTHLY_USD[size],
});
const volume = (gib: number): CostLine => ({
  item: `volume ${gib} GiB`,
  monthlyUsd: cents(gib * VOLUME_GIB_MONTHLY_USD),
});
const cluster = (size: DatabaseSize, nodes: number, what: string): CostLine => ({
  item: `${what} ${size}${nodes > 1 ? ` × ${nodes} nodes` : ""}`,
  monthlyUsd: DATABASE_NODE_MONTHLY_USD[size] * nodes,
});

/** How many previews a shared dev host of this size holds, and what one preview's load costs. */
export function sharedHostCapacity(size: DropletSize): { previews: number; loadUsd: number } {
  const memory = DROPLET_MEMORY_GIB[size];
  return {
    previews: Math.max(
      1,
      Math.floor((memory - SHARED_DEV_HOST_RESERVED_GIB) / SHARED_DEV_PREVIEW_MEMORY_GIB),
    ),
    loadUsd: cents((DROPLET_MONTHLY_USD[size] * SHARED_DEV_PREVIEW_MEMORY_GIB) / memory),
  };
}

function environmentCost(env: EnvironmentPlan): EnvironmentCost {
  const lines: CostLine[] = [];
  if (env.host.placement === "shared") {
    const { loadUsd } = sharedHostCapacity(env.host.size);
    lines.push({
      item: `load on shared dev host (${SHARED_DEV_PREVIEW_MEMORY_GIB} GiB)`,
      monthlyUsd: loadUsd,
    });
  } else {
    lines.push(droplet(env.host.size), volume(env.host.volumeGb));
  }
  if (env.database.kind === "cluster")
    lines.push(cluster(env.database.size, env.database.nodes, "database cluster"), {
      item: "reserved IP (assigned)",
      monthlyUsd: RESERVED_IP_ASSIGNED_MONTHLY_USD,
    });
  if (env.database.kind === "clone" && env.database.strategy === "fork")
    lines.push(cluster(env.database.size, 1, "forked database cluster"));
  return { environment: env.slug, stage: env.stage, branch: env.branch, monthlyUsd: sum(lines), lines };
}

function sharedLines(plan: ProjectPlan): CostLine[] {
  const lines: CostLine[] = [];
  const host = plan.sharedDevHost;
  if (host) {
    const onHost = plan.environments.filter((e) => e.host.placement === "shared").length;
    const idle = DROPLET_MONTHLY_USD[host.size] - onHost * sharedHostCapacity(host.size).loadUsd;
    lines.push(
      {
        item: `shared dev host ${host.size}, capacity not used by previews`,
        monthlyUsd: cents(Math.max(0, idle)),
      },
      { ...volume(host.volumeGb), item: `shared dev host volume ${host.volumeGb} GiB` },
    );
  }
  const dumpStaging = plan.environments.find(
    (e) => e.database.kind === "clone" && e.database.strategy === "dump",
  );
  if (dumpStaging) lines.push(cluster(dumpStaging.database.size, 1, "staging database cluster"));
  const dev = plan.environments.find((e) => e.stage === "development");
  if (dev) lines.push(cluster(dev.database.size, 1, "development database cluster"));
  return lines;
}

function marginalDevPreview(plan: ProjectPlan): MarginalCost {
  const dev = plan.project.environments.development;
  const previews = plan.environments.filter((e) => e.stage === "development");
  const newCluster = previews.length === 0 ? DATABASE_NODE_MONTHLY_USD[dev.database.size] : 0;
  const clusterNote = newCluster > 0 ? " plus the development database cluster it brings" : "";
  if (dev.placement === "dedicated")
    return {
      monthlyUsd: cents(DROPLET_MONTHLY_USD[dev.size] + dev.volumeGb * VOLUME_GIB_MONTHLY_USD + newCluster),
      basis: `a dedicated ${dev.size} host with a ${dev.volumeGb} GiB volume${clusterNote}`,
    };
  if (!plan.sharedDevHost)
    return {
      monthlyUsd: cents(DROPLET_MONTHLY_USD[dev.size] + dev.volumeGb * VOLUME_GIB_MONTHLY_USD + newCluster),
      basis: `the first preview brings the shared ${dev.size} dev host and its volume${clusterNote}`,
    };
  const { previews: capacity, loadUsd } = sharedHostCapacity(plan.sharedDevHost.size);
  const onHost = previews.filter((e) => e.host.placement === "shared").length;
  const full = onHost + 1 > capacity;
  return {
    monthlyUsd: loadUsd,
    basis: full
      ? `its load on the shared dev host, which would then hold ${onHost + 1} previews, above its capacity of ${capacity}: choose a larger environments.development.size`
      : `its load on the shared ${plan.sharedDevHost.size} dev host (${onHost + 1} of ${capacity} previews)`,
  };
}

export function projectCost(plan: ProjectPlan, stages: readonly Stage[]): ProjectCost {
  const environments = plan.environments.map(environmentCost);
  const shared = sharedLines(plan);
  return {
    project: plan.project.name,
    monthlyUsd: cents(sum(environments) + sum(shared)),
    environments,
    shared,
    marginalDevPreview: stages.includes("development") ? marginalDevPreview(plan) : undefined,
    budgetUsd: plan.project.budget?.monthlyUsd,
  };
}

export function stackCost(plan: PlatformPlan): StackCost {
  const projects = plan.projects.map((p) => projectCost(p, plan.settings.stages));
  const shared: CostLine[] =
    plan.settings.stages.includes("production") && projects.length > 0
      ? [
          {
            item: `Spaces subscription (backups; ${SPACES_INCLUDED_GIB} GiB included)`,
            monthlyUsd: SPACES_MONTHLY_USD,
          },
        ]
      : [];
  if (plan.settings.platformServices && plan.settings.stages.includes("production"))
    shared.push(...servicesCostLines(servicesPlan(plan.settings.platformDomain)));
  return {
    asOf: PRICES_AS_OF,
    currency: "USD",
    monthlyUsd: cents(sum(projects) + sum(shared)),
    projects,
    shared,
  };
}
