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
