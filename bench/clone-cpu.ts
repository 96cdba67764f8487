/**
 * The agent's CPU and wall time for single masked clones of one generated fixture, optionally with a
 * CPU profile of the last one (what bench/README.md's clone-speed passes were measured with):
 *
 *   BENCH_PARTNERS=100000 RUNS=3 PROF=/tmp/clone.cpuprofile npx tsx bench/clone-cpu.ts
 *
 * CPU is this process's (process.cpuUsage: parse, masks, registering values, the leak scan's reads),
 * and, apart, the PostgreSQL server's: its backends' CPU, which the postmaster collects as each exits
 * (/proc/<postmaster>/stat: cutime + cstime). Compare CPU, not the wall time, when the machine is
 * shared. To split the client tools' CPU off too, point ODOOOPS_PG_BIN at wrappers that time them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloneDatabase } from "../agent/clone.ts";
import { readDatabaseUrl, withDatabase } from "../agent/pg/connection.ts";
import { loadOdooFixture } from "../test/fixtures/odoo/fixture.ts";
import { connectionString, startPostgres, stopPostgres } from "../test/support/postgres.ts";
import { dumpRestorePipe, MASKED_CLONE, sql } from "./agent.bench.ts";

const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 100_000);
const RUNS = Number(process.env.RUNS ?? 3);

/** CPU seconds of the server's exited backends so far (clock ticks of 1/100 s, Linux's USER_HZ). */
function serverCpuS(dataDir: string): number {
  const pid = readFileSync(join(dataDir, "data", "postmaster.pid"), "utf8").split("\n")[0]!;
  // Fields after the command name "(postgres)": state is field 3, cutime and cstime fields 16 and 17.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const server = await startPostgres();

/** Runs `work`; its wall time and the server CPU of the backends it used (once they have exited). */
async function measured(work: () => Promise<unknown>): Promise<{ wall: number; serverS: number }> {
  const server0 = serverCpuS(server.dataDir);
  const start = performance.now();
  await work();
  const wall = (performance.now() - start) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500)); // the backends exit and are reaped
  return { wall, serverS: serverCpuS(server.dataDir) - server0 };
}

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
  await sql(prodUrl, "vacuum (freeze, analyze)"); // as agent.bench.ts: as autovacuum leaves production
  process.env.BENCH_PROD_URL = prodUrl;
  const prod = readDatabaseUrl("BENCH_PROD_URL");
  // The bare pipe an operator would type, once, for the same accounting (its tools are children of
  // this process, timed only through ODOOOPS_PG_BIN wrappers).
  {
    await sql(admin, "create database bare_copy");
    const { wall, serverS } = await measured(() =>
      dumpRestorePipe(prodUrl, withDatabase(prodUrl, "bare_copy"), "bare_copy"),
    );
    console.log(
      `bare pg_dump -Fc | pg_restore: wall ${wall.toFixed(2)} s, server CPU ${serverS.toFixed(2)} s`,
    );
    await sql(admin, `drop database bare_copy with (force)`);
  }
  for (let i = 0; i < RUNS; i++) {
    const name = `copy_${i}`;
    const session = process.env.PROF && i === RUNS - 1 ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
    }
    let cpu = { user: 0, system: 0 };
    const { wall, serverS } = await measured(async () => {
      const cpu0 = process.cpuUsage();
      await cloneDatabase({
        source: { kind: "database", db: prod },
        targetUrl: withDatabase(prodUrl, name),
        ...MASKED_CLONE,
        reporter: { info: () => undefined, progress: () => undefined },
      });
      cpu = process.cpuUsage(cpu0);
    });
    console.log(
      `clone ${i}: wall ${wall.toFixed(2)} s, agent CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, server CPU ${serverS.toFixed(2)} s`,
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
