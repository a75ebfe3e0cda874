/**
 * Splits `total` into integer counts proportional to `fractions` by the largest-remainder (Hamilton)
 * method, so the counts sum to exactly `total`. Ties go to the earlier component, which keeps the
 * result a pure function of the spec.
 */
export function apportion(total: number, fractions: readonly number[]): number[] {
  // The epsilon absorbs float error such as 0.29 * 100 = 28.999999999999996, which must count as 29.
  const EPS = 1e-9;
  const floors = fractions.map((f) => Math.floor(f * total + EPS));
  const remainders = fractions.map((f, i) => Math.max(0, f * total - (floors[i] ?? 0)));
  let left = total - floors.reduce((s, n) => s + n, 0);
  const byRemainder = fractions.map((_, i) => i).sort((a, b) => (remainders[b] ?? 0) - (remainders[a] ?? 0) || a - b);
  for (const i of byRemainder) {
    if (left <= 0) break;
    if ((fractions[i] ?? 0) === 0) continue;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  // Only reachable when fractions sum a hair above 1; take back from the smallest remainders.
  for (const i of [...byRemainder].reverse()) {
    if (left >= 0) break;
    if ((floors[i] ?? 0) === 0) continue;
    floors[i] = (floors[i] ?? 0) - 1;
    left += 1;
  }
  return floors;
}
