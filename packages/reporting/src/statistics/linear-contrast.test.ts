import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ItemSetMismatchError } from '../errors.js';
import { pairedDifference } from '../paired-difference.js';
import { linearContrast } from './linear-contrast.js';
import { Rng } from './rng.js';
import { drawSeedPairs, syntheticLayout } from './synthetic-benchmark.js';

describe('linearContrast', { timeout: 10_000 }, () => {
  test('a +1/−1 contrast of two arms is exactly the paired difference, clustered or not', () => {
    const rng = new Rng(3);
    for (const design of [
      { trueEffect: 0.2, items: 40, seeds: 1, difficultySd: 1, noiseSd: 1 },
      { trueEffect: 0.2, clusterSizes: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5], seeds: 1, difficultySd: 1, noiseSd: 1, conversationSd: 0.5 },
    ]) {
      const [pair] = drawSeedPairs(rng, design, syntheticLayout(design));
      const paired = pairedDifference(pair!.treatment, pair!.control, 'lower_is_better');
      const c = linearContrast({ unit: 'items', replicates: [[{ sign: -1, terms: [{ weight: 1, items: pair!.treatment }, { weight: -1, items: pair!.control }] }]] });
      assert.ok(Math.abs(c.estimate! - paired.delta) < 1e-12);
      assert.ok(Math.abs(c.se! - paired.stderr) < 1e-12);
      assert.ok(Math.abs(c.df! - paired.df) < 1e-9, `df ${c.df} vs ${paired.df}`);
      assert.equal(c.method, paired.clusters === null ? 'item-t' : 'item-cr2-t');
    }
  });

  test('two benchmarks: variances add, on Welch–Satterthwaite degrees of freedom', () => {
    const rng = new Rng(4);
    const a = drawSeedPairs(rng, { trueEffect: 0, items: 30, seeds: 1, difficultySd: 1, noiseSd: 1 }, syntheticLayout({ trueEffect: 0, items: 30, seeds: 1, difficultySd: 1, noiseSd: 1 }))[0]!;
    const b = drawSeedPairs(rng, { trueEffect: 0, items: 10, seeds: 1, difficultySd: 1, noiseSd: 3 }, syntheticLayout({ trueEffect: 0, items: 10, seeds: 1, difficultySd: 1, noiseSd: 3 }))[0]!;
    const pa = pairedDifference(a.treatment, a.control, 'higher_is_better');
    const pb = pairedDifference(b.treatment, b.control, 'higher_is_better');
    const block = (p: typeof a) => ({ sign: 1 as const, terms: [{ weight: 0.5, items: p.treatment }, { weight: -0.5, items: p.control }] });
    const c = linearContrast({ unit: 'items', replicates: [[block(a), block(b)]] });
    const va = (pa.stderr / 2) ** 2;
    const vb = (pb.stderr / 2) ** 2;
    assert.ok(Math.abs(c.estimate! - (pa.delta + pb.delta) / 2) < 1e-12);
    assert.ok(Math.abs(c.se! - Math.sqrt(va + vb)) < 1e-12);
    assert.ok(Math.abs(c.df! - (va + vb) ** 2 / (va ** 2 / 29 + vb ** 2 / 9)) < 1e-9);
    assert.ok(c.df! > 9 && c.df! < 38, 'between the smaller df and the sum');
  });

  test('seeds as the unit: the t interval over the per-seed values; one seed or no variance is insufficient data', () => {
    const items = (shift: number) => [0, 1, 2].map((i) => ({ itemId: `q${i}`, score: i + shift }));
    const seeds = [0.1, 0.3, 0.2].map((d) => [{ sign: 1 as const, terms: [{ weight: 1, items: items(d) }, { weight: -1, items: items(0) }] }]);
    const c = linearContrast({ unit: 'seeds', replicates: seeds });
    assert.ok(Math.abs(c.estimate! - 0.2) < 1e-12);
    assert.equal(c.df, 2);
    assert.equal(c.method, 'seed-t');
    assert.equal(linearContrast({ unit: 'seeds', replicates: seeds.slice(0, 1) }).insufficientReason, 'too_few_seeds');
    const flat = linearContrast({ unit: 'items', replicates: [seeds[0]!] });
    assert.equal(flat.insufficientReason, 'no_variance', 'every item moved by the same amount');
    assert.equal(linearContrast({ unit: 'items', replicates: [seeds[0]!], testsZero: false }).pValue, null);
  });

  test('conditions must share their items: a missing item is a bug upstream and throws', () => {
    const items = [0, 1, 2].map((i) => ({ itemId: `q${i}`, score: i }));
    assert.throws(() => linearContrast({ unit: 'items', replicates: [[{ sign: 1, terms: [{ weight: 1, items }, { weight: -1, items: items.slice(1) }] }]] }), ItemSetMismatchError);
  });
});
