import { Transform, type TransformCallback } from "node:stream";

/** Where the agent reports while it works: human lines on stderr; results go to stdout separately. */
export interface Reporter {
  info(line: string): void;
  /** A progress line; may be rate-limited or dropped (quiet mode). */
  progress(line: string): void;
}

export const silentReporter: Reporter = { info: () => undefined, progress: () => undefined };

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, "0")}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n);
}

const ETA_AFTER_MS = 5000;
const ETA_AFTER_SHARE = 0.03;

/**
 * Bytes (and rows, when known) moved by a long operation, with rate and ETA against an expected total.
 * Totals are estimates where the exact size is unknown in advance (a dump's size is only known once
 * written), and say so with `~`.
 */
export class Progress {
  private bytes = 0;
  private rows = 0;
  private lastReport = 0;
  private readonly started = Date.now();

  constructor(
    private readonly reporter: Reporter,
    private readonly label: string,
    private readonly total: { bytes: number; exact: boolean } | undefined,
    private readonly everyMs = 2000,
  ) {}

  add(bytes: number, rows = 0): void {
    this.bytes += bytes;
    this.rows += rows;
    const now = Date.now();
    if (now - this.lastReport >= this.everyMs) {
      this.lastReport = now;
      this.reporter.progress(this.line(now));
    }
  }

  get transferred(): number {
    return this.bytes;
  }

  line(now = Date.now()): string {
    const elapsed = Math.max(now - this.started, 1);
    const rate = (this.bytes / elapsed) * 1000;
    const parts = [`${this.label}: ${formatBytes(this.bytes)}`];
    const total = this.total && this.total.bytes > 0 ? this.shownTotal() : undefined;
    if (total) {
      // An estimate is never shown as done: the share stops at 99% until the work ends.
      const share = Math.min(this.bytes / total, this.total!.exact ? 1 : 0.99);
      parts[0] += ` of ${this.total!.exact ? "" : "~"}${formatBytes(total)} (${Math.floor(share * 100)}%)`;
    }
    parts.push(`${formatBytes(rate)}/s`);
    if (this.rows > 0) parts.push(`${formatCount(this.rows)} rows`);
    // The first seconds (connection, catalog reads, a slow start) say nothing about the rate: no ETA
    // until it rests on a few seconds and a few percent of the work.
    // Nor once an estimate proved wrong (the work ran past it): any ETA then would be invented.
    const settled = elapsed >= ETA_AFTER_MS && total !== undefined && this.bytes >= total * ETA_AFTER_SHARE;
    if (total && settled && this.total!.bytes > this.bytes && rate > 0)
      parts.push(
        `ETA ${this.total!.exact ? "" : "~"}${formatDuration(((total - this.bytes) / rate) * 1000)}`,
      );
    return parts.join(", ");
  }

  /** The expected total; an estimate the work already passed grows with it (never "120%"). */
  private shownTotal(): number {
    const total = this.total!.bytes;
    return this.total!.exact || this.bytes <= total ? total : Math.ceil(this.bytes * 1.05);
  }

  /** A pass-through stream that counts what flows through it. */
  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) => {
        this.add(chunk.length);
        done(null, chunk);
      },
    });
  }
}
