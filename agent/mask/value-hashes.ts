import { MASK_STRATEGIES, type MaskStrategy } from "../../model/data/masking.ts";
import { Hash64 } from "../hash/fnv64.ts";
import { HashSet64, type HashSet64State } from "../hash/hash-set.ts";
import { BACKSLASH, unescapeField } from "../sql-stream/copy-format.ts";
import { looksMasked } from "./masked-shape.ts";
import { CONTAINERS, PiiPatterns, type PiiPatternsState } from "./pii-patterns.ts";

const decoder = new TextDecoder();

/** A cell can equal a source value only if it is at least as long; never need more than this. */
const LONGEST_SHORTEST = 6;

/** Where the masker hands each source value it replaced or kept (value-hashes.ts, or off-thread). */
export interface ValueSink {
  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void;
  /** Columns (`table.column`) whose every value was written by the masker or deliberately kept. */
  readonly maskedColumns: Set<string>;
  /** Resolves once the values handed so far are taken in (off-thread work caught up); undefined: now. */
  ready?(): Promise<void> | undefined;
}

/** What a ValueHashes learned from the values, as plain data: handed back by a worker thread. */
export interface ValueHashesState {
  seed: number;
  masked: HashSet64State;
  kept: HashSet64State;
  patterns: PiiPatternsState;
  sourceLooksMasked: boolean;
  shortest: number;
}

/**
 * The source values a mask run replaced (to be searched for afterwards) and those it deliberately kept
 * (the company's own partner): each whole value as a 64-bit hash, and its words for the search inside
 * longer text (pii-patterns.ts). The leak scan reads each distinct text cell of the copy once and asks
 * both: is the cell a source value, does it contain one.
 */
export class ValueHashes implements ValueSink {
  /** Flags: which strategies' words were registered for the value (see add). */
  private masked = new HashSet64(true);
  private kept = new HashSet64(true);
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

  /** The seed of every hash: a worker registering for this instance must use the same. */
  constructor(readonly seed: number) {
    this.patterns = new PiiPatterns(seed);
  }

  state(): ValueHashesState {
    return {
      seed: this.seed,
      masked: this.masked.state(),
      kept: this.kept.state(),
      patterns: this.patterns.state(),
      sourceLooksMasked: this.sourceLooksMasked,
      shortest: this.shortest,
    };
  }

  /** The typed arrays of `state()`, to transfer to another thread (this instance is unusable afterwards). */
  buffers(): ArrayBuffer[] {
    return [...this.masked.buffers(), ...this.kept.buffers(), ...this.patterns.buffers()];
  }

  /**
   * Takes over what a ValueHashes of the same seed learned in another thread (masked columns are known
   * here, where the masker runs, and stay). Values registered here before are dropped: register in one
   * place only.
   */
  adopt(state: ValueHashesState): void {
    if (state.seed !== this.seed) throw new Error("value hashes of another mask run cannot be adopted");
    this.masked = HashSet64.from(state.masked);
    this.kept = HashSet64.from(state.kept);
    this.patterns.adopt(state.patterns);
    this.sourceLooksMasked = state.sourceLooksMasked;
    this.shortest = state.shortest;
  }

  /** Distinct masked values (those also kept apart): what the scan looks for as whole cells. */
  get distinctMasked(): number {
    return this.masked.countNotIn(this.kept);
  }

  /** Adds the value of an escaped COPY field. Empty values are not personal data and are skipped. */
  add(bytes: Uint8Array, start: number, end: number, kept: boolean, strategy: MaskStrategy): void {
    if (end <= start) return;
    if (!kept && !this.sourceLooksMasked && looksMasked(bytes, start, end)) this.sourceLooksMasked = true;
    // ASCII without escapes (most values) is hashed from its bytes in the same pass that checks it, the
    // same hash as of its string: values only looked for whole, or seen before, are never decoded.
    let source = bytes;
    let s = start;
    let e = end;
    let text: string | undefined;
    const h = this.hash.reset(this.seed);
    if (h.feedAscii(bytes, start, end, BACKSLASH) < end) {
      for (let i = start; i < end; i++)
        if (bytes[i] === BACKSLASH) {
          source = unescapeField(bytes, start, end);
          s = 0;
          e = source.length;
          break;
        }
      text = decoder.decode(source.subarray(s, e));
      h.reset(this.seed).feed(text, 0, text.length);
    }
    const high = h.high;
    const low = h.low;
    // The same value twice in a row (email and email_normalized) needs one probe of the big set.
    if (high === this.lastHigh && low === this.lastLow && kept === this.lastKept) return;
    this.lastHigh = high;
    this.lastLow = low;
    this.lastKept = kept;
    const set = kept ? this.kept : this.masked;
    // Its words depend only on the value and the strategy: a value registered before (record_name
    // repeats complete_name, a street repeats across a family) is not split and hashed again. The set
    // of whole values remembers, as a flag per strategy, which ones were; containers have no words.
    let registered = true;
    if (CONTAINERS.has(strategy)) set.add(high, low);
    else registered = set.addFlag(high, low, MASK_STRATEGIES.indexOf(strategy));
    if (!kept && (text === undefined ? e - s : text.length) < this.shortest)
      this.shortest = Math.min(this.shortest, text === undefined ? e - s : codePoints(text));
    if (registered) return;
    if (text === undefined) this.patterns.addAscii(source, s, e, strategy, kept);
    else this.patterns.add(text, strategy, kept);
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
