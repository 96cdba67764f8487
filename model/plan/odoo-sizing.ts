import {
  type DatabaseSize,
  DROPLET_MEMORY_GIB,
  type DropletSize,
  SHARED_DEV_HOST_RESERVED_GIB,
} from "../prices.ts";
import type { Stage } from "../stages.ts";
import type { EnvironmentPlan } from "./environment-plan.ts";

/**
 * Odoo's resource limits for one environment, sized from its droplet, its workers and its database
 * cluster, following Odoo's deployment guide ("Builtin server > Worker number calculation" and "Memory
 * size calculation") and the defaults of `odoo/tools/config.py`.
 */

/** vCPUs of each droplet size (digitalocean.com/pricing, same table as model/prices.ts). */
export const DROPLET_VCPUS: Readonly<Record<DropletSize, number>> = {
  "s-1vcpu-1gb": 1,
  "s-1vcpu-2gb": 1,
  "s-2vcpu-2gb": 2,
  "s-2vcpu-4gb": 2,
  "s-4vcpu-8gb": 4,
  "s-8vcpu-16gb": 8,
  "g-2vcpu-8gb": 2,
  "g-4vcpu-16gb": 4,
  "g-8vcpu-32gb": 8,
  "c-2": 2,
  "c-4": 4,
  "c-8": 8,
  "m-2vcpu-16gb": 2,
  "m-4vcpu-32gb": 4,
};

/**
 * Connections a DigitalOcean managed PostgreSQL node accepts for clients (25 per GiB of RAM, less the 3
 * the service keeps for itself; DigitalOcean docs, "PostgreSQL connection limits").
 */
export const DATABASE_CONNECTION_LIMIT: Readonly<Record<DatabaseSize, number>> = {
  "db-s-1vcpu-1gb": 22,
  "db-s-1vcpu-2gb": 47,
  "db-s-2vcpu-4gb": 97,
  "db-s-4vcpu-8gb": 197,
  "db-s-6vcpu-16gb": 397,
  "db-s-8vcpu-32gb": 797,
};

const MIB = 1024 * 1024;
/** Odoo's own defaults (odoo/tools/config.py): what a process may use when nothing else is known. */
export const ODOO_DEFAULT_LIMITS = {
  limitMemorySoftMib: 2048,
  limitMemoryHardMib: 2560,
  limitTimeCpu: 60,
  limitTimeReal: 120,
  dbMaxconn: 64,
} as const;
/**
 * The smallest soft limit worth setting: Odoo's defaults before 13.0 (640 MiB soft, 768 MiB hard). The
 * limits count virtual memory, which for an Odoo worker is well above its resident size; below this a
 * worker would be recycled after nearly every request.
 */
const MIN_SOFT_MIB = 640;
/** Hard over soft, as in Odoo's defaults (2560/2048; 768/640 before 13.0). */
const HARD_OVER_SOFT = 1.25;
/** Connections the agent keeps for itself on a cluster of the environment's own (pg_dump, drills, psql). */
const AGENT_CONNECTIONS = 5;
/**
 * A shared cluster (staging dumps, development previews) serves several environments: each may use a
 * quarter of it, so four busy ones fit; idle ones hold few connections.
 */
const SHARED_CLUSTER_SHARE = 4;
/** Each Odoo process needs a cursor for its request and one for the registry/bus checks beside it. */
const MIN_CONNECTIONS_PER_PROCESS = 2;

export interface SizingInput {
  stage: Stage;
  hostSize: DropletSize;
  placement: "dedicated" | "shared";
  /** Requested HTTP workers (0 = threaded mode). */
  workers: number;
  databaseSize: DatabaseSize;
  /** Whether the cluster is shared with other environments (staging dumps, development branches). */
  sharedDatabase: boolean;
}

export interface OdooLimits {
  workers: number;
  maxCronThreads: number;
  dbMaxconn: number;
  limitMemorySoft: number;
  limitMemoryHard: number;
  limitTimeCpu: number;
  limitTimeReal: number;
}

/** Cron threads: production runs its scheduled jobs without delay, copies need one. */
export function maxCronThreads(stage: Stage): number {
  return stage === "production" ? 2 : 1;
}

/**
 * Odoo's guide: "workers = (#CPU * 2) + 1" is the most a host usefully runs (each worker is one
 * process handling one request at a time). More only queue on the CPUs and take memory, so a request
 * above the cap is held to it.
 */
export function maxWorkers(hostSize: DropletSize): number {
  return DROPLET_VCPUS[hostSize] * 2 + 1;
}

export function odooLimits(input: SizingInput): OdooLimits {
  const vcpus = DROPLET_VCPUS[input.hostSize];
  const workers = Math.min(input.workers, maxWorkers(input.hostSize));
  const cron = maxCronThreads(input.stage);
  // Prefork: HTTP workers, cron workers and the gevent (websocket) process each hold their own
  // connection pool. Threaded mode (previews): one process does everything.
  const processes = workers === 0 ? 1 : workers + cron + 1;
  return {
    workers,
    maxCronThreads: cron,
    dbMaxconn: connectionsPerProcess(input, processes),
    ...memoryLimits(input, workers, cron),
    limitTimeCpu: ODOO_DEFAULT_LIMITS.limitTimeCpu,
    // Wall-clock time includes waiting for a CPU: where processes outnumber the cores, a request gets
    // proportionally more of it before it is killed (Odoo's default is twice the CPU limit).
    limitTimeReal: ODOO_DEFAULT_LIMITS.limitTimeCpu * Math.max(2, Math.ceil(processes / vcpus)),
  };
}

/**
 * Memory: Odoo's guide sizes a worker at ~150 MB for light and ~1 GB for heavy requests (20% heavy), so
 * the soft limit (after which a worker is recycled between requests) is the worker's share of the host's
 * memory after the OS, Docker, the proxy and the agent, between Odoo's old and current defaults; the hard
 * limit (an address-space rlimit: the worker dies) is 25% above it. Threaded mode applies only the soft
 * limit, to the whole server, and a shared dev host's previews are sized by the platform's own
 * estimate: both keep Odoo's defaults, which guard against leaks rather than share a host.
 */
function memoryLimits(input: SizingInput, workers: number, cron: number) {
  if (workers === 0 || input.placement === "shared")
    return {
      limitMemorySoft: ODOO_DEFAULT_LIMITS.limitMemorySoftMib * MIB,
      limitMemoryHard: ODOO_DEFAULT_LIMITS.limitMemoryHardMib * MIB,
    };
  const availableMib = (DROPLET_MEMORY_GIB[input.hostSize] - SHARED_DEV_HOST_RESERVED_GIB) * 1024;
  const share = Math.floor(availableMib / (workers + cron));
  const soft = clamp(share, MIN_SOFT_MIB, ODOO_DEFAULT_LIMITS.limitMemorySoftMib);
  return { limitMemorySoft: soft * MIB, limitMemoryHard: Math.round(soft * HARD_OVER_SOFT) * MIB };
}

/**
 * db_maxconn caps each process's pool (Odoo's default of 64 per process would let 9 workers ask a
 * 4 GiB cluster for 576 connections of its 97): the cluster's client connections, less the agent's on a
 * cluster of its own or a quarter of a shared one, divided among the processes.
 */
function connectionsPerProcess(input: SizingInput, processes: number): number {
  const limit = DATABASE_CONNECTION_LIMIT[input.databaseSize];
  const available = input.sharedDatabase
    ? Math.floor(limit / SHARED_CLUSTER_SHARE)
    : limit - AGENT_CONNECTIONS;
  return clamp(Math.floor(available / processes), MIN_CONNECTIONS_PER_PROCESS, ODOO_DEFAULT_LIMITS.dbMaxconn);
}

/**
 * The limits of one planned environment: its host, its workers, and its cluster, which is its own for
 * production and a `fork` staging build, shared for `dump` staging builds and development branches.
 */
export function environmentLimits(plan: EnvironmentPlan): OdooLimits {
  const { database } = plan;
  return odooLimits({
    stage: plan.stage,
    hostSize: plan.host.size,
    placement: plan.host.placement,
    workers: plan.workers,
    databaseSize: database.size,
    sharedDatabase: database.kind === "branch" || (database.kind === "clone" && database.strategy === "dump"),
  });
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
