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
}
