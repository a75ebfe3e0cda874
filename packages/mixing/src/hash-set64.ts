/**
 * A set of 64-bit hashes (two uint32 halves) in one open-addressing table: 8 bytes a slot at a load of
 * at most one half, so 16 bytes a record — the documented cost of exact deduplication.
 */
export class HashSet64 {
  private readonly table: Uint32Array;
  private readonly mask: number;
  private hasZero = false;
  size = 0;

  constructor(expected: number) {
    let slots = 16;
    while (slots < expected * 2) slots *= 2;
    this.table = new Uint32Array(slots * 2);
    this.mask = slots - 1;
  }

  /** Adds the hash; returns false when it was already present. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      this.size += 1;
      return true;
    }
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
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
      slot = (slot + 1) & this.mask;
    }
  }
}
