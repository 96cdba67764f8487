const HEX = Uint8Array.from("0123456789abcdef", (c) => c.charCodeAt(0));

/**
 * Collects output bytes of one input chunk. Masks are written byte by byte (hex digits, decimal
 * digits, ASCII prefixes) because building a JS string per masked field cost more than the hashing.
 */
export class OutputBuffer {
  private buf = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + extra));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  bytes(source: Buffer, start: number, end: number): void {
    const size = end - start;
    this.ensure(size);
    // Most segments between masked fields are a few bytes: a loop beats a native call there.
    if (size < 64) for (let i = start; i < end; i++) this.buf[this.length++] = source[i]!;
    else {
      source.copy(this.buf, this.length, start, end);
      this.length += size;
    }
  }

  /** ASCII text: masks and injected SQL are plain ASCII. */
  text(value: string): void {
    this.ensure(value.length);
    for (let i = 0; i < value.length; i++) this.buf[this.length++] = value.charCodeAt(i);
  }

  utf8(value: string): void {
    const size = Buffer.byteLength(value);
    this.ensure(size);
    this.length += this.buf.write(value, this.length, "utf8");
  }

  byte(value: number): void {
    this.ensure(1);
    this.buf[this.length++] = value;
  }

  /** The first `nibbles` hex digits (lowercase, or uppercase when `upper`) of the 64-bit value high:low. */
  hex(high: number, low: number, nibbles: number, upper = false): void {
    this.ensure(nibbles);
    for (let i = 0; i < nibbles; i++) {
      const word = i < 8 ? high : low;
      const digit = HEX[(word >>> (28 - 4 * (i & 7))) & 15]!;
      this.buf[this.length++] = upper && digit >= 0x61 ? digit - 32 : digit;
    }
  }

  /** `count` decimal digits of `value`, zero-padded. */
  decimal(value: number, count: number): void {
    this.ensure(count);
    let v = value;
    for (let i = count - 1; i >= 0; i--) {
      this.buf[this.length + i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    this.length += count;
  }

  get size(): number {
    return this.length;
  }

  /** The collected bytes (a copy), and an empty buffer for the next chunk. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}
