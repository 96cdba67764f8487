import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { Hash64 } from "../hash/fnv64.ts";
import { HashSet64 } from "../hash/hash-set.ts";
import { BACKSLASH, isNull, NEWLINE, TAB, unescapeField } from "../sql-stream/copy-format.ts";
import { redact } from "./pii-patterns.ts";
import type { ValueHashes } from "./value-hashes.ts";
import { normalizeText } from "./value-words.ts";

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

/**
 * Reads every text, varchar, char, json and jsonb value of the database (one COPY per table, in the
 * caller's transaction, so an in-place mask is searched before it commits) and asks, once per distinct
 * value of a column, whether it is a source value or holds one. Equal cells (time zones, model names,
 * states repeat on every row) are told apart by a 64-bit hash of their bytes in Node: the database only
 * streams the rows, which costs it a tenth of grouping them (bench/README.md). Cells shorter than every
 * source value are skipped.
 */
export async function scanCells(
  client: pg.Client,
  hashes: ValueHashes,
  tables: readonly SearchedTable[],
  options: ScanOptions = {},
): Promise<CellLeak[]> {
  const leaks: CellLeak[] = [];
  for (const t of tables) {
    const cells = t.columns.map((c) => `t.${q(c)}::text`).join(", ");
    const reader = new TableCells(hashes, t.columns.length);
    if (options.tableByTable) await client.query("begin");
    try {
      const rows = client.query(
        copyTo(
          `copy (select ${t.hasId ? "t.id::text" : "null"}, ${cells} from ${q(t.schema)}.${q(t.table)} t) to stdout`,
        ),
      );
      for await (const chunk of rows) reader.chunk(chunk as Buffer);
      reader.end(`${t.schema}.${t.table}`);
    } finally {
      if (options.tableByTable) await client.query("commit");
    }
    t.columns.forEach((column, k) => {
      const { example, ...f } = reader.found[k]!;
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

interface Found {
  cells: number;
  exampleId: string | null;
  example: string;
}

const decoder = new TextDecoder();

/** The cells of one table's COPY rows (id, then each searched column), each distinct one of a column asked once. */
class TableCells {
  readonly found: Found[];
  /** Hashes (column mixed in) of the cells seen so far. */
  private readonly seen = new HashSet64();
  /** Cells found to leak, by hash: their repeats count too, and the lowest row id is the example. */
  private readonly leaked = new Map<string, { k: number; example: string }>();
  private readonly hash = new Hash64();
  private carry: Buffer = Buffer.alloc(0);

  constructor(
    private readonly hashes: ValueHashes,
    columns: number,
  ) {
    this.found = Array.from({ length: columns }, () => ({ cells: 0, exampleId: null, example: "" }));
  }

  chunk(chunk: Buffer): void {
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    let s = 0;
    for (let nl = data.indexOf(NEWLINE, s); nl !== -1; nl = data.indexOf(NEWLINE, s)) {
      this.row(data, s, nl);
      s = nl + 1;
    }
    this.carry = Buffer.from(data.subarray(s));
  }

  end(table: string): void {
    if (this.carry.length > 0) throw new Error(`the rows of ${table} ended in the middle of a row`);
  }

  private row(b: Buffer, start: number, end: number): void {
    let tab = b.indexOf(TAB, start);
    if (tab === -1 || tab > end) throw new Error("a scanned row has no cells");
    const id = isNull(b, start, tab) ? null : b.toString("latin1", start, tab);
    for (let k = 0; tab < end; k++) {
      const s = tab + 1;
      tab = b.indexOf(TAB, s);
      if (tab === -1 || tab > end) tab = end;
      if (tab - s >= this.hashes.shortest && !isNull(b, s, tab)) this.cell(k, b, s, tab, id);
    }
  }

  private cell(k: number, b: Buffer, s: number, e: number, id: string | null): void {
    const h = this.hash.reset(Math.imul(k + 1, 0x9e3779b1)).feedBytes(b, s, e);
    const before = this.seen.size;
    this.seen.add(h.high, h.low);
    if (this.seen.size === before) {
      if (this.leaked.size === 0) return;
      const leak = this.leaked.get(`${h.high}:${h.low}`);
      if (leak) this.count(leak.k, id, leak.example);
      return;
    }
    const escaped = b.indexOf(BACKSLASH, s);
    const value = decoder.decode(escaped !== -1 && escaped < e ? unescapeField(b, s, e) : b.subarray(s, e));
    const whole = this.hashes.isMaskedValue(value);
    const text = normalizeText(value);
    const hit = this.hashes.patterns.find(text);
    if (!hit && !whole) return;
    const example = hit ? redact(text.slice(hit.start, hit.end)) : "";
    this.leaked.set(`${h.high}:${h.low}`, { k, example });
    this.count(k, id, example);
  }

  private count(k: number, id: string | null, example: string): void {
    const f = this.found[k]!;
    // The lowest row id as the example: the same report whatever order the rows come in.
    if (f.cells === 0 || (id !== null && Number(id) < Number(f.exampleId))) {
      f.exampleId = id;
      f.example = example;
    }
    f.cells++;
  }
}
