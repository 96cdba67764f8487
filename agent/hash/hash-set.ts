/** A set's contents as plain data: what a worker thread hands back (its array transferred, not copied). */
export interface HashSet64State {
  table: Uint32Array;
  flags: boolean;
  hasZero: boolean;
  zeroFlags: number;
  size: number;
}

/** Slots of a new set. */
const INITIAL = 1024;

/**
 * A set of 64-bit hashes in one typed array: millions of entries without millions of objects, and one
 * memory access per probe (an all-zero slot is empty; the value 0:0 itself is tracked apart). A set made
 * `withFlags` also carries 32 flag bits per entry, set with `addFlag`, in the same slot as its key (one
 * cache line, not two): what else is known of the value costs no second set and no second miss.
 */
export class HashSet64 {
  private table: Uint32Array;
  /** Uint32 words per slot: high, low, and the flags when there are any. */
  private readonly stride: number;
  private hasZero = false;
  private zeroFlags = 0;
  size = 0;

  constructor(private readonly withFlags = false) {
    this.stride = withFlags ? 3 : 2;
    this.table = new Uint32Array(this.stride * INITIAL);
  }

  static from(state: HashSet64State): HashSet64 {
    const set = new HashSet64(state.flags);
    set.table = state.table;
    set.hasZero = state.hasZero;
    set.zeroFlags = state.zeroFlags;
    set.size = state.size;
    return set;
  }

  state(): HashSet64State {
    return {
      table: this.table,
      flags: this.withFlags,
      hasZero: this.hasZero,
      zeroFlags: this.zeroFlags,
      size: this.size,
    };
  }

  /** The array of `state()`, to transfer to another thread (this set is unusable afterwards). */
  buffers(): ArrayBuffer[] {
    return [this.table.buffer as ArrayBuffer];
  }

  add(high: number, low: number): void {
    this.insert(high, low);
  }

  /** Adds the entry and sets flag `bit` (0–31) on it; whether that flag was set before. */
  addFlag(high: number, low: number, bit: number): boolean {
    if (!this.withFlags) throw new Error("this set was made without flags");
    // A 33rd flag would silently share a bit with the first (1 << 32 is 1) and read as set.
    if (bit < 0 || bit > 31) throw new RangeError(`flag ${bit} is not one of the 32 bits 0–31`);
    const at = this.insert(high, low);
    const mask = 1 << bit;
    if (at < 0) {
      const had = (this.zeroFlags & mask) !== 0;
      this.zeroFlags |= mask;
      return had;
    }
    const flags = this.table[at + 2]!;
    this.table[at + 2] = flags | mask;
    return (flags & mask) !== 0;
  }

  /** The offset of the entry's slot, added if new (-1 for 0:0). */
  private insert(high: number, low: number): number {
    if (high === 0 && low === 0) {
      if (!this.hasZero) this.size++;
      this.hasZero = true;
      return -1;
    }
    const stride = this.stride;
    // At most half full: a probe that misses then reads 2.5 slots on average, mostly in one cache line.
    if (2 * this.size * stride >= this.table.length) this.grow();
    const table = this.table;
    let at = stride * ((low ^ high) & (table.length / stride - 1));
    for (;;) {
      const h = table[at]!;
      const l = table[at + 1]!;
      if (h === high && l === low) return at;
      if (h === 0 && l === 0) break;
      at += stride;
      if (at === table.length) at = 0;
    }
    table[at] = high;
    table[at + 1] = low;
    this.size++;
    return at;
  }

  has(high: number, low: number): boolean {
    if (high === 0 && low === 0) return this.hasZero;
    const table = this.table;
    const stride = this.stride;
    let at = stride * ((low ^ high) & (table.length / stride - 1));
    for (;;) {
      const h = table[at]!;
      const l = table[at + 1]!;
      if (h === high && l === low) return true;
      if (h === 0 && l === 0) return false;
      at += stride;
      if (at === table.length) at = 0;
    }
  }

  *entries(): Generator<[number, number]> {
    if (this.hasZero) yield [0, 0];
    const table = this.table;
    for (let at = 0; at < table.length; at += this.stride)
      if (table[at] !== 0 || table[at + 1] !== 0) yield [table[at]!, table[at + 1]!];
  }

  /** Entries of this set that `other` does not hold. */
  countNotIn(other: HashSet64): number {
    let n = this.hasZero && !other.hasZero ? 1 : 0;
    const table = this.table;
    for (let at = 0; at < table.length; at += this.stride) {
      const h = table[at]!;
      const l = table[at + 1]!;
      if ((h !== 0 || l !== 0) && !other.has(h, l)) n++;
    }
    return n;
  }

  /** Doubles the table, moving every slot as it is (flags with their key). */
  private grow(): void {
    const old = this.table;
    const stride = this.stride;
    const table = new Uint32Array(old.length * 2);
    const slots = table.length / stride;
    for (let from = 0; from < old.length; from += stride) {
      const high = old[from]!;
      const low = old[from + 1]!;
      if (high === 0 && low === 0) continue;
      let at = stride * ((low ^ high) & (slots - 1));
      while (table[at] !== 0 || table[at + 1] !== 0) {
        at += stride;
        if (at === table.length) at = 0;
      }
      table[at] = high;
      table[at + 1] = low;
      if (stride === 3) table[at + 2] = old[from + 2]!;
    }
    this.table = table;
  }
}
