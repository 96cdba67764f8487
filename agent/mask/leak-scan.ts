import type pg from "pg";
import { type ScanOptions, type SearchedTable, scanCells } from "./cell-scan.ts";
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

/** Every cell of these types is compared whole and searched inside (json: every key and value of Odoo's properties). */
const SEARCHED_TYPES = ["text", "varchar", "bpchar", "json", "jsonb"];

/** Where an in-place mask keeps its masked copies of the columns until they are applied. */
export const MASK_WORK_SCHEMA = "odooops_mask";

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

/**
 * Looks for every source value the masker replaced anywhere in the database, in one read of each
 * distinct text, json and jsonb cell (cell-scan.ts): as the whole cell, and inside it, where a name or an
 * address survives in chatter, notes or properties. Every column found is reported.
 */
export async function scanForLeaks(
  client: pg.Client,
  hashes: ValueHashes,
  options: ScanOptions = {},
): Promise<LeakScanResult> {
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
  if (result.sourceValues === 0 || searched.length === 0) return result;
  result.leaks = await scanCells(client, hashes, searched, options);
  return result;
}
