/**
 * How a source value becomes the words the leak scan compares (pii-patterns.ts): lowercased, accents
 * removed, an e-mail reduced to its address, split into runs of letters and digits. Written twice, once
 * over strings and once over ASCII bytes straight from a COPY line (most values), which must agree: a
 * property test in test/agent/pii-patterns.test.ts holds them to it.
 */

const NON_ASCII = /[^\p{ASCII}]/u;
const MARKS = /\p{M}+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Lowercased, accents removed: the form both values and texts are compared in. */
export function normalizeText(text: string): string {
  const lower = text.toLowerCase();
  return NON_ASCII.test(lower) ? lower.normalize("NFKD").replace(MARKS, "") : lower;
}

/** A letter or digit of a normalized text (ASCII without a regex). */
export function isWordChar(code: number, text: string, at: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  return WORD_CHAR.test(text[at]!);
}

/** Word boundaries of a normalized text, as [start, end) pairs in one reusable array. */
export class Words {
  bounds = new Int32Array(256);
  count = 0;

  split(text: string): void {
    this.count = 0;
    let start = -1;
    for (let i = 0; i <= text.length; i++) {
      const word = i < text.length && isWordChar(text.charCodeAt(i), text, i);
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        this.push(start, i);
        start = -1;
      }
    }
  }

  /**
   * The same for ASCII bytes already lowercased (`asciiValueText`): words are runs of a–z and 0–9, exactly
   * what `split` finds in the string of those bytes.
   */
  splitBytes(bytes: Uint8Array, length: number): void {
    this.count = 0;
    let start = -1;
    for (let i = 0; i <= length; i++) {
      const c = i < length ? bytes[i]! : 0;
      const word = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
      if (word && start < 0) start = i;
      else if (!word && start >= 0) {
        this.push(start, i);
        start = -1;
      }
    }
  }

  private push(start: number, end: number): void {
    if (2 * this.count + 2 > this.bounds.length) {
      const next = new Int32Array(this.bounds.length * 2);
      next.set(this.bounds);
      this.bounds = next;
    }
    this.bounds[2 * this.count] = start;
    this.bounds[2 * this.count + 1] = end;
    this.count++;
  }

  start(k: number): number {
    return this.bounds[2 * k]!;
  }

  end(k: number): number {
    return this.bounds[2 * k + 1]!;
  }
}

/** The normalized text of a source value masked by a strategy: an e-mail's address, else the whole value. */
export function valueText(value: string, email: boolean): string {
  return normalizeText(email ? addressOf(value) : value);
}

/**
 * `valueText` for ASCII bytes without escapes, written into `into` (at least `end - start` long); returns
 * how many bytes it wrote. Lowercasing ASCII is all `normalizeText` does to it.
 */
export function asciiValueText(
  bytes: Uint8Array,
  start: number,
  end: number,
  email: boolean,
  into: Uint8Array,
): number {
  const [s, e] = email ? addressRange(bytes, start, end) : [start, end];
  for (let i = s; i < e; i++) {
    const c = bytes[i]!;
    into[i - s] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  }
  return e - s;
}

/**
 * `addressOf` over bytes: the range of the address inside a value ending in `<…>` (then only trailing
 * whitespace), or the whole value. The address holds no `<` or `>` and is not empty, as in the regex.
 */
function addressRange(bytes: Uint8Array, start: number, end: number): [number, number] {
  let e = end;
  while (e > start && isAsciiSpace(bytes[e - 1]!)) e--;
  if (e === start || bytes[e - 1] !== GT) return [start, end];
  let s = e - 1;
  while (s > start && bytes[s - 1] !== LT && bytes[s - 1] !== GT) s--;
  if (s === start || bytes[s - 1] !== LT || s === e - 1) return [start, end];
  return [s, e - 1];
}

const LT = 0x3c;
const GT = 0x3e;

/** What `\s` matches among ASCII characters. */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** The address inside `"Name" <a@b>`, or the whole value. */
function addressOf(value: string): string {
  const match = /<([^<>]+)>\s*$/.exec(value);
  return match ? match[1]! : value;
}
