import { MASK_STRATEGIES, type MaskStrategy } from "../../model/data/masking.ts";
import type { ValueSink } from "./value-hashes.ts";

const STRATEGY_INDEX = new Map<MaskStrategy, number>(MASK_STRATEGIES.map((s, i) => [s, i]));

/** Bytes before each value in a batch: strategy index, kept flag, length (uint32, little-endian). */
const HEADER = 6;

/**
 * Source values as the masker saw them (escaped COPY bytes, strategy, kept), appended to one buffer:
 * a copy of a few bytes per value, handed to another thread whole instead of one message per value.
 */
export class ValueBatch {
  private buf: Buffer;
  length = 0;

  constructor(readonly capacity: number) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  /** Whether a value of `size` bytes still fits (a batch always takes its first value, however long). */
  fits(size: number): boolean {
    return this.length === 0 || this.length + HEADER + size <= this.buf.length;
  }

  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void {
    const size = end - start;
    if (this.length + HEADER + size > this.buf.length) {
      const next = Buffer.allocUnsafeSlow(this.length + HEADER + size);
      this.buf.copy(next, 0, 0, this.length);
      this.buf = next;
    }
    const buf = this.buf;
    let at = this.length;
    buf[at] = STRATEGY_INDEX.get(strategy) ?? 0xff; // refused by replayBatch, never taken for another
    buf[at + 1] = kept ? 1 : 0;
    buf[at + 2] = size & 0xff;
    buf[at + 3] = (size >>> 8) & 0xff;
    buf[at + 4] = (size >>> 16) & 0xff;
    buf[at + 5] = size >>> 24;
    at += HEADER;
    // Most values are a few dozen bytes: a loop beats a native call (and the view it would need) there.
    if (size < 64) for (let i = start; i < end; i++) buf[at++] = bytes[i]!;
    else {
      buf.set(bytes.subarray(start, end), at);
      at += size;
    }
    this.length = at;
  }

  /**
   * The batch's bytes, as a transferable buffer; this batch is empty again and owns a new one. Its
   * buffers are never from Node's shared pool (allocUnsafeSlow), so the whole ArrayBuffer is its own.
   */
  take(): { buffer: ArrayBuffer; length: number } {
    const taken = { buffer: this.buf.buffer as ArrayBuffer, length: this.length };
    this.buf = Buffer.allocUnsafeSlow(this.capacity);
    this.length = 0;
    return taken;
  }
}

/** Hands every value of a batch to `sink`, in the order they were added. */
export function replayBatch(bytes: Uint8Array, sink: ValueSink): void {
  let at = 0;
  while (at < bytes.length) {
    const strategy = MASK_STRATEGIES[bytes[at]!];
    if (strategy === undefined) throw new Error(`value batch: unknown strategy ${bytes[at]} at byte ${at}`);
    const kept = bytes[at + 1] === 1;
    const size =
      (bytes[at + 2]! | (bytes[at + 3]! << 8) | (bytes[at + 4]! << 16) | (bytes[at + 5]! << 24)) >>> 0;
    const start = at + HEADER;
    if (start + size > bytes.length) throw new Error(`value batch: a value runs past its end at byte ${at}`);
    sink.add(bytes, start, start + size, kept, strategy);
    at = start + size;
  }
}
