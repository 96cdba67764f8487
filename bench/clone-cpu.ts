/**
 * The agent's CPU and wall time for single masked clones of one generated fixture, optionally with a
 * CPU profile of the last one (what bench/README.md's clone-speed passes were measured with):
 *
 *   BENCH_PARTNERS=100000 RUNS=3 PROF=/tmp/clone.cpuprofile npx tsx bench/clone-cpu.ts
 *
 * CPU is this process's (process.cpuUsage: parse, masks, registering values, the leak scan's reads),
 * not PostgreSQL's; compare it, not the wall time, when the machine is shared.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { cloneDatabase } from "../agent/clone.ts";
import { readDatabaseUrl, withDatabase } from "../agent/pg/connection.ts";
import { loadOdooFixture } from "../test/fixtures/odoo/fixture.ts";
import { connectionString, startPostgres, stopPostgres } from "../test/support/postgres.ts";
import { MASKED_CLONE } from "./agent.bench.ts";

const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const server = await startPostgres();
const work = mkdtempSync(join(tmpdir(), "odooops-clone-cpu-"));
try {
  const admin = connectionString(server);
  await sql(admin, "create database bench_prod");
  const prodUrl = connectionString(server, "bench_prod");
  await loadOdooFixture(prodUrl, {
    partners: PARTNERS,
    filestoreRoot: join(work, "filestore"),
    attachments: 200,
  });
  process.env.BENCH_PROD_URL = prodUrl;
  const prod = readDatabaseUrl("BENCH_PROD_URL");
  for (let i = 0; i < RUNS; i++) {
    const name = `copy_${i}`;
    const session = process.env.PROF && i === RUNS - 1 ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    await cloneDatabase({
      source: { kind: "database", db: prod },
      targetUrl: withDatabase(prodUrl, name),
      ...MASKED_CLONE,
      reporter: { info: () => undefined, progress: () => undefined },
    });
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - start) / 1000;
    console.log(
      `clone ${i}: wall ${wall.toFixed(2)} s, agent CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s`,
    );
    if (session && process.env.PROF) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(process.env.PROF, JSON.stringify(profile));
    }
    await sql(admin, `drop database "${name}" with (force)`);
  }
} finally {
  await stopPostgres(server);
  rmSync(work, { recursive: true, force: true });
}
