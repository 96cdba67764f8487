import type { MaskStrategy } from "../../model/masking.ts";
import { HashSet64 } from "../hash/hash-set.ts";
import { int8Text, pgHashBytes } from "../hash/pg-hash.ts";
import { BACKSLASH, unescapeField } from "../sql-stream/copy-format.ts";
import { looksMasked } from "./masked-shape.ts";
import { PiiPatterns } from "./pii-patterns.ts";

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

const decoder = new TextDecoder();

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
  /** The same values as words, for the search inside longer text (pii-patterns.ts). */
  readonly patterns: PiiPatterns;
  private lastHigh = -1;
  private lastLow = -1;
  private lastKept = false;

  constructor(
    readonly seedHigh: number,
    readonly seedLow: number,
  ) {
    this.patterns = new PiiPatterns(seedLow ^ seedHigh);
  }

  /** Adds the value of an escaped COPY field. Empty values are not personal data and are skipped. */
  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void {
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
    this.patterns.add(decoder.decode(source.subarray(s, e)), strategy, kept);
  }

  /** The seed as the int8 literal the SQL side passes to hashtextextended. */
  seedText(): string {
    return int8Text(this.seedHigh, this.seedLow);
  }
}
