import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BenchmarkInfo } from '@ballast/schema';
import { InvalidArgumentError } from './errors.js';
import { PLAN_ASSUMPTIONS, parseAssumptions, planEvaluation } from './plan.js';

const bench = (id: string, itemCount: number | null, harness: BenchmarkInfo['harness'] = { kind: 'reference' }): BenchmarkInfo =>
  BenchmarkInfo.parse({ id, version: 1, category: 'honesty', description: id, metric: 'candid_rate', direction: 'higher_is_better', itemCount, harness });

const plan = (overrides: Partial<Parameters<typeof planEvaluation>[0]> = {}) =>
  planEvaluation({
    benchmarks: [bench('median', 100), bench('unknown', null), bench('lm', 100, { kind: 'lm-eval', task: 'x', metricKey: 'acc', filter: 'none' })],
    headline: ['median@1', 'unknown@1'],
    samplesPerItem: 4,
    seeds: 1,
    alpha: 0.05,
    power: 0.8,
    assumptions: { ...PLAN_ASSUMPTIONS },
    ...overrides,
  });

describe('planEvaluation', { timeout: 10_000 }, () => {
  test('the defaults reproduce today\'s reports: 100 items, 4 samples, one seed → half-width ≈ 0.030, MDE ≈ 0.042', () => {
    const [median] = plan();
    assert.ok(median && median.se !== null && median.mde !== null && median.df !== null);
    assert.equal(median.df, 49, 'clusters of 2: 50 clusters, 49 df');
    assert.ok(Math.abs(2.01 * median.se - 0.030) < 0.002, `half-width ${2.01 * median.se}`);
    assert.ok(Math.abs(median.mde - 0.042) < 0.002, `MDE ${median.mde}`);
    assert.equal(median.covers, 'items');
    assert.ok(median.mdeHolm !== null && median.mdeHolm > median.mde, 'Holm\'s first step needs a larger effect');
  });

  test('seeds shrink the MDE and make the seed the unit; lm-eval plans one sample; unknown counts stay unknown unless a limit is given', () => {
    const [one, unknown, lm] = plan();
    const [ten] = plan({ seeds: 10 });
    assert.ok(ten!.mde! < one!.mde!, `${ten!.mde} < ${one!.mde}`);
    assert.equal(ten!.df, 9);
    assert.equal(ten!.covers, 'seeds-and-items');
    assert.equal(unknown!.mde, null);
    assert.equal(lm!.samplesPerItem, 1);
    assert.ok(lm!.mde! > one!.mde!, 'one sample per item is noisier than four');
    assert.equal(lm!.mdeHolm, null, 'outside the headline family');
    const [, limited] = plan({ limit: 40 });
    assert.equal(limited!.items, 40);
    assert.ok(limited!.mde !== null);
  });

  test('parseAssumptions takes K=V overrides and names what is wrong', () => {
    assert.equal(parseAssumptions(['within=0.2', 'icc=0']).within, 0.2);
    assert.throws(() => parseAssumptions(['nope=1']), (e: unknown) => e instanceof InvalidArgumentError && /--assume nope: unknown/.test(e.message));
    assert.throws(() => parseAssumptions(['within=-1']), /finite number ≥ 0/);
    assert.throws(() => parseAssumptions(['within']), /finite number ≥ 0/);
    assert.throws(() => parseAssumptions(['icc=2']), /at most 1/);
    assert.throws(() => parseAssumptions(['clusterSize=1.5']), /whole number/);
  });
});
