import type pg from "pg";
import { normalizeText, redact } from "./pii-patterns.ts";
import type { ValueHashes } from "./value-hashes.ts";

/** A column of the copy that still holds source values, whole or inside its text. */
export interface CellLeak {
  table: string;
  column: string;
  cells: number;
  exampleId: string | null;
  /** The first value found inside a text, redacted to its shape (first letter of each word). */
  example?: string;
}

/** A table and the text columns of it to search. */
export interface SearchedTable {
  schema: string;
  table: string;
  columns: string[];
  hasId: boolean;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface ScanOptions {
  /**
   * Each table in a transaction of its own, its lock released before the next (a copy whose indexes are
   * being built beside the scan); otherwise everything in the caller's transaction (an in-place mask
   * is searched before it commits).
   */
  tableByTable?: boolean;
}

const CURSOR = "odooops_leak_cells";
const BATCH = 5000;

/**
 * Reads every distinct text, varchar, char, json and jsonb value of the database once (a cursor per
 * table, in the caller's transaction, so an in-place mask is searched before it commits) and asks whether
 * it is a source value, or holds one. The database groups equal cells first (time zones, model names,
 * states repeat on every row), with their count and one row id, so each distinct text is read once; cells
 * shorter than every source value are left in the database.
 */
export async function scanCells(
  client: pg.Client,
  hashes: ValueHashes,
  tables: readonly SearchedTable[],
  options: ScanOptions = {},
): Promise<CellLeak[]> {
  const leaks: CellLeak[] = [];
  const patterns = hashes.patterns;
  for (const t of tables) {
    const columns = t.columns;
    const indexes = columns.map((_, k) => k).join(", ");
    const cells = columns.map((c) => `t.${q(c)}::text`).join(", ");
    if (options.tableByTable) await client.query("begin");
    await client.query(
      `declare ${CURSOR} no scroll cursor for
         select x.k, x.v, count(*)::int, ${t.hasId ? "min(t.id)::text" : "null"}
           from ${q(t.schema)}.${q(t.table)} t, unnest(array[${indexes}], array[${cells}]) as x(k, v)
          where length(x.v) >= ${hashes.shortest}
          group by x.k, x.v`,
    );
    const found = columns.map(() => ({ cells: 0, exampleId: null as string | null, example: "" }));
    try {
      for (;;) {
        const batch = await client.query<[number, string, number, string | null]>({
          text: `fetch ${BATCH} from ${CURSOR}`,
          rowMode: "array",
        });
        for (const [k, value, count, id] of batch.rows) {
          const whole = hashes.isMaskedValue(value);
          const text = normalizeText(value);
          const hit = patterns.find(text);
          if (!hit && !whole) continue;
          const f = found[k]!;
          // The lowest row id as the example: the same report whatever order the groups come in.
          if (f.cells === 0 || (id !== null && Number(id) < Number(f.exampleId))) {
            f.exampleId = id;
            f.example = hit ? redact(text.slice(hit.start, hit.end)) : "";
          }
          f.cells += count;
        }
        if (batch.rows.length < BATCH) break;
      }
    } finally {
      await client.query(options.tableByTable ? "commit" : `close ${CURSOR}`);
    }
    columns.forEach((column, k) => {
      const { example, ...f } = found[k]!;
      if (f.cells > 0)
        leaks.push({
          table: t.schema === "public" ? t.table : `${t.schema}.${t.table}`,
          column,
          ...f,
          ...(example ? { example } : {}),
        });
    });
  }
  return leaks;
}
