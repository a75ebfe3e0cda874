/**
 * The records a component may draw from, as byte ranges in its source plus an interned tag tuple:
 * 16 bytes per record, so a scan of tens of millions of records stays in memory without the records.
 */
export class EligibleRecords {
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private tagIds = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(offset: number, length: number, tagId: number): void {
    if (this.count === this.offsets.length) this.grow();
    this.offsets[this.count] = offset;
    this.lengths[this.count] = length;
    this.tagIds[this.count] = tagId;
    this.count += 1;
  }

  offset(i: number): number {
    return this.offsets[i] ?? 0;
  }
  length(i: number): number {
    return this.lengths[i] ?? 0;
  }
  tagId(i: number): number {
    return this.tagIds[i] ?? 0;
  }

  swap(i: number, j: number): void {
    swapIn(this.offsets, i, j);
    swapIn(this.lengths, i, j);
    swapIn(this.tagIds, i, j);
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    const tagIds = new Uint32Array(size);
    tagIds.set(this.tagIds);
    this.offsets = offsets;
    this.lengths = lengths;
    this.tagIds = tagIds;
  }
}

function swapIn(a: Float64Array | Uint32Array, i: number, j: number): void {
  const t = a[i] ?? 0;
  a[i] = a[j] ?? 0;
  a[j] = t;
}
