/**
 * The data agent against the bare PostgreSQL tools, on one generated Odoo-shaped database (≈1 GB at the
 * default 1M partners), in the same run:
 *
 * - clone + neutralize + mask (`odooops agent clone --mask default --neutralize`, which includes the
 *   database-wide leak scan) against bare `pg_dump -Fc | pg_restore` (target ≤ 1.2);
 * - backup + restore (`odooops agent backup` to S3 on loopback, `odooops agent restore` from it) against
 *   bare `pg_dump -Fc` + `tar` of the filestore + `pg_restore` + untar, on local disk (target ≤ 1.2).
 *
 * Each pair runs back to back, baseline first, BENCH_AGENT_ROUNDS times (default 2); ratios are of
 * medians. BENCH_PARTNERS sets the size (e.g. 100000 for a quick run).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import pg from "pg";
import S3rver from "s3rver";
import { backupDatabase } from "../agent/backup.ts";
import { cloneDatabase } from "../agent/clone.ts";
import { readDatabaseUrl, withDatabase } from "../agent/pg/connection.ts";
import { settle } from "../agent/pg/load.ts";
import { startPgTool } from "../agent/pg/tools.ts";
import { silentReporter } from "../agent/progress.ts";
import { restoreDatabase } from "../agent/restore/restore.ts";
import { loadOdooFixture } from "../test/fixtures/odoo/fixture.ts";
import { connectionString, startPostgres, stopPostgres } from "../test/support/postgres.ts";

const exec = promisify(execFile);
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_AGENT_ROUNDS ?? 2);

export async function sql(url: string, text: string): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

async function timed(what: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await what();
  return (performance.now() - start) / 1000;
}

/** The bare pipe an operator would type: `pg_dump -Fc [compression] | pg_restore -d <database>`. */
export async function dumpRestorePipe(
  sourceUrl: string,
  targetUrl: string,
  database: string,
  compression: readonly string[] = [],
): Promise<void> {
  const dump = startPgTool("pg_dump", ["-Fc", ...compression], sourceUrl);
  const restore = startPgTool("pg_restore", ["-d", database], targetUrl, { stdin: "pipe" });
  await Promise.all([settle(restore, pipeline(dump.child.stdout!, restore.child.stdin!)), dump.exited]);
}

/** The clone both benches time: staging, masked with the default profile, neutralized, one job. */
export const MASKED_CLONE = {
  stage: "staging",
  mask: { profile: "default", extras: [], password: "bench" },
  neutralize: { baseUrl: "https://staging.example.com", mailCatcherHost: "mailpit", mailCatcherPort: 1025 },
  jobs: 1,
} as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const server = await startPostgres();
  const work = mkdtempSync(join(tmpdir(), "odooops-bench-"));
  const s3dir = join(work, "s3");
  mkdirSync(s3dir);
  const s3 = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: s3dir,
    configureBuckets: [{ name: "bench-backups", configs: [] }],
  });
  const address = (await s3.run()) as { port: number };
  Object.assign(process.env, {
    ODOOOPS_S3_ENDPOINT: `http://127.0.0.1:${address.port}`,
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_REGION: "us-east-1",
  });
  const admin = connectionString(server);
  try {
    await sql(admin, "create database bench_prod");
    const prodUrl = connectionString(server, "bench_prod");
    const filestoreRoot = join(work, "filestore");
    const loadSeconds = await timed(() =>
      loadOdooFixture(prodUrl, { partners: PARTNERS, filestoreRoot, attachments: 200 }),
    );
    // As autovacuum leaves a production database: rows frozen and hinted. Otherwise the first read of
    // every page (the first round's bare pipe) also writes it back, and that run is the slower for it.
    await sql(prodUrl, "vacuum (freeze, analyze)");
    // Some weight in the filestore too: a few megabytes of incompressible attachments.
    const filestore = join(filestoreRoot, "bench_prod");
    mkdirSync(join(filestore, "aa"), { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(filestore, "aa", `blob-${i}`), randomBytes(1024 * 1024));
    const [size] = await sql(prodUrl, "select pg_size_pretty(pg_database_size('bench_prod')) as s");
    console.log(
      `database: ${PARTNERS} partners, ${size!.s}, generated in ${loadSeconds.toFixed(0)} s; filestore ${filestore}`,
    );
    process.env.BENCH_PROD_URL = prodUrl;
    const prod = readDatabaseUrl("BENCH_PROD_URL");
    let n = 0;
    const fresh = async () => {
      const name = `bench_copy_${n++}`;
      return { name, url: withDatabase(prodUrl, name) };
    };
    const drop = async (name: string) => sql(admin, `drop database if exists "${name}" with (force)`);

    const rows: { pair: string; baseline: number[]; agent: number[] }[] = [
      { pair: "clone + neutralize + mask (vs pg_dump -Fc piped to pg_restore)", baseline: [], agent: [] },
      {
        pair: "clone + neutralize + mask (vs the same pipe, uncompressed: -Fc -Z0)",
        baseline: [],
        agent: [],
      },
      { pair: "backup + restore via S3 (vs pg_dump -Fc, tar, pg_restore, untar)", baseline: [], agent: [] },
    ];
    const barePipe = async (compression: string[]) => {
      const bare = await fresh();
      await sql(admin, `create database "${bare.name}"`);
      const seconds = await timed(() => dumpRestorePipe(prodUrl, bare.url, bare.name, compression));
      await drop(bare.name);
      return seconds;
    };
    for (let round = 0; round < ROUNDS; round++) {
      // Baseline clone: the bare pipe an operator would type, and the same without compression (the
      // agent's own pipe is uncompressed: dump and restore run side by side on one host).
      rows[0]!.baseline.push(await barePipe([]));
      rows[1]!.baseline.push(await barePipe(["-Z0"]));
      const masked = await fresh();
      const cloneSeconds = await timed(() =>
        cloneDatabase({
          source: { kind: "database", db: prod },
          targetUrl: masked.url,
          ...MASKED_CLONE,
          reporter: {
            info: () => undefined,
            progress: (l) => l.startsWith("clone: copy") && console.log(`  ${l}`),
          },
        }),
      );
      rows[0]!.agent.push(cloneSeconds);
      rows[1]!.agent.push(cloneSeconds);
      await drop(masked.name);

      // Baseline backup + restore: custom-format dump and a tar of the filestore, then back.
      const dumpFile = join(work, "bare.dump");
      const tarFile = join(work, "bare.tar");
      const bareRestore = await fresh();
      const bareFiles = join(work, "bare-filestore");
      rows[2]!.baseline.push(
        await timed(async () => {
          await startPgTool("pg_dump", ["-Fc", "-f", dumpFile], prodUrl).exited;
          await exec("tar", ["-cf", tarFile, "-C", filestore, "."]);
          await sql(admin, `create database "${bareRestore.name}"`);
          await startPgTool("pg_restore", ["-d", bareRestore.name, dumpFile], bareRestore.url).exited;
          mkdirSync(bareFiles, { recursive: true });
          await exec("tar", ["-xf", tarFile, "-C", bareFiles]);
        }),
      );
      await drop(bareRestore.name);
      rmSync(bareFiles, { recursive: true, force: true });
      const restored = await fresh();
      process.env.BENCH_RESTORE_URL = restored.url;
      rows[2]!.agent.push(
        await timed(async () => {
          const { record } = await backupDatabase({
            db: prod,
            location: "s3://bench-backups/b/",
            kind: "manual",
            filestoreDir: filestore,
            reporter: silentReporter,
          });
          await restoreDatabase({
            source: { location: "s3://bench-backups/b/", name: record.name },
            target: readDatabaseUrl("BENCH_RESTORE_URL"),
            filestoreDir: join(work, "restored-filestore"),
            dropPrevious: true,
            forceDisconnect: false,
            reporter: silentReporter,
          });
        }),
      );
      await drop(restored.name);
      rmSync(join(work, "restored-filestore"), { recursive: true, force: true });
    }
    console.log(`\n${PARTNERS} partners, ${size!.s}, ${ROUNDS} round(s), medians:`);
    console.log("| pair | baseline s | odooops s | ratio |");
    console.log("|---|---:|---:|---:|");
    for (const r of rows)
      console.log(
        `| ${r.pair} | ${median(r.baseline).toFixed(1)} | ${median(r.agent).toFixed(1)} | ${(median(r.agent) / median(r.baseline)).toFixed(2)} |`,
      );
  } finally {
    await s3.close();
    await stopPostgres(server);
    rmSync(work, { recursive: true, force: true });
  }
}
