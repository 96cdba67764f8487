import type { KeepRows, MaskRule } from "../../model/data/masking.ts";
import { SCANNED_STRATEGIES } from "../../model/data/masking.ts";
import { isNull, TAB } from "../sql-stream/copy-format.ts";
import type { OutputBuffer } from "../sql-stream/output-buffer.ts";
import { type MaskContext, maskInto } from "./strategies.ts";
import type { ValueSink } from "./value-hashes.ts";

/** Ids of rows some rules must leave alone, learned from the database or from the dump itself. */
export interface KeepSets {
  "technical-partners": Set<number>;
  "technical-users": Set<number>;
}

export function emptyKeepSets(): KeepSets {
  return { "technical-partners": new Set(), "technical-users": new Set() };
}

interface MaskedColumn {
  index: number;
  rule: MaskRule;
  notNull: boolean;
  scanned: boolean;
}

/**
 * Masks the rows of one table's COPY data. `columns` are the table's columns in COPY order; rules for
 * columns the table does not have are ignored (module not installed, other Odoo version).
 */
export class RowMasker {
  private readonly masked: MaskedColumn[];
  private readonly idIndex: number;
  private readonly lastIndex: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  rows = 0;

  constructor(
    columns: readonly string[],
    rules: readonly MaskRule[],
    private readonly ctx: MaskContext,
    private readonly keep: KeepSets,
    private readonly values: ValueSink,
    notNullColumns: ReadonlySet<string> = new Set(),
  ) {
    this.masked = rules
      .map((rule) => ({
        index: columns.indexOf(rule.column),
        rule,
        notNull: notNullColumns.has(rule.column),
        scanned: SCANNED_STRATEGIES.has(rule.strategy),
      }))
      .filter((c) => c.index >= 0)
      .sort((a, b) => a.index - b.index);
    this.idIndex = columns.indexOf("id");
    for (const c of this.masked) if (c.scanned) values.maskedColumns.add(`${c.rule.table}.${c.rule.column}`);
    if (this.masked.some((c) => c.rule.keep) && this.idIndex < 0)
      throw new Error(`table ${rules[0]?.table} has rules that keep rows by id but no id column`);
    this.lastIndex = Math.max(this.idIndex, ...this.masked.map((c) => c.index));
    this.starts = new Int32Array(this.lastIndex + 1);
    this.ends = new Int32Array(this.lastIndex + 1);
  }

  get active(): boolean {
    return this.masked.length > 0;
  }

  /** Writes the masked version of the row bytes[start, end) (without its newline) to out, plus "\n". */
  maskLine(b: Buffer, start: number, end: number, out: OutputBuffer): void {
    this.rows++;
    // memchr (Buffer#indexOf) per field up to the last one needed.
    let fieldStart = start;
    const last = this.lastIndex;
    for (let k = 0; k <= last; k++) {
      let tab = k === last ? -1 : b.indexOf(TAB, fieldStart);
      if (k === last) {
        tab = fieldStart;
        while (tab < end && b[tab] !== TAB) tab++;
      } else if (tab === -1 || tab > end) tab = end;
      this.starts[k] = fieldStart;
      this.ends[k] = tab;
      fieldStart = tab < end ? tab + 1 : end;
    }
    let id = 0;
    if (this.idIndex >= 0)
      for (let i = this.starts[this.idIndex]!; i < this.ends[this.idIndex]!; i++) id = id * 10 + b[i]! - 0x30;
    let copied = start;
    for (const column of this.masked) {
      const s = this.starts[column.index]!;
      const e = this.ends[column.index]!;
      if (isNull(b, s, e)) continue;
      const kept = column.rule.keep !== undefined && this.keep[column.rule.keep as KeepRows].has(id);
      if (column.scanned) this.values.add(b, s, e, kept, column.rule.strategy);
      if (kept) continue;
      out.bytes(b, copied, s);
      if (!maskInto(column.rule.strategy, this.ctx, b, s, e, out)) out.text(column.notNull ? "" : "\\N");
      copied = e;
    }
    out.bytes(b, copied, end);
    out.byte(0x0a);
  }
}
