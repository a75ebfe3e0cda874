/**
 * An open-addressing multimap from a 64-bit n-gram fingerprint (two uint32) to item numbers: three
 * typed arrays, 12 bytes a slot at a load of at most one half, so about 24 bytes per stored n-gram
 * and no per-entry objects. The same n-gram in several items takes one slot per item.
 */
export class NgramTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** item number + 1; 0 marks an empty slot. */
  private item: Uint32Array;
  private mask: number;
  private used = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.item = new Uint32Array(cap);
    this.mask = cap - 1;
  }

  /** Entries stored ((n-gram, item) pairs). */
  get size(): number {
    return this.used;
  }

  get bytes(): number {
    return this.item.length * 12;
  }

  /** Adds (n-gram, item) unless present; returns whether it was new. */
  add(hi: number, lo: number, item: number): boolean {
    if ((this.used + 1) * 2 > this.item.length) this.grow();
    const tag = item + 1;
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const t = this.item[slot] ?? 0;
      if (t === 0) break;
      if (t === tag && this.hi[slot] === hi && this.lo[slot] === lo) return false;
      slot = (slot + 1) & this.mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.item[slot] = tag;
    this.used += 1;
    return true;
  }

  /** Calls `found(item)` for every item holding the n-gram. */
  lookup(hi: number, lo: number, found: (item: number) => void): void {
    let slot = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const t = this.item[slot] ?? 0;
      if (t === 0) return;
      if (this.hi[slot] === hi && this.lo[slot] === lo) found(t - 1);
      slot = (slot + 1) & this.mask;
    }
  }

  private grow(): void {
    const { hi, lo, item } = this;
    const cap = item.length * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.item = new Uint32Array(cap);
    this.mask = cap - 1;
    this.used = 0;
    for (let s = 0; s < item.length; s++) {
      const t = item[s] ?? 0;
      if (t !== 0) this.add(hi[s] ?? 0, lo[s] ?? 0, t - 1);
    }
  }
}
