import type pg from "pg";
import { normalizeText, type PiiPatterns, redact } from "./pii-patterns.ts";

/** A column of the copy that still holds source values inside its text. */
export interface SubstringLeak {
  table: string;
  column: string;
  cells: number;
  exampleId: string | null;
  /** The first value found, redacted to its shape (first letter of each word). */
  example: string;
}

/** A table and the text columns of it to search. */
export interface SearchedTable {
  schema: string;
  table: string;
  columns: string[];
  hasId: boolean;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

const CURSOR = "odooops_leak_cells";
const BATCH = 5000;
/** Shorter cells cannot hold a value long enough to be searched for (pii-patterns.ts MIN_CHARS). */
const MIN_CELL = 6;

/**
 * Reads every distinct text, varchar, char, json and jsonb value of the database once (a cursor per
 * table, in the caller's transaction, so an in-place mask is searched before it commits) and looks for
 * every source value inside it. The database groups equal cells first (time zones, model names, states
 * repeat on every row), with their count and one row id, so each distinct text is searched once.
 */
export async function scanSubstrings(
  client: pg.Client,
  patterns: PiiPatterns,
  tables: readonly SearchedTable[],
): Promise<SubstringLeak[]> {
  const leaks: SubstringLeak[] = [];
  if (patterns.size === 0) return leaks;
  for (const t of tables) {
    const columns = t.columns;
    const indexes = columns.map((_, k) => k).join(", ");
    const cells = columns.map((c) => `t.${q(c)}::text`).join(", ");
    await client.query(
      `declare ${CURSOR} no scroll cursor for
         select x.k, x.v, count(*)::int, ${t.hasId ? "min(t.id)::text" : "null"}
           from ${q(t.schema)}.${q(t.table)} t, unnest(array[${indexes}], array[${cells}]) as x(k, v)
          where length(x.v) >= ${MIN_CELL}
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
          const text = normalizeText(value);
          const hit = patterns.find(text);
          if (!hit) continue;
          const f = found[k]!;
          if (f.cells === 0) {
            f.exampleId = id;
            f.example = redact(text.slice(hit.start, hit.end));
          }
          f.cells += count;
        }
        if (batch.rows.length < BATCH) break;
      }
    } finally {
      await client.query(`close ${CURSOR}`);
    }
    columns.forEach((column, k) => {
      const f = found[k]!;
      if (f.cells > 0)
        leaks.push({ table: t.schema === "public" ? t.table : `${t.schema}.${t.table}`, column, ...f });
    });
  }
  return leaks;
}
