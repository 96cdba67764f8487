/**
 * Two FNV-1a lanes with different bases: a 64-bit hash of a string's UTF-16 code units, fed in pieces.
 * Used to find values again (the leak scan), never to hide them: masking uses SipHash.
 */
export class Hash64 {
  high = 0;
  low = 0;

  reset(seed: number): this {
    this.high = (0x811c9dc5 ^ seed) >>> 0;
    this.low = (0x050c5d1f ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
    return this;
  }

  feed(text: string, start: number, end: number): this {
    let h = this.high;
    let l = this.low;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      h = Math.imul(h ^ c, 0x01000193);
      l = Math.imul(l ^ c, 0x01000197) ^ (l >>> 15);
    }
    this.high = h >>> 0;
    this.low = l >>> 0;
    return this;
  }

  /** Feeds raw bytes, each as one unit: a hash of the bytes themselves, whatever they encode. */
  feedBytes(bytes: Uint8Array, start: number, end: number): this {
    let h = this.high;
    let l = this.low;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      h = Math.imul(h ^ c, 0x01000193);
      l = Math.imul(l ^ c, 0x01000197) ^ (l >>> 15);
    }
    this.high = h >>> 0;
    this.low = l >>> 0;
    return this;
  }

  /**
   * The same as `feed` for ASCII bytes (one byte is one UTF-16 code unit), without making a string: feeds
   * bytes up to the first that is not ASCII or is `stop`, and returns its index (`end` if none).
   */
  feedAscii(bytes: Uint8Array, start: number, end: number, stop = -1): number {
    let h = this.high;
    let l = this.low;
    let i = start;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80 || c === stop) break;
      h = Math.imul(h ^ c, 0x01000193);
      l = Math.imul(l ^ c, 0x01000197) ^ (l >>> 15);
    }
    this.high = h >>> 0;
    this.low = l >>> 0;
    return i;
  }
}
