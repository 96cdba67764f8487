import { randomBytes } from "node:crypto";
import { AgentError, errorMessage } from "../errors.ts";
import { DumpStream } from "../sql-stream/dump-stream.ts";
import { type DumpStatement, judgeDumpStatements } from "./dump-statements.ts";

/** pg_dump's own `\restrict KEY` and `\unrestrict KEY` lines (PostgreSQL 15.14 and later). */
const DUMP_RESTRICT_LINE = /^\\(?:un)?restrict\s+\S+\s*$/;

/**
 * Puts psql in restricted mode before the first byte of SQL it runs, so that no backslash command in a
 * dump runs: psql executes `\! cmd`, `\o |cmd` or `\copy … to program` wherever they appear in its input,
 * and a crafted dump.sql (an uploaded Odoo zip, a changed backup) would otherwise run a shell in the
 * agent, beside the production and backup credentials. The key is drawn here and never written
 * anywhere else, so nothing in the dump can lift the restriction. psql refuses to nest restricted mode,
 * so pg_dump's own restrict lines are left out; the guard they gave is the one given here. A psql older
 * than 15.14 does not know `\restrict` and stops at once: the restore fails closed.
 */
export function restrictedPsqlInput(): DumpStream {
  return new DumpStream(restricted());
}

function restricted() {
  const key = randomBytes(32).toString("hex");
  return {
    prologue: () => `\\restrict ${key}\n`,
    dropsLine: (line: string) => DUMP_RESTRICT_LINE.test(line),
  };
}

/**
 * restrictedPsqlInput for a dump nobody vouches for (an uploaded zip, a backup read back from storage):
 * besides, every statement outside COPY data is held back and judged (agent/pg/dump-statements.ts) before
 * psql gets any of it. The first refused one stops the load, naming its line of dump.sql.
 */
export function untrustedDumpInput(): DumpStream {
  const held: string[] = [];
  /** dump.sql's line number of held[0], and of the line after the last one seen. */
  let firstLine = 1;
  let line = 1;
  const base = restricted();
  const release = (beforeCopyData: boolean): string => {
    // A COPY header is judged on its own line, so that it is the COPY the server runs and nothing before
    // it is left open (each statement before it must end with its `;`).
    const header = beforeCopyData ? held.pop() : undefined;
    const before = held.length > 0 ? `${held.join("\n")}\n` : "";
    judge(before, firstLine, false);
    if (header !== undefined) judge(`${header}\n`, firstLine + held.length, true);
    held.length = 0;
    firstLine = line;
    return header === undefined ? before : `${before}${header}\n`;
  };
  return new DumpStream({
    ...base,
    dropsLine: (text) => {
      const dropped = base.dropsLine(text);
      if (dropped) line++;
      return dropped;
    },
    hold: {
      line: (text) => {
        held.push(text);
        line++;
      },
      release,
    },
    copyEnd: (_header, rows) => {
      line += rows + 1;
      firstLine = line;
    },
  });
}

/** Judges SQL text that starts at dump.sql's line `firstLine`; `copyLine`: it is one COPY header. */
function judge(text: string, firstLine: number, copyLine: boolean): void {
  const bytes = Buffer.from(text);
  const starts = lineStarts(bytes);
  const lineAt = (offset: number) => firstLine + Math.max(0, upperBound(starts, offset) - 1);
  const refuse = (where: number, message: string) =>
    new AgentError(
      `dump.sql:${where}: ${message}; pg_dump does not write it, and nothing of the dump was kept`,
      2,
    );
  // psql, not the server, would read a backslash line: the message restricted mode would give.
  const meta = text.split("\n").findIndex((row) => /^\s*\\/.test(row));
  if (meta !== -1) throw new AgentError(`dump.sql:${firstLine + meta}: ${BACKSLASH_REFUSAL}`, 2);
  let statements: DumpStatement[];
  try {
    statements = judgeDumpStatements(text);
  } catch (error) {
    throw refuse(firstLine, `not SQL PostgreSQL can run (${errorMessage(error)})`);
  }
  if (copyLine && (statements.length !== 1 || statements[0]!.kind !== "CopyStmt"))
    throw refuse(firstLine, "the COPY line is not one COPY statement of its own");
  for (const statement of statements) {
    const where = lineAt(firstNonBlank(bytes, statement.start));
    const kind = statement.kind.replace(/Stmt$/, "");
    if (statement.kind === "CopyStmt" && !copyLine)
      throw refuse(where, "COPY is only loaded as pg_dump writes it, on a line of its own before its data");
    if (statement.refusal) throw refuse(where, `${kind}: ${statement.refusal}`);
    if (!statement.terminated) throw refuse(where, `${kind} does not end with ;`);
  }
}

/** The byte offset of the first byte at or after `offset` that is not white space. */
function firstNonBlank(bytes: Buffer, offset: number): number {
  let at = offset;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x09)) at++;
  return at;
}

/** Byte offset of each line of `bytes`. */
function lineStarts(bytes: Buffer): number[] {
  const starts = [0];
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < bytes.length - 1; i = bytes.indexOf(0x0a, i + 1))
    starts.push(i + 1);
  return starts;
}

/** How many of the sorted `values` are <= `value`. */
function upperBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

const BACKSLASH_REFUSAL =
  "the SQL holds a psql backslash command (such as \\! or \\copy), which the agent never runs: it did not run, and the load stopped there. pg_dump never writes one outside its \\restrict lines, so the dump was made or changed by something else";

/** psql's words when restricted mode stopped a backslash command, and when it does not know the mode. */
const REFUSED = /backslash commands are restricted/;
const UNKNOWN = /invalid command \\restrict/;

/** The agent's own message for a psql failure caused by restricted mode; other errors unchanged. */
export function explainRestricted(error: unknown): unknown {
  const message = error instanceof Error ? error.message : "";
  if (REFUSED.test(message)) return new AgentError(BACKSLASH_REFUSAL, 2);
  if (UNKNOWN.test(message))
    return new AgentError(
      "this psql does not know \\restrict (PostgreSQL client 15.14 or later is needed to load a dump safely): install a current postgresql-client-15 or set ODOOOPS_PG_BIN",
    );
  return error;
}
