import { describe, expect, it } from "vitest";
import {
  DATABASE_CONNECTION_LIMIT,
  DROPLET_VCPUS,
  maxWorkers,
  ODOO_DEFAULT_LIMITS,
  odooLimits,
  type SizingInput,
} from "../../../model/plan/odoo-sizing.ts";
import { DROPLET_SIZES } from "../../../model/prices.ts";
import { sizingInput } from "../support/odoo.ts";

const MIB = 1024 * 1024;
const input = sizingInput;

describe("Odoo sizing", () => {
  // Each row: the input that changes, then workers, db_maxconn, soft and hard memory (MiB), limit_time_real.
  it.each([
    // 4 vCPU / 8 GiB, 4 workers + 2 cron + gevent on its own 97-connection cluster: 7 GiB over 6 processes.
    [{}, 4, 13, 1194, 1493, 120],
    // Asking for more than 2*cpu+1 workers is held to 9: 7 GiB over 11 processes, 12 processes on 4 cores.
    [{ workers: 20 }, 9, 7, 651, 814, 180],
    // A small host: 1 vCPU, 2 GiB, 2 workers, staging on a shared cluster of 47 connections.
    [
      {
        stage: "staging",
        hostSize: "s-1vcpu-2gb",
        workers: 2,
        databaseSize: "db-s-1vcpu-2gb",
        sharedDatabase: true,
      },
      2,
      2,
      640,
      800,
      240,
    ],
    // Threaded mode (a dedicated preview): one process, Odoo's default memory guard.
    [{ stage: "development", workers: 0, sharedDatabase: true }, 0, 24, 2048, 2560, 120],
    // A preview on the shared dev host keeps Odoo's defaults: the host's share is the platform's estimate.
    [{ stage: "development", placement: "shared", workers: 2, sharedDatabase: true }, 2, 6, 2048, 2560, 120],
    // A large host never goes above Odoo's own defaults.
    [{ hostSize: "m-4vcpu-32gb", workers: 4, databaseSize: "db-s-8vcpu-32gb" }, 4, 64, 2048, 2560, 120],
  ] as const)(
    "%o → %i workers, db_maxconn %i, memory %i/%i MiB, real %is",
    (over, workers, maxconn, soft, hard, real) => {
      const changed: Partial<SizingInput> = over;
      const limits = odooLimits(input(changed));
      expect(limits).toEqual({
        workers,
        maxCronThreads: (changed.stage ?? "production") === "production" ? 2 : 1,
        dbMaxconn: maxconn,
        limitMemorySoft: soft * MIB,
        limitMemoryHard: hard * MIB,
        limitTimeCpu: ODOO_DEFAULT_LIMITS.limitTimeCpu,
        limitTimeReal: real,
      });
    },
  );

  it("never lets all processes together ask a cluster for more than it has", () => {
    for (const hostSize of DROPLET_SIZES)
      for (const [databaseSize, limit] of Object.entries(DATABASE_CONNECTION_LIMIT))
        for (const workers of [0, 2, 4, 9, 17]) {
          const l = odooLimits(
            input({ hostSize, databaseSize: databaseSize as SizingInput["databaseSize"], workers }),
          );
          const processes = l.workers === 0 ? 1 : l.workers + l.maxCronThreads + 1;
          // The floor of two connections per process is the only way to exceed the cluster's limit.
          if (l.dbMaxconn > 2)
            expect(processes * l.dbMaxconn, `${hostSize} ${databaseSize} ${workers}`).toBeLessThanOrEqual(
              limit,
            );
          expect(l.workers).toBeLessThanOrEqual(maxWorkers(hostSize));
          expect(l.limitMemoryHard).toBeGreaterThan(l.limitMemorySoft);
        }
  });

  it("knows the vCPUs of every droplet size a project may name", () => {
    expect(Object.keys(DROPLET_VCPUS).sort()).toEqual([...DROPLET_SIZES].sort());
  });
});
