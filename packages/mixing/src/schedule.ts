/**
 * Interleaves components so that every prefix of the output holds each component's share to within
 * one record, and so every window to within two: at each step emit the component furthest behind its
 * target (largest deficit), ties to the earlier component.
 *
 * `credit[i]` is N × (target_i − emitted_i) kept in integers (the smooth weighted round-robin form),
 * which stays below N in magnitude, so the arithmetic is exact for any realistic mix size.
 */
export class InterleaveSchedule {
  private readonly counts: Float64Array;
  private readonly credit: Float64Array;
  private readonly total: number;
  private step = 0;

  constructor(counts: readonly number[]) {
    this.counts = Float64Array.from(counts);
    this.credit = new Float64Array(counts.length);
    this.total = counts.reduce((s, n) => s + n, 0);
  }

  /** The component of the next output record, or -1 once every record is placed. */
  next(): number {
    if (this.step >= this.total) return -1;
    this.step += 1;
    const { counts, credit } = this;
    let best = -1;
    let bestCredit = -Infinity;
    for (let i = 0; i < counts.length; i++) {
      const c = credit[i]! + counts[i]!;
      credit[i] = c;
      if (c > bestCredit) {
        bestCredit = c;
        best = i;
      }
    }
    // Credits sum to `total` after the increment, so the best is positive and never an exhausted component.
    credit[best]! -= this.total;
    return best;
  }
}

/** The components of the output records in order; see InterleaveSchedule. */
export function* interleave(counts: readonly number[]): Generator<number, void, undefined> {
  const schedule = new InterleaveSchedule(counts);
  for (let c = schedule.next(); c !== -1; c = schedule.next()) yield c;
}
