import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../errors.js';
import { pairedDifference } from '../paired-difference.js';
import { pairedPercentileBootstrap, percentileOfSorted } from './bootstrap.js';
import { Rng } from './rng.js';

test('percentiles interpolate like numpy.percentile', { timeout: 5_000 }, () => {
  // numpy.percentile([1, 2, 3, 4], [25, 50, 97.5]) = [1.75, 2.5, 3.925].
  assert.equal(percentileOfSorted([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(percentileOfSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(percentileOfSorted([1, 2, 3, 4], 0.975) - 3.925) < 1e-12, 'the 97.5th percentile of 1..4');
  assert.equal(percentileOfSorted([5], 0.3), 5);
});

test('the paired bootstrap is reproducible from its seed and agrees with the t interval on normal data', { timeout: 10_000 }, () => {
  const rng = new Rng(5);
  const n = 400;
  const treatment = Array.from({ length: n }, (_, i) => ({ itemId: `i${i}`, score: 0.1 + rng.normal() }));
  const control = Array.from({ length: n }, (_, i) => ({ itemId: `i${i}`, score: rng.normal() }));
  const differences = treatment.map((t, i) => t.score - control[i]!.score);
  const a = pairedPercentileBootstrap(differences, { resamples: 5000, seed: 1 });
  const b = pairedPercentileBootstrap(Float64Array.from(differences), { resamples: 5000, seed: 1 });
  assert.deepEqual(a, b, 'same data and seed gave different intervals');
  const t = pairedDifference(treatment, control, 'higher_is_better');
  assert.ok(Math.abs(a.delta - t.delta) < 1e-12, `bootstrap point ${a.delta} vs mean difference ${t.delta}`);
  // The percentile SE is √((n−1)/n) of the t SE in expectation; its Monte Carlo error at B = 5000 is ~1%.
  assert.ok(Math.abs(a.se / t.stderr - 1) < 0.04, `bootstrap SE ${a.se} vs t SE ${t.stderr}`);
  for (const [boot, tee, side] of [[a.ciLow, t.ciLow, 'lower'], [a.ciHigh, t.ciHigh, 'upper']] as const) {
    assert.ok(Math.abs(boot - tee) < 0.1 * t.stderr * 2, `${side} bound: bootstrap ${boot} vs t ${tee}`);
  }
  const other = pairedPercentileBootstrap(differences, { resamples: 5000, seed: 2 });
  assert.notEqual(other.ciLow, a.ciLow, 'a different seed gave the same resamples');
});

test('the bootstrap refuses fewer than 2 items and bad settings', { timeout: 5_000 }, () => {
  assert.throws(() => pairedPercentileBootstrap([1], { resamples: 100, seed: 1 }), InvalidArgumentError);
  assert.throws(() => pairedPercentileBootstrap([1, 2], { resamples: 1, seed: 1 }), InvalidArgumentError);
  assert.throws(() => pairedPercentileBootstrap([1, 2], { resamples: 100, seed: 1, confidence: 1 }), InvalidArgumentError);
});
