import type { MaskStrategy } from "../../model/data/masking.ts";
import { Hash64 } from "../hash/fnv64.ts";
import { HashSet64 } from "../hash/hash-set.ts";
import { BACKSLASH, unescapeField } from "../sql-stream/copy-format.ts";
import { looksMasked } from "./masked-shape.ts";
import { PiiPatterns } from "./pii-patterns.ts";

const decoder = new TextDecoder();

/** A cell can equal a source value only if it is at least as long; never need more than this. */
const LONGEST_SHORTEST = 6;

/**
 * The source values a mask run replaced (to be searched for afterwards) and those it deliberately kept
 * (the company's own partner): each whole value as a 64-bit hash, and its words for the search inside
 * longer text (pii-patterns.ts). The leak scan reads each distinct text cell of the copy once and asks
 * both: is the cell a source value, does it contain one.
 */
export class ValueHashes {
  private readonly masked = new HashSet64();
  private readonly kept = new HashSet64();
  /** Columns (`table.column`) whose every value was written by the masker or deliberately kept. */
  readonly maskedColumns = new Set<string>();
  /** A source value looked like a mask: masked columns can then not be ruled out and are scanned too. */
  sourceLooksMasked = false;
  /** The same values as words, for the search inside longer text (pii-patterns.ts). */
  readonly patterns: PiiPatterns;
  /** Characters (code points) of the shortest masked value, capped: shorter cells cannot be one. */
  shortest = LONGEST_SHORTEST;
  private readonly hash = new Hash64();
  private lastHigh = -1;
  private lastLow = -1;
  private lastKept = false;

  constructor(private readonly seed: number) {
    this.patterns = new PiiPatterns(seed);
  }

  /** Distinct masked values (those also kept apart): what the scan looks for as whole cells. */
  get distinctMasked(): number {
    let n = 0;
    for (const [high, low] of this.masked.entries()) if (!this.kept.has(high, low)) n++;
    return n;
  }

  /** Adds the value of an escaped COPY field. Empty values are not personal data and are skipped. */
  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void {
    if (end <= start) return;
    if (!kept && !this.sourceLooksMasked && looksMasked(bytes, start, end)) this.sourceLooksMasked = true;
    let source = bytes;
    let s = start;
    let e = end;
    for (let i = start; i < end; i++)
      if (bytes[i] === BACKSLASH) {
        source = unescapeField(bytes, start, end);
        s = 0;
        e = source.length;
        break;
      }
    const text = decoder.decode(source.subarray(s, e));
    const h = this.hash.reset(this.seed).feed(text, 0, text.length);
    // The same value twice in a row (email and email_normalized) needs one probe of the big set.
    if (h.high === this.lastHigh && h.low === this.lastLow && kept === this.lastKept) return;
    this.lastHigh = h.high;
    this.lastLow = h.low;
    this.lastKept = kept;
    (kept ? this.kept : this.masked).add(h.high, h.low);
    if (!kept && text.length < this.shortest) this.shortest = Math.min(this.shortest, codePoints(text));
    this.patterns.add(text, strategy, kept);
  }

  /** Whether `cell` (as the database returns it) is, whole, a masked source value. */
  isMaskedValue(cell: string): boolean {
    const h = this.hash.reset(this.seed).feed(cell, 0, cell.length);
    return this.masked.has(h.high, h.low) && !this.kept.has(h.high, h.low);
  }
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
