import { int8Text, pgHashBytes } from "../hash/pg-hash.ts";
import { BACKSLASH, unescapeField } from "../sql-stream/copy-format.ts";
import { looksMasked } from "./masked-shape.ts";

/**
 * A set of 64-bit hashes in one typed array: millions of entries without millions of objects, and one
 * memory access per probe (an all-zero slot is empty; the value 0:0 itself is tracked apart).
 */
export class HashSet64 {
  private keys = new Uint32Array(2 * 1024);
  private hasZero = false;
  size = 0;

  add(high: number, low: number): void {
    if (high === 0 && low === 0) {
      if (!this.hasZero) this.size++;
      this.hasZero = true;
      return;
    }
    if (this.size * 2 >= this.keys.length / 2) this.grow();
    const mask = this.keys.length / 2 - 1;
    let slot = (low ^ high) & mask;
    for (;;) {
      const h = this.keys[2 * slot]!;
      const l = this.keys[2 * slot + 1]!;
      if (h === 0 && l === 0) break;
      if (h === high && l === low) return;
      slot = (slot + 1) & mask;
    }
    this.keys[2 * slot] = high;
    this.keys[2 * slot + 1] = low;
    this.size++;
  }

  has(high: number, low: number): boolean {
    if (high === 0 && low === 0) return this.hasZero;
    const mask = this.keys.length / 2 - 1;
    for (let slot = (low ^ high) & mask; ; slot = (slot + 1) & mask) {
      const h = this.keys[2 * slot]!;
      const l = this.keys[2 * slot + 1]!;
      if (h === 0 && l === 0) return false;
      if (h === high && l === low) return true;
    }
  }

  *entries(): Generator<[number, number]> {
    if (this.hasZero) yield [0, 0];
    for (let slot = 0; slot < this.keys.length; slot += 2)
      if (this.keys[slot] !== 0 || this.keys[slot + 1] !== 0) yield [this.keys[slot]!, this.keys[slot + 1]!];
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Uint32Array(old.length * 2);
    this.size = this.hasZero ? 1 : 0;
    for (let slot = 0; slot < old.length; slot += 2)
      if (old[slot] !== 0 || old[slot + 1] !== 0) this.add(old[slot]!, old[slot + 1]!);
  }
}

/**
 * The source values a mask run replaced (to be searched for afterwards) and those it deliberately kept
 * (the company's own partner), as PostgreSQL `hashtextextended(value, seed)` hashes: the leak scan
 * then asks the database which text cells hash into the first set and not the second.
 */
/** 64-bit hashes appended in order, duplicates and all: writing sequentially costs far less than a set. */
export class HashList64 {
  private keys = new Uint32Array(2 * 65536);
  size = 0;

  add(high: number, low: number): void {
    if (2 * this.size === this.keys.length) {
      const next = new Uint32Array(this.keys.length * 2);
      next.set(this.keys);
      this.keys = next;
    }
    this.keys[2 * this.size] = high;
    this.keys[2 * this.size + 1] = low;
    this.size++;
  }

  *entries(): Generator<[number, number]> {
    for (let i = 0; i < this.size; i++) yield [this.keys[2 * i]!, this.keys[2 * i + 1]!];
  }

  /**
   * Each distinct hash once, in no particular order: sorted in place (a native sort of 64-bit words),
   * then read past repeats. Done once, after the stream, when the CPU is free again.
   */
  *distinct(): Generator<[number, number]> {
    const words = new BigUint64Array(this.keys.buffer, 0, this.size).sort();
    const pairs = new Uint32Array(words.buffer, 0, 2 * this.size);
    for (let i = 0; i < this.size; i++)
      if (i === 0 || words[i] !== words[i - 1]) yield [pairs[2 * i]!, pairs[2 * i + 1]!];
  }
}

export class ValueHashes {
  /** Masked values, duplicates included (the database's hash join does not mind). */
  readonly masked = new HashList64();
  readonly kept = new HashSet64();
  /** Columns (`table.column`) whose every value was written by the masker or deliberately kept. */
  readonly maskedColumns = new Set<string>();
  /** A source value looked like a mask: masked columns can then not be ruled out and are scanned too. */
  sourceLooksMasked = false;
  /** Distinct masked values sent to the leak scan (known once it was prepared). */
  distinctMasked = 0;
  private lastHigh = -1;
  private lastLow = -1;
  private lastKept = false;

  constructor(
    readonly seedHigh: number,
    readonly seedLow: number,
  ) {}

  /** Adds the value of an escaped COPY field. Empty values are not personal data and are skipped. */
  add(bytes: Uint8Array, start: number, end: number, kept: boolean): void {
    if (end <= start) return;
    if (!kept && !this.sourceLooksMasked && looksMasked(bytes, start, end)) this.sourceLooksMasked = true;
    let source = bytes;
    let s = start;
    let e = end;
    let escaped = false;
    for (let i = start; i < end; i++)
      if (bytes[i] === BACKSLASH) {
        escaped = true;
        break;
      }
    if (escaped) {
      source = unescapeField(bytes, start, end);
      s = 0;
      e = source.length;
    }
    const h = pgHashBytes(source, s, e, this.seedHigh, this.seedLow);
    // The same value twice in a row (email and email_normalized) needs one probe of the big set.
    if (h[0] === this.lastHigh && h[1] === this.lastLow && kept === this.lastKept) return;
    this.lastHigh = h[0]!;
    this.lastLow = h[1]!;
    this.lastKept = kept;
    (kept ? this.kept : this.masked).add(h[0]!, h[1]!);
  }

  /** The seed as the int8 literal the SQL side passes to hashtextextended. */
  seedText(): string {
    return int8Text(this.seedHigh, this.seedLow);
  }
}
