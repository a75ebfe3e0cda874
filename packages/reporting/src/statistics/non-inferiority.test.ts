import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { tQuantile } from '../student-t.js';
import { nonInferiority } from './non-inferiority.js';

const estimate = (delta: number, se: number, df: number) => ({ verdict: 'no_change' as const, delta, se, df });

test('non-inferiority reads the (1 − 2α) interval against −m', { timeout: 5_000 }, () => {
  const t = tQuantile(0.975, 40); // α = 0.025 one-sided: the 95% interval, half-width 2.021·SE
  // Δ = −0.01, SE = 0.01: L = −0.0302 > −0.05.
  const ok = nonInferiority(estimate(-0.01, 0.01, 40), 0.05);
  assert.equal(ok.verdict, 'non_inferior', `lower bound ${ok.lower} vs −0.05`);
  assert.ok(Math.abs((ok.lower as number) - (-0.01 - t * 0.01)) < 1e-12, 'lower bound is Δ − t_{0.975, 40}·SE');
  // Δ = −0.1, SE = 0.01: U = −0.0798 < −0.05.
  assert.equal(nonInferiority(estimate(-0.1, 0.01, 40), 0.05).verdict, 'inferior', 'a clear loss beyond the margin');
  // Δ = −0.05, SE = 0.01: the interval straddles −0.05.
  assert.equal(nonInferiority(estimate(-0.05, 0.01, 40), 0.05).verdict, 'inconclusive', 'an interval across −m');
  // A larger α narrows the interval: at α = 0.25 (the 50% interval, t_{0.75, 40} = 0.681) Δ = −0.035
  // with SE 0.01 has L = −0.0418 and clears −0.045; at α = 0.025 L = −0.0552 does not.
  assert.equal(nonInferiority(estimate(-0.035, 0.01, 40), 0.045, 0.25).verdict, 'non_inferior', 'α = 0.25');
  assert.equal(nonInferiority(estimate(-0.035, 0.01, 40), 0.045).verdict, 'inconclusive', 'α = 0.025');
});

test('insufficient data passes through; bad margins are refused', { timeout: 5_000 }, () => {
  const none = nonInferiority({ verdict: 'insufficient_data', delta: 1, se: 0, df: 1 }, 0.05);
  assert.equal(none.verdict, 'insufficient_data', 'an insufficient estimate got a decisive verdict');
  assert.equal(nonInferiority({ verdict: 'no_change', delta: 1, se: 0, df: 4 }, 0.05).verdict, 'insufficient_data', 'SE 0');
  assert.throws(() => nonInferiority(estimate(0, 1, 3), 0), InvalidArgumentError);
  assert.throws(() => nonInferiority(estimate(0, 1, 3), -0.1), InvalidArgumentError);
  assert.throws(() => nonInferiority(estimate(0, 1, 3), 0.1, 0.6), InvalidArgumentError);
});
