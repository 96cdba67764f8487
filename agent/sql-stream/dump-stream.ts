import { Transform, type TransformCallback } from "node:stream";
import { type CopyHeader, NEWLINE, parseCopyHeader } from "./copy-format.ts";
import { OutputBuffer } from "./output-buffer.ts";

/** Rewrites the rows of one COPY block. */
export interface RowHandler {
  row(bytes: Buffer, start: number, end: number, out: OutputBuffer): void;
}

/** What a pass over a plain-format dump (pg_dump -Fp, Odoo's dump.sql) wants to see or change. */
export interface DumpObserver {
  /** Text written before the dump's first byte. */
  prologue?(): string;
  /** Each SQL line outside COPY data, without its newline. */
  statementLine?(line: string): void;
  /** True for a SQL line outside COPY data (without its newline) to leave out of the output. */
  dropsLine?(line: string): boolean;
  /** A COPY block starts: return a handler to rewrite its rows, or nothing to pass them through. */
  copyStart?(header: CopyHeader): RowHandler | undefined;
  /** The COPY statement to write for this block instead of `line` (without its newline), if any. */
  copyStatement?(header: CopyHeader, line: string): string | undefined;
  copyEnd?(header: CopyHeader, rows: number): void;
  /** After each input chunk: a promise when the observer must catch up before the next (backpressure). */
  ready?(): Promise<void> | undefined;
  /** Text written after the dump's last byte, in pieces. */
  epilogue?(): Iterable<string>;
  /** When set, SQL outside COPY data is held back until judged (see StatementHold). */
  hold?: StatementHold;
}

/**
 * Holds every line outside COPY data (long ones too) instead of writing it, so that nothing reaches psql
 * before it is judged: the held text is written when `release` returns it, before a COPY block's data
 * flows (the block's header is then the last line held) and at the end of the dump. `release` throws to
 * stop the stream. While holding, a COPY block ended by `\.\r\n` is refused: psql ends the block there
 * too, and the lines after it would reach psql as SQL nobody judged.
 */
export interface StatementHold {
  line(text: string): void;
  release(beforeCopyData: boolean): string;
}

const TERMINATOR = Buffer.from("\\.\n");
const LINE_TERMINATOR = Buffer.from("\n\\.\n");
const CR_TERMINATOR = Buffer.from("\\.\r\n");
const CR_LINE_TERMINATOR = Buffer.from("\n\\.\r\n");

function countNewlines(b: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = b.indexOf(NEWLINE, start); i !== -1 && i < end; i = b.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Streams a plain-format dump, finding COPY blocks without splitting their rows into lines unless an
 * observer rewrites that table: passing a gigabyte through costs a few memchr calls per chunk.
 */
export class DumpStream extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private header: CopyHeader | undefined;
  private handler: RowHandler | undefined;
  private rows = 0;
  private started = false;
  private readonly out = new OutputBuffer();

  constructor(private readonly observer: DumpObserver) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (!this.started) {
        this.started = true;
        const prologue = this.observer.prologue?.();
        if (prologue) this.push(Buffer.from(prologue));
      }
      const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
      const consumed = this.consume(data);
      this.carry = Buffer.from(data.subarray(consumed));
      const ready = this.observer.ready?.();
      if (ready) ready.then(() => done(), done);
      else done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.header || this.carry.length > 0) {
        const where = this.header ? ` inside the data of ${this.header.schema}.${this.header.table}` : "";
        throw new Error(`the dump ends in the middle of a statement${where}: it is truncated`);
      }
      if (!this.started) {
        const prologue = this.observer.prologue?.();
        if (prologue) this.push(Buffer.from(prologue));
      }
      if (this.observer.hold) this.push(Buffer.from(this.observer.hold.release(false)));
      for (const piece of this.observer.epilogue?.() ?? []) this.push(Buffer.from(piece));
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Processes whole lines of data; returns how many bytes were used. */
  private consume(data: Buffer): number {
    let pos = 0;
    while (pos < data.length) {
      if (!this.header) {
        const nl = data.indexOf(NEWLINE, pos);
        if (nl === -1) break;
        this.statement(data, pos, nl);
        pos = nl + 1;
      } else if (!this.handler) {
        const next = this.passRows(data, pos);
        if (next === pos) break;
        pos = next;
      } else {
        const nl = data.indexOf(NEWLINE, pos);
        if (nl === -1) break;
        if (nl - pos === 2 && data[pos] === 0x5c && data[pos + 1] === 0x2e) {
          this.flushOut();
          this.push(TERMINATOR);
          this.endCopy();
        } else {
          this.handler.row(data, pos, nl, this.out);
          this.rows++;
        }
        pos = nl + 1;
      }
    }
    this.flushOut();
    return pos;
  }

  private statement(data: Buffer, start: number, nl: number): void {
    if (this.observer.hold) {
      this.held(this.observer.hold, data.toString("utf8", start, nl));
      return;
    }
    // Long lines are function bodies or comments, never COPY headers.
    const line = nl - start > 20000 ? undefined : data.toString("utf8", start, nl);
    if (line !== undefined) {
      if (this.observer.dropsLine?.(line)) return;
      this.observer.statementLine?.(line);
    }
    const header = line?.startsWith("COPY ") ? parseCopyHeader(line) : undefined;
    const rewritten = header && this.observer.copyStatement?.(header, line!);
    this.push(rewritten === undefined ? data.subarray(start, nl + 1) : Buffer.from(`${rewritten}\n`));
    if (header) this.startCopy(header);
  }

  private held(hold: StatementHold, line: string): void {
    if (this.observer.dropsLine?.(line)) return;
    hold.line(line);
    const header = line.startsWith("COPY ") ? parseCopyHeader(line) : undefined;
    if (!header) return;
    this.push(Buffer.from(hold.release(true)));
    this.startCopy(header);
  }

  private startCopy(header: CopyHeader): void {
    this.header = header;
    this.rows = 0;
    this.handler = this.observer.copyStart?.(header);
  }

  /** Passes COPY rows through unchanged up to the block's end or the last whole line. */
  private passRows(data: Buffer, pos: number): number {
    let end = -1;
    if (data.length - pos >= 3 && data[pos] === 0x5c && data[pos + 1] === 0x2e && data[pos + 2] === NEWLINE)
      end = pos;
    else {
      const at = data.indexOf(LINE_TERMINATOR, pos);
      if (at !== -1) end = at + 1;
    }
    if (this.observer.hold) this.refuseCrTerminator(data, pos, end);
    if (end === -1) {
      const last = data.lastIndexOf(NEWLINE);
      if (last < pos) return pos;
      this.rows += countNewlines(data, pos, last + 1);
      this.push(data.subarray(pos, last + 1));
      return last + 1;
    }
    this.rows += countNewlines(data, pos, end);
    if (end > pos) this.push(data.subarray(pos, end));
    this.push(TERMINATOR);
    this.endCopy();
    return end + 3;
  }

  /** Refuses a `\.\r\n` line in this block's data before `end`, where its `\.\n` is (-1: not in `data`). */
  private refuseCrTerminator(data: Buffer, pos: number, end: number): void {
    const atStart = data.subarray(pos, pos + CR_TERMINATOR.length).equals(CR_TERMINATOR);
    const cr = atStart ? pos : data.indexOf(CR_LINE_TERMINATOR, pos);
    if (cr !== -1 && (end === -1 || cr < end))
      throw new Error(
        `the data of ${this.header!.schema}.${this.header!.table} ends with "\\.\\r\\n", which pg_dump never writes`,
      );
  }

  private endCopy(): void {
    const header = this.header!;
    this.header = undefined;
    this.handler = undefined;
    this.observer.copyEnd?.(header, this.rows);
  }

  private flushOut(): void {
    if (this.out.size > 0) this.push(this.out.take());
  }
}
