import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { settle } from "../pg/load.ts";
import { startPgTool } from "../pg/tools.ts";
import type { ValueHashes } from "./value-hashes.ts";

export interface Leak {
  table: string;
  column: string;
  cells: number;
  /** The id of one row that holds a leaked value, so it can be found without printing the value. */
  exampleId: string | null;
}

export interface LeakScanResult {
  /** Text columns looked at: searched by the database, or proven masked while they were written. */
  columnsScanned: number;
  columnsProvenMasked: number;
  tablesScanned: number;
  sourceValues: number;
  leaks: Leak[];
}

interface TextColumns {
  schema: string;
  table: string;
  columns: string[];
  hasId: boolean;
}

/** Where an in-place mask keeps its masked copies of the columns until they are applied. */
export const MASK_WORK_SCHEMA = "odooops_mask";

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Every text column of every ordinary table outside the system schemas and the agent's own. */
async function textColumns(client: pg.Client): Promise<TextColumns[]> {
  const { rows } = await client.query<{ schema: string; table: string; columns: string[]; has_id: boolean }>(
    `select n.nspname as schema, c.relname as table,
            array_agg(a.attname::text order by a.attnum) filter (where a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)) as columns,
            bool_or(a.attname = 'id') as has_id
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', $1)
        and n.nspname not like 'pg\\_%'
      group by n.nspname, c.relname
      order by 1, 2`,
    [MASK_WORK_SCHEMA],
  );
  return rows
    .filter((r) => r.columns && r.columns.length > 0)
    .map((r) => ({ schema: r.schema, table: r.table, columns: r.columns, hasId: r.has_id }));
}

const SCAN_TABLE = `${MASK_WORK_SCHEMA}.leak_hash`;

/** The masked values' hashes (minus those kept elsewhere) in PostgreSQL's binary COPY format. */
function* binaryCopy(hashes: ValueHashes): Generator<Buffer> {
  const header = Buffer.alloc(19);
  header.write("PGCOPY\n\xff\r\n\0", 0, "latin1");
  yield header;
  hashes.distinctMasked = 0;
  let batch = Buffer.alloc(14 * 65536);
  let at = 0;
  for (const [high, low] of hashes.masked.distinct()) {
    if (hashes.kept.has(high, low)) continue;
    hashes.distinctMasked++;
    batch.writeInt16BE(1, at);
    batch.writeInt32BE(8, at + 2);
    batch.writeUInt32BE(high, at + 6);
    batch.writeUInt32BE(low, at + 10);
    at += 14;
    if (at === batch.length) {
      yield batch;
      batch = Buffer.alloc(batch.length);
      at = 0;
    }
  }
  yield batch.subarray(0, at);
  yield Buffer.from([0xff, 0xff]);
}

/**
 * Before the scan's transaction: the hashes go into an unlogged work table with one binary COPY (far
 * cheaper than any form of INSERT for millions of values).
 */
export async function prepareLeakScan(client: pg.Client, url: string, hashes: ValueHashes): Promise<void> {
  await client.query(`create schema if not exists ${MASK_WORK_SCHEMA}`);
  await client.query(
    `drop table if exists ${SCAN_TABLE}; create unlogged table ${SCAN_TABLE} (h bigint not null)`,
  );
  const psql = startPgTool(
    "psql",
    ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy ${SCAN_TABLE} (h) from pstdin with (format binary)`],
    url,
    {
      stdin: "pipe",
      stdout: "ignore",
    },
  );
  await settle(psql, pipeline(Readable.from(binaryCopy(hashes)), psql.child.stdin!));
  await client.query(`analyze ${SCAN_TABLE}`);
}

export async function dropLeakScan(client: pg.Client): Promise<void> {
  await client.query(`drop schema if exists ${MASK_WORK_SCHEMA} cascade`);
}

export async function scanForLeaks(client: pg.Client, hashes: ValueHashes): Promise<LeakScanResult> {
  const all = await textColumns(client);
  // Columns the masker rewrote hold only masks and deliberately kept values; a mask can only equal a
  // source value if some source value had a mask's shape, which the masker watched for.
  const provenMasked = (t: TextColumns, c: string) =>
    !hashes.sourceLooksMasked && t.schema === "public" && hashes.maskedColumns.has(`${t.table}.${c}`);
  const tables = all
    .map((t) => ({ ...t, columns: t.columns.filter((c) => !provenMasked(t, c)) }))
    .filter((t) => t.columns.length > 0);
  const result: LeakScanResult = {
    columnsScanned: all.reduce((n, t) => n + t.columns.length, 0),
    tablesScanned: all.length,
    columnsProvenMasked:
      all.reduce((n, t) => n + t.columns.length, 0) - tables.reduce((n, t) => n + t.columns.length, 0),
    sourceValues: hashes.distinctMasked,
    leaks: [],
  };
  if (hashes.distinctMasked === 0 || tables.length === 0) return result;
  // The hash set is probed once per text cell: give the hash join room to stay in memory.
  await client.query(`set local work_mem = '256MB'`);
  const seed = hashes.seedText();
  const probe = (v: string) =>
    `${v} is not null and hashtextextended(${v}, ${seed}) in (select h from ${SCAN_TABLE})`;
  const cells = (t: TextColumns) =>
    `select unnest(array[${t.columns.map((c) => `t.${q(c)}::text`).join(", ")}]) as v from ${q(t.schema)}.${q(t.table)} t`;
  const { rows } = await client.query<{ n: string }>(
    `select count(*) as n from (${tables.map(cells).join("\nunion all\n")}) cells where ${probe("v")}`,
  );
  if (Number(rows[0]!.n) === 0) return result;
  // Something leaked: find where, column by column (slow, but only on the failure path).
  for (const t of tables) {
    const names = t.columns.map(lit).join(", ");
    const values = t.columns.map((c) => `t.${q(c)}::text`).join(", ");
    const found = await client.query<{ c: string; n: string; example: string | null }>(
      `select x.c, count(*) as n, ${t.hasId ? "min(t.id)::text" : "null"} as example
         from ${q(t.schema)}.${q(t.table)} t, unnest(array[${names}], array[${values}]) as x(c, v)
        where ${probe("x.v")}
        group by x.c order by x.c`,
    );
    for (const r of found.rows)
      result.leaks.push({
        table: t.schema === "public" ? t.table : `${t.schema}.${t.table}`,
        column: r.c,
        cells: Number(r.n),
        exampleId: r.example,
      });
  }
  return result;
}
