import { unquoteIdentifier } from "./copy-format.ts";

export interface ColumnFacts {
  type: string;
  notNull: boolean;
}

const CREATE_TABLE =
  /^CREATE (?:UNLOGGED )?TABLE ("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\.("(?:[^"]|"")+"|[A-Za-z_][\w$]*) \($/;
const COLUMN = /^ {4}("(?:[^"]|"")+"|[A-Za-z_][\w$]*) (.+?),?$/;
const TEXT_TYPES = /^(text|character varying|character|varchar|citext)\b/;

/**
 * Learns column types and NOT NULL constraints from the CREATE TABLE statements of a plain dump, which
 * always precede the table's data. Enough to mask a NOT NULL column with '' instead of NULL, and to
 * refuse masking a column that does not hold text.
 */
export class SchemaTracker {
  private readonly tables = new Map<string, Map<string, ColumnFacts>>();
  /** Tables whose CREATE TABLE ended with a plain `);`: not partitioned (nor inheriting, nor WITH …). */
  private readonly plain = new Set<string>();
  private current: Map<string, ColumnFacts> | undefined;
  private currentName = "";
  encoding: string | undefined;

  line(line: string): void {
    if (this.current) {
      if (line.startsWith(")")) {
        if (line === ");") this.plain.add(this.currentName);
        this.current = undefined;
      } else {
        const column = COLUMN.exec(line);
        if (column && !column[1]!.startsWith("CONSTRAINT"))
          this.current.set(unquoteIdentifier(column[1]!), {
            type: column[2]!.replace(/ (NOT NULL|DEFAULT .*|COLLATE .*)$/, ""),
            notNull: / NOT NULL\b/.test(column[2]!),
          });
      }
      return;
    }
    const table = CREATE_TABLE.exec(line);
    if (table) {
      this.current = new Map();
      this.currentName = `${unquoteIdentifier(table[1]!)}.${unquoteIdentifier(table[2]!)}`;
      this.tables.set(this.currentName, this.current);
      return;
    }
    const encoding = /^SET client_encoding = '([^']+)';$/.exec(line);
    if (encoding) this.encoding = encoding[1];
  }

  columns(schema: string, table: string): Map<string, ColumnFacts> | undefined {
    return this.tables.get(`${schema}.${table}`);
  }

  /** Whether this dump created the table, as an ordinary table (not partitioned: COPY FREEZE refuses those). */
  createdPlain(schema: string, table: string): boolean {
    return this.plain.has(`${schema}.${table}`);
  }

  static isText(facts: ColumnFacts): boolean {
    return TEXT_TYPES.test(facts.type);
  }
}
