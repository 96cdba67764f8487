import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { settle } from "../pg/load.ts";
import { startPgTool } from "../pg/tools.ts";
import { type SearchedTable, scanSubstrings } from "./substring-scan.ts";
import type { ValueHashes } from "./value-hashes.ts";

export interface Leak {
  table: string;
  column: string;
  cells: number;
  /** The id of one row that holds a leaked value, so it can be found without printing the value. */
  exampleId: string | null;
  /** The value found inside a longer text, redacted to its shape ("a••• p••••••"). */
  example?: string;
}

export interface LeakScanResult {
  /** Text columns looked at: searched by the database, or proven masked while they were written. */
  columnsScanned: number;
  columnsProvenMasked: number;
  tablesScanned: number;
  sourceValues: number;
  leaks: Leak[];
}

type TextColumns = SearchedTable;

/** Whole-cell comparison: text types only. */
const TEXT_TYPES = ["text", "varchar", "bpchar"];
/** Search inside the text: json and jsonb too (every key and value of Odoo's properties fields). */
const SEARCHED_TYPES = [...TEXT_TYPES, "json", "jsonb"];

/** Where an in-place mask keeps its masked copies of the columns until they are applied. */
export const MASK_WORK_SCHEMA = "odooops_mask";

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Every column of these types of every ordinary table outside the system schemas and the agent's own. */
async function textColumns(client: pg.Client, types: readonly string[]): Promise<TextColumns[]> {
  const { rows } = await client.query<{ schema: string; table: string; columns: string[]; has_id: boolean }>(
    `select n.nspname as schema, c.relname as table,
            array_agg(a.attname::text order by a.attnum) filter (where a.atttypid = any($2::regtype[])) as columns,
            bool_or(a.attname = 'id') as has_id
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', $1)
        and n.nspname not like 'pg\\_%'
      group by n.nspname, c.relname
      order by 1, 2`,
    [MASK_WORK_SCHEMA, types],
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

/**
 * Looks for every source value the masker replaced anywhere in the database: as a whole text cell (the
 * database compares hashes), and inside every text, json and jsonb cell (substring-scan.ts), where a
 * name or an address survives in chatter, notes or properties. Every column found is reported.
 */
export async function scanForLeaks(client: pg.Client, hashes: ValueHashes): Promise<LeakScanResult> {
  // Columns the masker rewrote hold only masks and deliberately kept values; a mask can only equal a
  // source value if some source value had a mask's shape, which the masker watched for.
  const provenMasked = (t: TextColumns, c: string) =>
    !hashes.sourceLooksMasked && t.schema === "public" && hashes.maskedColumns.has(`${t.table}.${c}`);
  const unproven = (list: TextColumns[]) =>
    list
      .map((t) => ({ ...t, columns: t.columns.filter((c) => !provenMasked(t, c)) }))
      .filter((t) => t.columns.length > 0);
  const all = await textColumns(client, SEARCHED_TYPES);
  const searched = unproven(all);
  const count = (list: TextColumns[]) => list.reduce((n, t) => n + t.columns.length, 0);
  const result: LeakScanResult = {
    columnsScanned: count(all),
    tablesScanned: all.length,
    columnsProvenMasked: count(all) - count(searched),
    sourceValues: hashes.distinctMasked,
    leaks: [],
  };
  if (hashes.distinctMasked === 0 || searched.length === 0) return result;
  const whole = await wholeCellLeaks(client, hashes, unproven(await textColumns(client, TEXT_TYPES)));
  const inside = await scanSubstrings(client, hashes.patterns, searched);
  result.leaks = mergeLeaks(whole, inside);
  return result;
}

/** One finding per column: the larger count, the redacted example when the text search has one. */
function mergeLeaks(whole: Leak[], inside: Leak[]): Leak[] {
  const byColumn = new Map<string, Leak>();
  for (const leak of [...whole, ...inside]) {
    const key = `${leak.table}.${leak.column}`;
    const seen = byColumn.get(key);
    byColumn.set(
      key,
      seen ? { ...seen, ...leak, cells: Math.max(seen.cells, leak.cells), exampleId: seen.exampleId } : leak,
    );
  }
  return [...byColumn.values()].sort((a, b) =>
    `${a.table}.${a.column}`.localeCompare(`${b.table}.${b.column}`),
  );
}

/** Cells equal to a source value, counted by the database against the hashes sent by prepareLeakScan. */
async function wholeCellLeaks(
  client: pg.Client,
  hashes: ValueHashes,
  tables: TextColumns[],
): Promise<Leak[]> {
  const leaks: Leak[] = [];
  if (tables.length === 0) return leaks;
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
  if (Number(rows[0]!.n) === 0) return leaks;
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
      leaks.push({
        table: t.schema === "public" ? t.table : `${t.schema}.${t.table}`,
        column: r.c,
        cells: Number(r.n),
        exampleId: r.example,
      });
  }
  return leaks;
}
