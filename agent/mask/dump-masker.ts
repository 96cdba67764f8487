import {
  type MaskRule,
  rulesByTable,
  strategyForType,
  TECHNICAL_PARTNER_XMLIDS,
  TECHNICAL_USER_MODULE,
} from "../../model/data/masking.ts";
import { AgentInputError } from "../errors.ts";
import { type CopyHeader, isNull, TAB } from "../sql-stream/copy-format.ts";
import type { DumpObserver, RowHandler } from "../sql-stream/dump-stream.ts";
import type { OutputBuffer } from "../sql-stream/output-buffer.ts";
import { SchemaTracker } from "../sql-stream/schema-tracker.ts";
import { registeringOffThread } from "./off-thread-values.ts";
import { emptyKeepSets, type KeepSets, RowMasker } from "./row-masker.ts";
import type { MaskRun } from "./run-context.ts";
import type { MaskContext } from "./strategies.ts";
import type { ValueSink } from "./value-hashes.ts";

export interface MaskedTable {
  table: string;
  columns: string[];
  rows: number;
}

/** Reads the fields named `wanted` of each row and passes the row on unchanged. */
class RowReader implements RowHandler {
  private readonly indexes: number[];

  constructor(
    columns: readonly string[],
    wanted: readonly string[],
    private readonly onRow: (values: (string | null)[]) => void,
  ) {
    this.indexes = wanted.map((w) => columns.indexOf(w));
  }

  row(b: Buffer, start: number, end: number, out: OutputBuffer): void {
    const fields: (string | null)[] = [];
    let s = start;
    while (s <= end) {
      let tab = b.indexOf(TAB, s);
      if (tab === -1 || tab > end) tab = end;
      fields.push(isNull(b, s, tab) ? null : b.toString("utf8", s, tab));
      s = tab + 1;
    }
    this.onRow(this.indexes.map((i) => (i >= 0 ? (fields[i] ?? null) : null)));
    out.bytes(b, start, end + 1);
  }
}

/**
 * Masks a plain dump while it streams into the new database, so personal data is never written there.
 * Which partners and users are Odoo's own is learned from ir_model_data and res_company, whose data
 * pg_dump writes before res_partner and res_users (alphabetical order); were it otherwise, those rows
 * would simply be masked too.
 */
export class DumpMasker implements DumpObserver {
  private readonly rules: Map<string, MaskRule[]>;
  private readonly schema = new SchemaTracker();
  readonly tables: MaskedTable[] = [];
  private readonly maskers = new Map<string, RowMasker>();

  constructor(
    rules: readonly MaskRule[],
    private readonly ctx: MaskContext,
    private readonly keep: KeepSets,
    private readonly values: ValueSink,
  ) {
    this.rules = rulesByTable(rules);
  }

  ready(): Promise<void> | undefined {
    return this.values.ready?.();
  }

  statementLine(line: string): void {
    this.schema.line(line);
  }

  /**
   * A masked dump is loaded in the one transaction that also creates its tables (pg/load.ts), so its
   * rows can be written frozen: no reader of the copy (the leak scan, every index build, the first
   * vacuum) then rewrites each page to set hint bits or freeze it. bench/README.md has the gain.
   */
  copyStatement(header: CopyHeader, line: string): string | undefined {
    if (!this.schema.createdPlain(header.schema, header.table)) return undefined;
    // A parsed header line ends in ` FROM stdin;` (copy-format.ts).
    return `${line.slice(0, -1)} WITH (FREEZE);`;
  }

  copyStart(header: CopyHeader): RowHandler | undefined {
    if (this.schema.encoding && this.schema.encoding.toUpperCase() !== "UTF8")
      throw new Error(
        `the dump is in ${this.schema.encoding}; masking compares values as UTF-8, so only UTF-8 databases can be masked`,
      );
    if (header.schema !== "public") return undefined;
    if (header.table === "ir_model_data")
      return new RowReader(
        header.columns,
        ["module", "model", "name", "res_id"],
        ([module, model, name, id]) => {
          if (module !== TECHNICAL_USER_MODULE || id === null || id === undefined) return;
          if (model === "res.users") this.keep["technical-users"].add(Number(id));
          if (
            model === "res.partner" &&
            (TECHNICAL_PARTNER_XMLIDS as readonly (string | null)[]).includes(name ?? null)
          )
            this.keep["technical-partners"].add(Number(id));
        },
      );
    if (header.table === "res_company")
      return new RowReader(header.columns, ["partner_id"], ([partner]) => {
        if (partner !== null) this.keep["technical-partners"].add(Number(partner));
      });
    const tableRules = this.rules.get(header.table);
    if (!tableRules) return undefined;
    const facts = this.schema.columns(header.schema, header.table);
    const rules = tableRules.map((rule) => {
      const column = facts?.get(rule.column);
      if (!column) return rule;
      const strategy = strategyForType(rule.strategy, column.type);
      if (!strategy)
        throw new AgentInputError(
          `${header.table}.${rule.column} is ${column.type}; only text and json columns can be masked`,
        );
      return { ...rule, strategy };
    });
    const notNull = new Set([...(facts ?? new Map())].filter(([, f]) => f.notNull).map(([name]) => name));
    const masker = new RowMasker(header.columns, rules, this.ctx, this.keep, this.values, notNull);
    if (!masker.active) return undefined;
    this.maskers.set(header.table, masker);
    this.tables.push({
      table: header.table,
      columns: rules.map((r) => r.column).filter((c) => header.columns.includes(c)),
      rows: 0,
    });
    return { row: (b, s, e, out) => masker.maskLine(b, s, e, out) };
  }

  copyEnd(header: CopyHeader, rows: number): void {
    const table = this.tables.find((t) => t.table === header.table && header.schema === "public");
    if (table && this.maskers.has(header.table)) table.rows = rows;
  }
}

/**
 * Runs `work` with a DumpMasker for `mask` whose source values are registered on a worker thread beside
 * the masking; once `work` succeeded, `mask.hashes` holds them all for the leak scan.
 */
export function maskingDump<T>(mask: MaskRun, work: (masker: DumpMasker) => Promise<T>): Promise<T> {
  return registeringOffThread(mask.hashes, (values) =>
    work(new DumpMasker(mask.rules, mask.ctx, emptyKeepSets(), values)),
  );
}
