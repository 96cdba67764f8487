import type { MaskStrategy } from "../../model/data/masking.ts";
import { Hash64 } from "../hash/fnv64.ts";
import { HashSet64, type HashSet64State } from "../hash/hash-set.ts";
import { asciiValueText, isWordChar, valueText, Words } from "./value-words.ts";

/**
 * The source's personal values as a person reading the copy would recognise them inside longer text:
 * case, accents, punctuation and spacing ignored ("Anna  PEETERS" is "Anna Peeters"), phone numbers by
 * their last nine digits ("0470 12 34 56" is "+32 470 12 34 56"), IBANs and VAT numbers with or without
 * their spaces.
 *
 * A value is reduced to its words (runs of letters and digits) and kept as the 64-bit hash of the words
 * joined; a text is searched by hashing every run of up to `maxWords` consecutive words, starting only at
 * words that begin some value. This finds every value that occurs at word boundaries, as a substring, in
 * one pass over the text, with 8 bytes of memory per value: an Aho–Corasick automaton over the millions
 * of values of a large source would need gigabytes (one node per character), which is why it is not one.
 */

/** Values shorter than this (joined words) match too much ordinary text to mean anything. */
const MIN_CHARS = 6;
/** Phones: at least this many digits; compared on their last PHONE_DIGITS digits. */
const MIN_PHONE_DIGITS = 7;
const PHONE_DIGITS = 9;
/** Phones are hashed apart from words: "470123456" the phone is not "470123456" the reference. */
const PHONE_SEED = 0x5bd1e995;
/** Longer values are found as whole cells only (still as a substring of nothing longer). */
const MAX_WORDS = 12;
/** What may separate the digit groups of one phone number in text. */
const PHONE_GAP = /^[ \-.()+]*$/;

/** Strategies whose values are containers of other values, not one: only their whole value is registered. */
export const CONTAINERS: ReadonlySet<MaskStrategy> = new Set(["text", "prose", "file-name", "json", "clear"]);

const isDigits = (text: string, start: number, end: number) => {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
};

/** One place a value was found: where, in the normalized text, for a redacted example. */
export interface Found {
  start: number;
  end: number;
}

/** Every letter and digit but the first of each word replaced: shows the shape, never the value. */
export function redact(text: string): string {
  let out = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const word = isWordChar(text.charCodeAt(i), text, i);
    out += word && inWord ? "•" : text[i];
    inWord = word;
  }
  return out;
}

/** What PiiPatterns learned, as plain data (value-hashes.ts hands it between threads). */
export interface PiiPatternsState {
  source: HashSet64State;
  kept: HashSet64State;
  starters: HashSet64State;
  maxWords: number;
}

export class PiiPatterns {
  private source = new HashSet64();
  private kept = new HashSet64();
  /** Hashes of each value's first word: most words of a text begin nothing and cost one probe. */
  private starters = new HashSet64();
  private readonly words = new Words();
  private readonly hash = new Hash64();
  private maxWords = 1;
  /** Distinct values registered (kept ones apart). */
  get size(): number {
    return this.source.size;
  }

  constructor(private readonly seed: number) {}

  state(): PiiPatternsState {
    return {
      source: this.source.state(),
      kept: this.kept.state(),
      starters: this.starters.state(),
      maxWords: this.maxWords,
    };
  }

  buffers(): ArrayBuffer[] {
    return [...this.source.buffers(), ...this.kept.buffers(), ...this.starters.buffers()];
  }

  /** Takes over what another instance of the same seed learned (this one's own values are dropped). */
  adopt(state: PiiPatternsState): void {
    this.source = HashSet64.from(state.source);
    this.kept = HashSet64.from(state.kept);
    this.starters = HashSet64.from(state.starters);
    this.maxWords = state.maxWords;
  }

  /** Registers a source value masked (or kept, when it is Odoo's own record) by `strategy`. */
  add(value: string, strategy: MaskStrategy, kept: boolean): void {
    // Free text, notes, file names and documents hold values rather than being one: what they hold is
    // registered from the identifying columns, and the whole-cell scan still finds a copied body.
    if (CONTAINERS.has(strategy)) return;
    if (strategy === "phone") {
      const digits = value.replace(/\D+/g, "");
      this.registerPhone(digits, digits.length, kept);
      return;
    }
    const text = valueText(value, strategy === "email");
    this.words.split(text);
    this.registerWords(text, strategy, kept);
  }

  /**
   * `add` for a value given as ASCII bytes without escapes (most values): the same hashes as `add` of
   * its string, without making one. Lowercasing ASCII is all `normalizeText` does to it.
   */
  addAscii(bytes: Uint8Array, start: number, end: number, strategy: MaskStrategy, kept: boolean): void {
    if (CONTAINERS.has(strategy)) return;
    if (strategy === "phone") {
      let n = 0;
      const digits = this.scratchFor(end - start);
      for (let i = start; i < end; i++) {
        const c = bytes[i]!;
        if (c >= 0x30 && c <= 0x39) digits[n++] = c;
      }
      this.registerPhone(digits, n, kept);
      return;
    }
    const text = this.scratchFor(end - start);
    this.words.splitBytes(text, asciiValueText(bytes, start, end, strategy === "email", text));
    this.registerWords(text, strategy, kept);
  }

  /**
   * Keeps a value whose words `this.words` found in `text` (a normalized string, or its ASCII bytes: the
   * same hashes either way): the hash of all its words, and of its first word alone as a place to start.
   */
  private registerWords(text: string | Uint8Array, strategy: MaskStrategy, kept: boolean): void {
    const words = this.words;
    const count = words.count;
    if (count === 0) return;
    const h = this.hash.reset(this.seed);
    let chars = 0;
    let firstHigh = 0;
    let firstLow = 0;
    for (let k = 0; k < count; k++) {
      if (typeof text === "string") h.feed(text, words.start(k), words.end(k));
      else h.feedBytes(text, words.start(k), words.end(k));
      chars += words.end(k) - words.start(k);
      // The running hash once the first word is fed is that word's own hash.
      if (k === 0) {
        firstHigh = h.high;
        firstLow = h.low;
      }
    }
    // A single word is an identifier only when it is a number-like one (VAT, IBAN, login, address).
    const identifier = strategy === "vat" || strategy === "bank-account" || strategy === "login";
    if (chars < MIN_CHARS || (count < 2 && !identifier && strategy !== "email")) return;
    (kept ? this.kept : this.source).add(h.high, h.low);
    if (kept || count > MAX_WORDS) return;
    this.starters.add(firstHigh, firstLow);
    this.maxWords = Math.max(this.maxWords, count);
  }

  private scratch = new Uint8Array(256);

  private scratchFor(length: number): Uint8Array {
    if (this.scratch.length < length) this.scratch = new Uint8Array(2 * length);
    return this.scratch;
  }

  /** Keeps a phone by its first `n` digits (a string, or their ASCII bytes: the same hash either way). */
  private registerPhone(digits: string | Uint8Array, n: number, kept: boolean): void {
    if (n < MIN_PHONE_DIGITS) return;
    const key = this.phoneKey(digits, n);
    (kept ? this.kept : this.source).add(key.high, key.low);
  }

  /** The hash a phone is kept and looked for by: its last PHONE_DIGITS digits. */
  private phoneKey(digits: string | Uint8Array, n: number): Hash64 {
    const h = this.hash.reset(this.seed ^ PHONE_SEED);
    const from = Math.max(0, n - PHONE_DIGITS);
    return typeof digits === "string" ? h.feed(digits, from, n) : h.feedBytes(digits, from, n);
  }

  private leaked(h: Hash64): boolean {
    return this.source.has(h.high, h.low) && !this.kept.has(h.high, h.low);
  }

  /** The first source value found in `text` (already normalized), or undefined. */
  find(text: string): Found | undefined {
    if (text.length < MIN_CHARS) return undefined;
    const words = this.words;
    words.split(text);
    const n = words.count;
    for (let i = 0; i < n; i++) {
      const s = words.start(i);
      if (isDigits(text, s, words.end(i))) {
        const phone = this.phoneAt(text, i);
        if (phone) return phone;
      }
      // An identifier is written with its own spacing ("BE 0403.170.701", "BE71096123456769"): windows
      // starting at a number, or a country code before one, are always tried.
      const first = this.hash.reset(this.seed).feed(text, s, words.end(i));
      if (!this.starters.has(first.high, first.low) && !this.mayStartIdentifier(text, i)) continue;
      let chars = 0;
      let longest = -1;
      const h = this.hash.reset(this.seed);
      for (let j = i; j < n && j < i + this.maxWords; j++) {
        h.feed(text, words.start(j), words.end(j));
        chars += words.end(j) - words.start(j);
        if (chars >= MIN_CHARS && this.leaked(h)) longest = j;
      }
      // The longest value found here: the whole e-mail address, not the name it begins with.
      if (longest >= 0) return { start: s, end: words.end(longest) };
    }
    if (n > this.maxWords) {
      const h = this.hash.reset(this.seed);
      for (let k = 0; k < n; k++) h.feed(text, words.start(k), words.end(k));
      if (this.leaked(h)) return { start: 0, end: text.length };
    }
    return undefined;
  }

  private mayStartIdentifier(text: string, i: number): boolean {
    const words = this.words;
    const s = words.start(i);
    const e = words.end(i);
    for (let k = s; k < e; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x30 && c <= 0x39) return true;
    }
    if (e - s !== 2 || i + 1 >= words.count) return false;
    const next = text.charCodeAt(words.start(i + 1));
    return next >= 0x30 && next <= 0x39;
  }

  /** A phone number written from digit word i on, its groups separated by spaces, dots, dashes. */
  private phoneAt(text: string, i: number): Found | undefined {
    const words = this.words;
    let digits = "";
    for (let j = i; j < words.count; j++) {
      if (j > i && !PHONE_GAP.test(text.slice(words.end(j - 1), words.start(j)))) break;
      if (!isDigits(text, words.start(j), words.end(j))) break;
      digits += text.slice(words.start(j), words.end(j));
      if (digits.length >= MIN_PHONE_DIGITS && this.leaked(this.phoneKey(digits, digits.length)))
        return { start: words.start(i), end: words.end(j) };
      if (digits.length > 15) break;
    }
    return undefined;
  }
}
