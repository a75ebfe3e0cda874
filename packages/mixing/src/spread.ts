/**
 * Measures the even-spread guarantee on a finished order: the largest difference, over every window
 * of `window` consecutive records and every component, between the component's count in the window and
 * its exact share of the window. O(records × components), no allocation per record.
 */
export class SpreadMeter {
  private readonly ring: Int32Array;
  private readonly inWindow: Float64Array;
  private readonly shares: number[];
  private seen = 0;
  maxDeviation = 0;

  constructor(
    readonly window: number,
    counts: readonly number[],
  ) {
    const total = counts.reduce((s, n) => s + n, 0);
    this.ring = new Int32Array(Math.max(window, 1));
    this.inWindow = new Float64Array(counts.length);
    this.shares = counts.map((n) => (total === 0 ? 0 : (n * window) / total));
  }

  push(component: number): void {
    const slot = this.seen % this.window;
    if (this.seen >= this.window) this.inWindow[this.ring[slot]!]! -= 1;
    this.ring[slot] = component;
    this.inWindow[component]! += 1;
    this.seen += 1;
    if (this.seen >= this.window) {
      for (let c = 0; c < this.shares.length; c++) {
        const d = Math.abs(this.inWindow[c]! - this.shares[c]!);
        if (d > this.maxDeviation) this.maxDeviation = d;
      }
    }
  }
}
