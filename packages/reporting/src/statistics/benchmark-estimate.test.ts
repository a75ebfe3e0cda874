import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalItemResult } from '@ballast/schema';
import { ItemSetMismatchError } from '../errors.js';
import { pairedDifference } from '../paired-difference.js';
import { type BenchmarkEstimate, benchmarkEstimate, type SeedPair } from './benchmark-estimate.js';
import { Rng } from './rng.js';

const items = (scores: readonly number[], clusters?: readonly string[]): EvalItemResult[] =>
  scores.map((score, i) => ({ itemId: `item-${i}`, score, ...(clusters === undefined ? {} : { cluster: clusters[i] as string }) }));

const assertInsufficient = (r: BenchmarkEstimate, reason: string, what: string): void => {
  assert.equal(r.verdict, 'insufficient_data', `${what}: verdict ${r.verdict}`);
  assert.equal(r.insufficientReason, reason, `${what}: reason ${r.insufficientReason}`);
  assert.equal(r.pValue, null, `${what}: p-value ${r.pValue}`);
  assert.equal(r.ciLow, null, `${what}: an interval was reported`);
  assert.equal(r.ciHigh, null, `${what}: an interval was reported`);
};

test('one seed pair reproduces pairedDifference, with its p-value and an items-only coverage label', { timeout: 5_000 }, () => {
  const treatment = items([0.8, 0.6, 0.9, 0.7, 0.5]);
  const control = items([0.6, 0.6, 0.7, 0.4, 0.5]);
  const r = benchmarkEstimate({ direction: 'higher_is_better', seedPairs: [{ treatment, control }], samplesPerItem: 4 });
  const p = pairedDifference(treatment, control, 'higher_is_better');
  assert.equal(r.delta, p.delta);
  assert.equal(r.se, p.stderr);
  assert.equal(r.df, 4);
  assert.ok(Math.abs((r.ciLow as number) - p.ciLow) < 1e-12 && Math.abs((r.ciHigh as number) - p.ciHigh) < 1e-12, 'interval differs from pairedDifference');
  // t = 7/3 on 4 df. Closed form for 4 df: F(t) = ½ + (3/8)·(t/√(1 + t²/4))·(1 − t²/(12(1 + t²/4))).
  const t = 7 / 3;
  const a = 1 + (t * t) / 4;
  const expected = 2 * (0.5 - (3 / 8) * (t / Math.sqrt(a)) * (1 - (t * t) / (12 * a)));
  assert.ok(Math.abs((r.pValue as number) - expected) < 1e-10, `p-value ${r.pValue}, expected ${expected}`);
  assert.equal(r.verdict, 'no_change');
  assert.equal(r.covers, 'items');
  assert.equal(r.method, 'item-t');
  assert.equal(r.samplesPerItem, 4);
  assert.equal(r.seeds, 1);
  assert.equal(r.items, 5);
  assert.equal(r.clusters, null);
  assert.ok(Math.abs((r.sdOfDifferences as number) - Math.sqrt(0.018)) < 1e-12, `SD of differences ${r.sdOfDifferences}`);
});

test('lower-is-better metrics are oriented so that positive is better', { timeout: 5_000 }, () => {
  const r = benchmarkEstimate({
    direction: 'lower_is_better',
    seedPairs: [{ treatment: items([1, 2, 3, 4, 5, 6]), control: items([2, 3.1, 4, 5.2, 6, 7.1]) }],
  });
  assert.ok((r.delta as number) > 0, `Δ ${r.delta} for a treatment with lower loss`);
  assert.equal(r.verdict, 'improved');
});

test('several seed pairs make the seed the unit: mean of Δ_s, SE = sd/√S, df = S − 1', { timeout: 5_000 }, () => {
  const seedPairs: SeedPair[] = [0.1, 0.3, 0.2].map((shift) => ({
    treatment: items([1 + shift, 2 + shift, 3 + shift + 0.1]),
    control: items([1, 2, 3]),
  }));
  // Δ_s = shift + 0.1/3: 0.1333, 0.3333, 0.2333; mean 0.2333, sd 0.1, SE 0.1/√3.
  const r = benchmarkEstimate({ direction: 'higher_is_better', seedPairs });
  assert.equal(r.method, 'seed-t');
  assert.equal(r.covers, 'seeds-and-items');
  assert.equal(r.seeds, 3);
  assert.equal(r.df, 2);
  assert.ok(Math.abs((r.delta as number) - (0.2 + 0.1 / 3)) < 1e-12, `Δ ${r.delta}`);
  assert.ok(Math.abs((r.se as number) - 0.1 / Math.sqrt(3)) < 1e-12, `SE ${r.se}`);
});

test('insufficient data never throws and is never decisive', { timeout: 5_000 }, () => {
  const hi = 'higher_is_better' as const;
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: [] }), 'too_few_seeds', 'no results');
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([1]), control: items([0]) }] }), 'too_few_items', 'one item');
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([]), control: items([]) }] }), 'too_few_items', 'no items');
  assertInsufficient(
    benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([1, 2, 3], ['a', 'a', 'a']), control: items([0, 0, 0]) }] }),
    'too_few_clusters',
    'one cluster',
  );
  // The case: two items at +1 used to read "improved".
  const twoAtOne = benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([1, 1]), control: items([0, 0]) }] });
  assertInsufficient(twoAtOne, 'no_variance', 'two items at +1');
  assert.equal(twoAtOne.delta, 1, 'the point estimate is still reported');
  // A rare-event benchmark: every difference 0.
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items(new Array(80).fill(0)), control: items(new Array(80).fill(0)) }] }), 'no_variance', 'all zero');
  // CR1 exactly zero: each cluster's mean difference equals the grand mean although items differ.
  assertInsufficient(
    benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([0, 2, 1, 1], ['a', 'a', 'b', 'b']), control: items([0, 0, 0, 0]) }] }),
    'no_variance',
    'CR1 SE = 0',
  );
  // The same in floating point, where CR1 returns rounding noise instead of 0.
  assertInsufficient(
    benchmarkEstimate({ direction: hi, seedPairs: [{ treatment: items([0.1, 0.3, 0.2, 0.2, 0.7, -0.3], ['a', 'a', 'b', 'b', 'c', 'c']), control: items([0, 0, 0, 0, 0, 0]) }] }),
    'no_variance',
    'CR1 SE = rounding noise',
  );
  // Seeds declared as the unit, but only one seed pair came back.
  const oneSeed = benchmarkEstimate({ direction: hi, unit: 'seeds', seedPairs: [{ treatment: items([1, 2, 3]), control: items([0, 0, 1]) }] });
  assertInsufficient(oneSeed, 'too_few_seeds', 'one seed pair when seeds are the unit');
  // Several seeds with identical Δ_s.
  const same = [0, 1].map(() => ({ treatment: items([1, 2, 3]), control: items([0, 0, 1]) }));
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: same }), 'no_variance', 'identical Δ_s');
  // One seed pair of several with a single item.
  const thin = [{ treatment: items([1, 2, 3]), control: items([0, 0, 1]) }, { treatment: items([1]), control: items([0]) }];
  assertInsufficient(benchmarkEstimate({ direction: hi, seedPairs: thin }), 'too_few_items', 'a seed with one item');
});

test('random tiny inputs never throw and a point interval is never decisive', { timeout: 10_000 }, () => {
  const rng = new Rng(31);
  for (let trial = 0; trial < 2000; trial++) {
    const seeds = rng.int(4);
    const n = rng.int(5);
    const clustered = rng.uniform() < 0.5;
    const clusters = Array.from({ length: n }, () => `c${rng.int(2)}`);
    const seedPairs = Array.from({ length: seeds }, () => ({
      treatment: items(Array.from({ length: n }, () => rng.int(2)), clustered ? clusters : undefined),
      control: items(Array.from({ length: n }, () => rng.int(2)), clustered ? clusters : undefined),
    }));
    const r = benchmarkEstimate({ direction: 'higher_is_better', seedPairs });
    const what = `trial ${trial} (${seeds} seeds, ${n} items, clustered ${clustered})`;
    if (r.verdict === 'improved' || r.verdict === 'regressed') {
      assert.ok((r.se as number) > 0 && (r.ciHigh as number) > (r.ciLow as number), `${what}: decisive with a point interval`);
      assert.ok(r.pValue !== null && r.pValue < 0.05, `${what}: decisive with p ${r.pValue}`);
    }
    if (r.verdict === 'insufficient_data') assert.equal(r.pValue, null, `${what}: insufficient with a p-value`);
  }
});

test('malformed inputs are still errors, not insufficient data', { timeout: 5_000 }, () => {
  assert.throws(
    () => benchmarkEstimate({ direction: 'higher_is_better', seedPairs: [{ treatment: items([1, 2, 3]), control: items([1, 2]) }] }),
    ItemSetMismatchError,
  );
});
