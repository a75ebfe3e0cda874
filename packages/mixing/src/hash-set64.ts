/**
 * A set of 64-bit hashes (two uint32 halves) in one open-addressing table: 8 bytes a slot at a load of
 * at most one half, so 16 bytes a record — the documented cost of exact deduplication.
 */
export class HashSet64 {
  private readonly table: Uint32Array;
  private readonly slots: number;
  private hasZero = false;
  size = 0;

  /** Room for `expected` hashes at a load of one half: exactly two slots a hash, not rounded up. */
  constructor(expected: number) {
    this.slots = Math.max(16, Math.ceil(expected) * 2);
    this.table = new Uint32Array(this.slots * 2);
  }

  /** Adds the hash; returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      this.size += 1;
      return true;
    }
    if (this.size >= this.slots - 1) throw new RangeError(`HashSet64 is full (${this.size} hashes in ${this.slots} slots)`);
    // The mixed hash scaled onto [0, slots) (multiply-shift, no modulo); min() guards the float rounding.
    const mixed = (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
    let slot = Math.min(this.slots - 1, Math.floor((mixed / 4294967296) * this.slots));
    for (;;) {
      const h = this.table[slot * 2]!;
      const l = this.table[slot * 2 + 1]!;
      if (h === 0 && l === 0) {
        this.table[slot * 2] = hi;
        this.table[slot * 2 + 1] = lo;
        this.size += 1;
        return true;
      }
      if (h === hi >>> 0 && l === lo >>> 0) return false;
      slot = slot + 1 === this.slots ? 0 : slot + 1;
    }
  }
}
