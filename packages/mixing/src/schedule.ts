/**
 * Interleaves components so that every prefix of the output holds each component's share to within
 * one record, and so every window to within two: at each step emit the component furthest behind its
 * target (largest deficit), ties to the earlier component.
 *
 * `credit[i]` is N × (target_i − emitted_i) kept in integers (the smooth weighted round-robin form),
 * which stays below N in magnitude, so the arithmetic is exact for any realistic mix size.
 */
export function* interleave(counts: readonly number[]): Generator<number, void, undefined> {
  const total = counts.reduce((s, n) => s + n, 0);
  const credit = counts.map(() => 0);
  for (let step = 0; step < total; step++) {
    let best = -1;
    let bestCredit = -Infinity;
    for (let i = 0; i < counts.length; i++) {
      const c = (credit[i] ?? 0) + (counts[i] ?? 0);
      credit[i] = c;
      if (c > bestCredit) {
        bestCredit = c;
        best = i;
      }
    }
    // Credits sum to `total` after the increment, so the best is positive and never an exhausted component.
    credit[best] = (credit[best] ?? 0) - total;
    yield best;
  }
}
