import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tQuantile } from '../student-t.js';
import type { ItemDifferences } from './item-differences.js';
import { hierarchicalBootstrap, intervalCovers, replicateInterval, type ReplicateInterval, seedLevelInterval } from './replicates.js';
import { Rng } from './rng.js';

const interval = (r: ReturnType<typeof seedLevelInterval>): ReplicateInterval => {
  assert.equal(r.kind, 'interval', `expected an interval, got ${JSON.stringify(r)}`);
  return r as ReplicateInterval;
};

test('the seed-level t interval is the one-sample t interval on Δ_s', { timeout: 5_000 }, () => {
  // Δ_s = 0.01, 0.03, 0.02, 0.06: mean 0.03, s² = (4 + 0 + 1 + 9)e-4/3, SE = √(14e-4/3/4).
  const r = interval(seedLevelInterval([0.01, 0.03, 0.02, 0.06]));
  const se = Math.sqrt(14e-4 / 3 / 4);
  assert.ok(Math.abs(r.delta - 0.03) < 1e-15, `mean ${r.delta}`);
  assert.ok(Math.abs(r.se - se) < 1e-15, `SE ${r.se} vs ${se}`);
  assert.equal(r.df, 3);
  assert.equal(r.seeds, 4);
  assert.ok(Math.abs(r.ciLow - (0.03 - tQuantile(0.975, 3) * se)) < 1e-12, `lower ${r.ciLow}`);
  assert.equal(r.method, 'seed-t');
});

test('fewer than two seeds, or identical Δ_s, is insufficient data', { timeout: 5_000 }, () => {
  assert.equal(seedLevelInterval([0.2]).kind, 'insufficient_data', 'one seed gave an interval');
  assert.equal(seedLevelInterval([]).kind, 'insufficient_data', 'no seeds gave an interval');
  const same = seedLevelInterval([0.1, 0.1, 0.1]);
  assert.equal(same.kind === 'insufficient_data' && same.reason, 'no_variance', 'identical Δ_s gave an interval');
});

test('what an interval covers follows the number of seeds', { timeout: 5_000 }, () => {
  assert.equal(intervalCovers(1), 'items');
  assert.equal(intervalCovers(2), 'seeds-and-items');
  assert.equal(intervalCovers(12), 'seeds-and-items');
});

const seedsOf = (rng: Rng, count: number, n: number, clusterSize: number, seedSd: number): ItemDifferences[] =>
  Array.from({ length: count }, () => {
    const shift = 0.2 + seedSd * rng.normal();
    const differences = Float64Array.from({ length: n }, () => shift + rng.normal());
    const clusterOf = Int32Array.from({ length: n }, (_, i) => Math.floor(i / clusterSize));
    return { differences, clusterOf, clusters: Math.ceil(n / clusterSize) };
  });

test('the hierarchical bootstrap is used only from 10 seeds, and roughly agrees with the t interval', { timeout: 10_000 }, () => {
  const rng = new Rng(3);
  const options = { bootstrap: { resamples: 2000, seed: 9 } };
  const nine = interval(replicateInterval(seedsOf(rng, 9, 60, 3, 0.3), options));
  assert.equal(nine.method, 'seed-t', 'the bootstrap ran with 9 seeds');
  const seeds = seedsOf(rng, 12, 60, 3, 0.3);
  const boot = interval(replicateInterval(seeds, options));
  assert.equal(boot.method, 'hierarchical-bootstrap', 'the bootstrap did not run with 12 seeds');
  const again = interval(hierarchicalBootstrap(seeds, { resamples: 2000, seed: 9 }));
  assert.deepEqual(again, boot, 'the same seed gave a different bootstrap');
  const t = interval(replicateInterval(seeds));
  assert.equal(t.method, 'seed-t', 'without a bootstrap request the seed-level t interval is the default');
  assert.equal(boot.delta, t.delta, 'both intervals centre on the mean of Δ_s');
  // Resampling items too makes the bootstrap SE at least the seed-level one, give or take the t/z gap.
  const ratio = boot.se / t.se;
  assert.ok(ratio > 0.8 && ratio < 1.6, `bootstrap SE / seed-level SE = ${ratio}`);
  assert.ok(boot.pValue > 0 && boot.pValue <= 1, `bootstrap p-value ${boot.pValue}`);
});
