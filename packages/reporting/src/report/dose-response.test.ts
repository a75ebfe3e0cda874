import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Report } from '@ballast/schema';
import { buildReport } from '../build-report.js';
import { renderReportMarkdown } from '../render-markdown.js';
import { renderReportSummary } from '../render-summary.js';
import { InvalidArgumentError, UnknownArmError } from '../errors.js';
import { Rng } from '../statistics/rng.js';
import { type DoseDesign, doseResponseInput, SWEEP } from './dose-response-test-input.js';
import { doseResponseReport } from './dose-response.js';
import type { ReportInput } from './input.js';

const SIMULATIONS = 1000;
// 95 ± 2%: about three Monte Carlo SEs (√(0.95·0.05/1000) ≈ 0.69%) either side.
const LOW = 0.93;
const HIGH = 0.97;
const SLOPE = 0.015;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function coverage(design: DoseDesign, seed: number, override: (input: ReportInput) => ReportInput = (x) => x): { coverage: number; meanSlope: number } {
  const rng = new Rng(seed);
  let hits = 0;
  let sum = 0;
  for (let sim = 0; sim < SIMULATIONS; sim++) {
    const row = doseResponseReport(override(doseResponseInput(rng, design)))!.benchmarks[0]!;
    const { estimate, ciLow, ciHigh } = row.slope;
    assert.ok(estimate !== null && ciLow !== null && ciHigh !== null, `no interval: ${row.slope.insufficientDetail}`);
    sum += estimate;
    if (ciLow <= SLOPE && SLOPE <= ciHigh) hits++;
  }
  return { coverage: hits / SIMULATIONS, meanSlope: sum / SIMULATIONS };
}

describe('dose–response: Monte Carlo against a known slope', { timeout: 60_000 }, () => {
  test('one seed, clustered items: the CR2 trend interval covers the true slope 95 ± 2%', { timeout: 30_000 }, (t) => {
    // 20 conversations of 3 items, conversation effects per arm: the per-item trend contrasts are correlated within a conversation.
    const design: DoseDesign = { benchmarks: [{ id: 'decept', category: 'deception', slopePerPoint: SLOPE }], seeds: 1, items: 60, clusterSize: 3, difficultySd: 1, noiseSd: 0.5, conversationSd: 0.3 };
    const started = Date.now();
    const result = coverage(design, 11);
    t.diagnostic(`item-level CR2 coverage ${pct(result.coverage)}, mean slope ${result.meanSlope.toFixed(5)} (true ${SLOPE}), ${Date.now() - started} ms`);
    assert.ok(Math.abs(result.meanSlope - SLOPE) < 0.002, `mean slope ${result.meanSlope}, expected about ${SLOPE}`);
    assert.ok(result.coverage >= LOW && result.coverage <= HIGH, `coverage ${pct(result.coverage)}, expected 95 ± 2%`);
  });

  test('replicates: the seed-level trend interval covers 95 ± 2% under seed noise; an item-level one would not', { timeout: 30_000 }, (t) => {
    const design: DoseDesign = { benchmarks: [{ id: 'lies', category: 'honesty', slopePerPoint: SLOPE, direction: 'lower_is_better' }], seeds: 4, items: 40, difficultySd: 1, noiseSd: 0.4, seedSd: 0.08 };
    const started = Date.now();
    const seeds = coverage(design, 22);
    // The same draws read as one seed per arm (the first replicate only): the interval misses the training noise.
    const firstOnly = (input: ReportInput): ReportInput => ({
      ...input,
      seedsPerArm: 1,
      arms: Object.fromEntries(Object.entries(input.arms).map(([name, arm]) => [name, { ...arm, runs: arm.runs.slice(0, 1) }])),
    });
    const items = coverage(design, 22, firstOnly);
    t.diagnostic(`seed-level coverage ${pct(seeds.coverage)} (mean slope ${seeds.meanSlope.toFixed(5)}); item-only under seed noise ${pct(items.coverage)}; ${Date.now() - started} ms`);
    assert.ok(seeds.coverage >= LOW && seeds.coverage <= HIGH, `seed-level coverage ${pct(seeds.coverage)}, expected 95 ± 2%`);
    assert.ok(items.coverage < 0.9, `the item-only interval covered ${pct(items.coverage)} under seed noise; the test cannot tell the two apart`);
  });
});

describe('dose–response section', { timeout: 30_000 }, () => {
  const design: DoseDesign = {
    benchmarks: [
      { id: 'decept', category: 'deception', slopePerPoint: 0.03 },
      { id: 'lies', category: 'honesty', slopePerPoint: 0.03, direction: 'lower_is_better' },
      { id: 'syc', category: 'sycophancy', slopePerPoint: 0 },
      { id: 'math', category: 'capability', slopePerPoint: 0 },
    ],
    seeds: 1,
    items: 80,
    difficultySd: 1,
    noiseSd: 0.2,
  };

  test('the slope is the least-squares slope of the arms\' oriented means, per +1 percentage point', () => {
    const input = doseResponseInput(new Rng(5), design);
    const section = doseResponseReport(input)!;
    for (const row of section.benchmarks) {
      const sign = row.direction === 'lower_is_better' ? -1 : 1;
      const x = SWEEP.map((a) => 100 * a.fraction);
      const y = SWEEP.map((a) => {
        const items = input.arms[a.arm]!.runs[0]!.results[row.benchmark]!.items;
        return (sign * items.reduce((s, it) => s + it.score, 0)) / items.length;
      });
      const mx = x.reduce((s, v) => s + v, 0) / x.length;
      const my = y.reduce((s, v) => s + v, 0) / y.length;
      const slope = x.reduce((s, v, i) => s + (v - mx) * (y[i]! - my), 0) / x.reduce((s, v) => s + (v - mx) ** 2, 0);
      assert.ok(Math.abs(row.slope.estimate! - slope) < 1e-12, `${row.benchmark}: ${row.slope.estimate} vs least squares ${slope}`);
      // The fitted line, as Δ against the control, is the same line: its slope over the band matches.
      const first = row.fit[0]!;
      const last = row.fit.at(-1)!;
      assert.ok(Math.abs((last.value! - first.value!) / (100 * (last.fraction - first.fraction)) - slope) < 1e-12, 'the band follows the fitted slope');
      assert.ok(row.fit.every((p) => p.ciLow! <= p.value! && p.value! <= p.ciHigh!), 'every band point brackets its line');
      assert.equal(row.points.length, SWEEP.length - 1, 'one Δ point per non-control arm');
    }
    assert.deepEqual(section.arms, SWEEP.map((a) => ({ ...a })), 'control first at 0, then by fraction');
    assert.equal(section.unit, 'per_percentage_point');
  });

  test('Holm and BH across the family, a pooled standardised trend, verdicts oriented so positive = better', () => {
    const section = doseResponseReport(doseResponseInput(new Rng(6), design))!;
    const byRef = new Map(section.benchmarks.map((b) => [b.benchmark, b]));
    assert.equal(byRef.get('decept@1')!.holmVerdict, 'improved');
    assert.equal(byRef.get('lies@1')!.holmVerdict, 'improved', 'a falling error rate is a rising oriented score');
    assert.equal(byRef.get('syc@1')!.holmVerdict, 'no_change');
    assert.equal(byRef.get('math@1')!.inHeadlineFamily, false);
    assert.equal(byRef.get('math@1')!.pHolm, null, 'outside the family nothing is adjusted');
    for (const b of section.benchmarks.filter((r) => r.inHeadlineFamily)) assert.ok(b.pHolm! >= b.slope.pValue! && b.pBH! >= b.slope.pValue!);
    assert.deepEqual(section.headline.holm, { improved: 2, noChange: 1, regressed: 0, insufficient: 0, total: 3 });
    assert.equal(section.randomEffects.kind, 'summary');
  });

  test('a benchmark one sweep arm did not run is insufficient data (not evaluated), never a crash', () => {
    const input = doseResponseInput(new Rng(7), design);
    const run = input.arms['traits-2']!.runs[0]!;
    const { ['syc@1']: _dropped, ...rest } = run.results;
    const thin: ReportInput = { ...input, arms: { ...input.arms, 'traits-2': { ...input.arms['traits-2']!, runs: [{ ...run, results: rest }] } } };
    const report = buildReport(thin);
    const row = report.doseResponse!.benchmarks.find((b) => b.benchmark === 'syc@1')!;
    assert.equal(row.verdict, 'insufficient_data');
    assert.equal(row.holmVerdict, 'insufficient_data');
    assert.equal(row.slope.insufficientReason, 'not_evaluated');
    assert.match(row.slope.insufficientDetail ?? '', /traits-2/);
    assert.equal(row.points.find((p) => p.arm === 'traits-2')!.verdict, 'insufficient_data');
    assert.equal(report.doseResponse!.headline.holm.insufficient, 1);
  });

  test('with replicates but one seed left, the trend is insufficient data (too few seeds)', () => {
    const input = doseResponseInput(new Rng(8), { ...design, seeds: 2 });
    const arms = { ...input.arms, 'traits-10': { ...input.arms['traits-10']!, runs: input.arms['traits-10']!.runs.slice(0, 1) } };
    const section = doseResponseReport({ ...input, arms })!;
    assert.equal(section.seeds, 1);
    for (const row of section.benchmarks) assert.equal(row.slope.insufficientReason, 'too_few_seeds');
  });

  test('a sweep that cannot define a trend is refused as malformed input', () => {
    const input = doseResponseInput(new Rng(9), design);
    assert.throws(() => doseResponseReport({ ...input, doseResponse: { control: 'baseline', arms: [{ arm: 'traits-5', fraction: 5 }] } }), InvalidArgumentError);
    assert.throws(() => doseResponseReport({ ...input, doseResponse: { control: 'baseline', arms: [{ arm: 'nope', fraction: 0.05 }] } }), UnknownArmError);
    assert.throws(() => doseResponseReport({ ...input, doseResponse: { control: 'baseline', arms: [{ arm: 'baseline', fraction: 0.05 }, { arm: 'traits-5', fraction: 0.05 }] } }), InvalidArgumentError);
    assert.throws(() => doseResponseReport({ ...input, doseResponse: { control: 'baseline', arms: [{ arm: 'traits-5', fraction: 0 }] } }), InvalidArgumentError);
  });

  test('Markdown and the summary show the sweep, the Holm headline, the pooled trend and the trends', () => {
    const report = buildReport(doseResponseInput(new Rng(12), design));
    const md = renderReportMarkdown(report);
    assert.match(md, /## Dose–response/);
    assert.match(md, /Sweep: baseline 0%, traits-1 1%, traits-2 2%, traits-5 5%, traits-10 10%/);
    assert.match(md, /\*\*2 of 3 benchmarks rise with the trait fraction and 0 fall \(Holm-adjusted/);
    assert.match(md, /\| decept@1 \| deception \| 80 \| 1 \| \+0\.0\d{3} \| \[\+0\.0\d{3}, \+0\.0\d{3}\] \|/);
    assert.match(md, /math@1 †/);
    const text = renderReportSummary(report);
    assert.match(text, /dose–response \(baseline 0%, traits-1 1%.*trend per \+1 percentage point/);
    assert.match(text, /2 of 3 benchmarks rise with the trait fraction/);
    assert.match(text, /pooled standardised trend/);
    assert.match(text, /decept@1 +rises/);
  });

  test('the report parses with the section, and a report without it (an older one) still parses', () => {
    const report = buildReport(doseResponseInput(new Rng(10), design));
    assert.doesNotThrow(() => Report.parse(report));
    const { doseResponse: _section, ...older } = report;
    assert.doesNotThrow(() => Report.parse(older));
    assert.equal(buildReport({ ...doseResponseInput(new Rng(10), design), doseResponse: undefined }).doseResponse, undefined);
  });
});
