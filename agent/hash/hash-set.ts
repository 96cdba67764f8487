/**
 * A set of 64-bit hashes in one typed array: millions of entries without millions of objects, and one
 * memory access per probe (an all-zero slot is empty; the value 0:0 itself is tracked apart). Each entry
 * also carries 32 flag bits, set with `addFlag`: what else is known of the value costs no second set.
 */
/** A set's contents as plain data: what a worker thread hands back (its arrays transferred, not copied). */
export interface HashSet64State {
  keys: Uint32Array;
  flags: Uint32Array | undefined;
  hasZero: boolean;
  zeroFlags: number;
  size: number;
}

export class HashSet64 {
  private keys: Uint32Array = new Uint32Array(2 * 1024);
  private flags: Uint32Array | undefined;
  private hasZero = false;
  private zeroFlags = 0;
  size = 0;

  static from(state: HashSet64State): HashSet64 {
    const set = new HashSet64();
    set.keys = state.keys;
    set.flags = state.flags;
    set.hasZero = state.hasZero;
    set.zeroFlags = state.zeroFlags;
    set.size = state.size;
    return set;
  }

  state(): HashSet64State {
    return {
      keys: this.keys,
      flags: this.flags,
      hasZero: this.hasZero,
      zeroFlags: this.zeroFlags,
      size: this.size,
    };
  }

  /** The arrays of `state()`, to transfer to another thread (this set is unusable afterwards). */
  buffers(): ArrayBuffer[] {
    return [this.keys.buffer as ArrayBuffer, ...(this.flags ? [this.flags.buffer as ArrayBuffer] : [])];
  }

  add(high: number, low: number): void {
    this.insert(high, low);
  }

  /** Adds the entry and sets flag `bit` (0–31) on it; whether that flag was set before. */
  addFlag(high: number, low: number, bit: number): boolean {
    // A 33rd flag would silently share a bit with the first (1 << 32 is 1) and read as set.
    if (bit < 0 || bit > 31) throw new RangeError(`flag ${bit} is not one of the 32 bits 0–31`);
    const slot = this.insert(high, low);
    const mask = 1 << bit;
    if (slot < 0) {
      const had = (this.zeroFlags & mask) !== 0;
      this.zeroFlags |= mask;
      return had;
    }
    this.flags ??= new Uint32Array(this.keys.length / 2);
    const had = (this.flags[slot]! & mask) !== 0;
    this.flags[slot] = this.flags[slot]! | mask;
    return had;
  }

  /** The slot of the entry, added if new (-1 for 0:0). */
  private insert(high: number, low: number): number {
    if (high === 0 && low === 0) {
      if (!this.hasZero) this.size++;
      this.hasZero = true;
      return -1;
    }
    if (this.size * 2 >= this.keys.length / 2) this.grow();
    const mask = this.keys.length / 2 - 1;
    let slot = (low ^ high) & mask;
    for (;;) {
      const h = this.keys[2 * slot]!;
      const l = this.keys[2 * slot + 1]!;
      if (h === 0 && l === 0) break;
      if (h === high && l === low) return slot;
      slot = (slot + 1) & mask;
    }
    this.keys[2 * slot] = high;
    this.keys[2 * slot + 1] = low;
    this.size++;
    return slot;
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
    const oldFlags = this.flags;
    this.keys = new Uint32Array(old.length * 2);
    this.flags = oldFlags && new Uint32Array(this.keys.length / 2);
    this.size = this.hasZero ? 1 : 0;
    for (let slot = 0; slot < old.length / 2; slot++) {
      const high = old[2 * slot]!;
      const low = old[2 * slot + 1]!;
      if (high === 0 && low === 0) continue;
      const at = this.insert(high, low);
      if (this.flags && oldFlags) this.flags[at] = oldFlags[slot]!;
    }
  }
}
