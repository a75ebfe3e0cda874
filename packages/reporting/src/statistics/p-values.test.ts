import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { normalCdf } from './normal-cdf.js';
import { tTestPValue } from './p-values.js';

const close = (actual: number | null, expected: number, tol: number, what: string): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} ± ${tol}`);

test('two-sided p-values match tabulated Student t critical values', { timeout: 5_000 }, () => {
  // Table values: t_{0.975, 9} = 2.262157, t_{0.995, 30} = 2.749996, t_{0.975, 2} = 4.302653.
  close(tTestPValue(2.262157163 * 0.5, 0.5, 9), 0.05, 1e-8, 'p at t = t_{0.975, 9}');
  close(tTestPValue(-2.749995652, 1, 30), 0.01, 1e-8, 'p at t = −t_{0.995, 30}');
  close(tTestPValue(4.30265273, 1, 2), 0.05, 1e-8, 'p at t = t_{0.975, 2}');
  close(tTestPValue(1.959963985, 1, Infinity), 0.05, 1e-8, 'p at z = 1.96 (normal)');
  close(tTestPValue(0, 1, 5), 1, 0, 'p at t = 0');
});

test('one-sided p-values point the right way and halve the two-sided one', { timeout: 5_000 }, () => {
  // t_{0.95, 20} = 1.724718.
  close(tTestPValue(1.724718243, 1, 20, 'greater'), 0.05, 1e-8, 'P(T ≥ t_{0.95, 20})');
  close(tTestPValue(1.724718243, 1, 20, 'less'), 0.95, 1e-8, 'P(T ≤ t_{0.95, 20})');
  close(tTestPValue(-1.724718243, 1, 20, 'less'), 0.05, 1e-8, 'P(T ≤ −t_{0.95, 20})');
  const two = tTestPValue(0.3, 0.1, 12) as number;
  close(tTestPValue(0.3, 0.1, 12, 'greater'), two / 2, 1e-15, 'one-sided vs half the two-sided');
});

test('a tiny p-value keeps its digits instead of rounding to 0', { timeout: 5_000 }, () => {
  // P(|Z| > 10) = 2Φ(−10) = 1.523970604832e-23.
  close(tTestPValue(10, 1, Infinity), 1.523970604832e-23, 1e-33, 'p at z = 10');
  const p = tTestPValue(12, 1, 100) as number;
  assert.ok(p > 0 && p < 1e-19, `p at t = 12 on 100 df is ${p}; expected a small positive number`);
});

test('se = 0 yields no p-value (null), never 0', { timeout: 5_000 }, () => {
  assert.equal(tTestPValue(1, 0, 1), null, 'a point estimate of +1 got a p-value');
  assert.equal(tTestPValue(0, 0, 10, 'greater'), null, 'a point estimate of 0 got a p-value');
  assert.throws(() => tTestPValue(1, -1, 3), InvalidArgumentError);
  assert.throws(() => tTestPValue(1, 1, 0), InvalidArgumentError);
  assert.throws(() => tTestPValue(Number.NaN, 1, 3), InvalidArgumentError);
});

test('normalCdf matches tabulated values, tails included', { timeout: 5_000 }, () => {
  close(normalCdf(0), 0.5, 1e-15, 'Φ(0)');
  close(normalCdf(1), 0.841344746068543, 1e-13, 'Φ(1)');
  close(normalCdf(-1.959963984540054), 0.025, 1e-13, 'Φ(−1.96)');
  close(normalCdf(-5), 2.866515718791939e-7, 1e-19, 'Φ(−5)');
  close(normalCdf(-10), 7.619853024160527e-24, 1e-35, 'Φ(−10)');
  close(normalCdf(0.3), 0.6179114221889527, 1e-13, 'Φ(0.3)');
});
