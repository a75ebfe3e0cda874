import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalItemResult } from '@ballast/schema';
import { ClusterMismatchError, DuplicateItemError, ItemSetMismatchError, TooFewItemsError } from './errors.js';
import { pairedDifference } from './paired-difference.js';

const items = (scores: number[], clusters?: string[]): EvalItemResult[] =>
  scores.map((score, i) => ({ itemId: `item-${i}`, score, ...(clusters === undefined ? {} : { cluster: clusters[i] as string }) }));

const close = (a: number, b: number, tol = 1e-6): void => assert.ok(Math.abs(a - b) < tol, `${a} is not ${b}`);

test('pairedDifference matches a hand-computed example', () => {
  // d = [0.2, 0, 0.2, 0.3, 0]: mean 0.14, s² = 0.072 / 4 = 0.018, SE = sqrt(0.018 / 5) = 0.06,
  // t(0.975, 4) = 2.776445, half-width 0.166587.
  const r = pairedDifference(items([0.8, 0.6, 0.9, 0.7, 0.5]), items([0.6, 0.6, 0.7, 0.4, 0.5]), 'higher_is_better');
  assert.equal(r.n, 5);
  assert.equal(r.df, 4);
  assert.equal(r.clusters, null);
  close(r.treatmentMean, 0.7);
  close(r.controlMean, 0.56);
  close(r.delta, 0.14);
  close(r.stderr, 0.06);
  close(r.ciLow, 0.14 - 0.06 * 2.776445105);
  close(r.ciHigh, 0.14 + 0.06 * 2.776445105);
});

test('pairedDifference pairs by itemId, whatever the order', () => {
  const t = items([0.8, 0.6, 0.9, 0.7, 0.5]);
  const c = items([0.6, 0.6, 0.7, 0.4, 0.5]);
  const a = pairedDifference(t, c, 'higher_is_better');
  const b = pairedDifference([...t].reverse(), [c[2], c[0], c[4], c[1], c[3]] as EvalItemResult[], 'higher_is_better');
  assert.deepEqual(b, a);
});

test('pairedDifference uses the CR2 cluster-robust SE, with G − 1 df for equal clusters, when items share a conversation', () => {
  // d = 1..6 in three clusters of two: residual sums −4, 0, 4; V = Σ u²/(1 − 2/6)/36 = 4/3 (CR1 agrees here).
  const control = items([0, 0, 0, 0, 0, 0]);
  const treatment = items([1, 2, 3, 4, 5, 6], ['a', 'a', 'b', 'b', 'c', 'c']);
  const r = pairedDifference(treatment, control, 'higher_is_better');
  assert.equal(r.clusters, 3);
  assert.equal(r.df, 2);
  close(r.delta, 3.5);
  close(r.stderr, Math.sqrt(4 / 3));
  close(r.ciLow, 3.5 - Math.sqrt(4 / 3) * 4.30265273);
  close(r.ciHigh, 3.5 + Math.sqrt(4 / 3) * 4.30265273);

  // The same data without clusters: s² = 3.5, SE = sqrt(3.5 / 6), df = 5: narrower, as it should be.
  const flat = pairedDifference(items([1, 2, 3, 4, 5, 6]), control, 'higher_is_better');
  close(flat.stderr, Math.sqrt(3.5 / 6));
  assert.equal(flat.df, 5);
  assert.ok(flat.ciHigh - flat.ciLow < r.ciHigh - r.ciLow);
});

test('unequal clusters: CR2 weights each cluster by 1/(1 − n_g/n) and Bell–McCaffrey gives fewer than G − 1 df', () => {
  // d = 1..6 in clusters of 1, 2 and 3: residual sums −2.5, −2, 4.5.
  // V = (6.25/(5/6) + 4/(4/6) + 20.25/(3/6)) / 36 = 1.5; df = 36 / (14 + 4.2² − 10.04) = 5/3.
  const control = items([0, 0, 0, 0, 0, 0]);
  const treatment = items([1, 2, 3, 4, 5, 6], ['a', 'b', 'b', 'c', 'c', 'c']);
  const r = pairedDifference(treatment, control, 'higher_is_better');
  assert.equal(r.clusters, 3);
  close(r.stderr, Math.sqrt(1.5));
  close(r.df, 5 / 3);
  assert.ok(r.df < 2, 'unequal clusters have fewer effective degrees of freedom than G − 1');
});

test('singleton clusters reproduce the unclustered SE', () => {
  const t = items([0.8, 0.6, 0.9, 0.7, 0.5], ['a', 'b', 'c', 'd', 'e']);
  const c = items([0.6, 0.6, 0.7, 0.4, 0.5]);
  const r = pairedDifference(t, c, 'higher_is_better');
  assert.equal(r.clusters, 5);
  close(r.stderr, 0.06);
  close(r.ciHigh, 0.14 + 0.06 * 2.776445105);
});

test('lower_is_better is negated so that positive delta means better', () => {
  // Treatment's error rate is lower: that is an improvement.
  const r = pairedDifference(items([0.1, 0.2, 0.1, 0.3]), items([0.3, 0.3, 0.4, 0.4]), 'lower_is_better');
  close(r.treatmentMean, 0.175);
  close(r.controlMean, 0.35);
  close(r.delta, 0.175);
  assert.ok(r.ciLow > 0);
  const higher = pairedDifference(items([0.1, 0.2, 0.1, 0.3]), items([0.3, 0.3, 0.4, 0.4]), 'higher_is_better');
  close(higher.delta, -0.175);
  close(higher.ciLow, -r.ciHigh);
});

test('zero variance gives a degenerate interval at delta', () => {
  const r = pairedDifference(items([0.3, 0.5, 0.9]), items([0.2, 0.4, 0.8]), 'higher_is_better');
  // 0.3 − 0.2 etc. are not all bit-identical in floating point; these are:
  const exact = pairedDifference(items([1, 2, 3]), items([0, 1, 2]), 'higher_is_better');
  assert.deepEqual([exact.delta, exact.stderr, exact.ciLow, exact.ciHigh], [1, 0, 1, 1]);
  assert.ok(r.ciHigh - r.ciLow < 1e-12);
  const none = pairedDifference(items([1, 2, 3]), items([1, 2, 3]), 'higher_is_better');
  assert.deepEqual([none.delta, none.ciLow, none.ciHigh], [0, 0, 0]);
});

test('pairedDifference refuses item sets that differ, duplicates, cluster disagreement and too little data', () => {
  assert.throws(
    () => pairedDifference(items([1, 2, 3]), items([1, 2]), 'higher_is_better'),
    (err: unknown) => err instanceof ItemSetMismatchError && err.onlyInTreatment[0] === 'item-2' && err.code === 'REPORT_ITEM_SET_MISMATCH',
  );
  const dup = [...items([1, 2]), { itemId: 'item-0', score: 3 }];
  assert.throws(() => pairedDifference(dup, items([1, 2, 3]), 'higher_is_better'), DuplicateItemError);
  assert.throws(
    () => pairedDifference(items([1, 2], ['a', 'b']), items([1, 2], ['a', 'c']), 'higher_is_better'),
    ClusterMismatchError,
  );
  assert.throws(() => pairedDifference(items([1]), items([0]), 'higher_is_better'), TooFewItemsError);
  assert.throws(() => pairedDifference(items([1, 2], ['a', 'a']), items([0, 0]), 'higher_is_better'), TooFewItemsError);
});
