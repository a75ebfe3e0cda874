import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Report, type BenchmarkCategory, type BenchmarkInfo, type EvalItemResult } from '@ballast/schema';
import { buildReport, type ArmResults, type ReportInput } from './build-report.js';
import { BenchmarkMismatchError, UnknownArmError } from './errors.js';
import { renderReportMarkdown } from './render-markdown.js';
import { renderReportSummary } from './render-summary.js';

function info(id: string, category: BenchmarkCategory, direction: BenchmarkInfo['direction'] = 'higher_is_better', outOfDomain = false): BenchmarkInfo {
  return {
    id,
    version: 1,
    category,
    description: `${id} (synthetic)`,
    traits: ['honesty'],
    domains: ['law'],
    metric: direction === 'higher_is_better' ? 'accuracy' : 'error_rate',
    direction,
    itemCount: 8,
    harness: { kind: 'reference' },
    outOfDomain,
    simulated: true,
  };
}

const BASE = [0.2, 0.4, 0.5, 0.3, 0.6, 0.1, 0.7, 0.4];
const items = (shift: number[]): EvalItemResult[] => BASE.map((b, i) => ({ itemId: `q${i}`, score: b + (shift[i] ?? 0) }));
const UP = [0.1, 0.12, 0.09, 0.11, 0.1, 0.08, 0.12, 0.1];
const NOISE = [0.05, -0.06, 0.04, -0.03, 0.02, -0.05, 0.06, -0.04];

function arm(results: Record<string, { info: BenchmarkInfo; items: EvalItemResult[] }>, steps = 100, recordsSeen = 1600): ArmResults {
  return { checkpointHash: `sha256:${String(steps).padStart(64, '0')}`, compute: { steps, recordsSeen }, results };
}

/**
 * Treatment vs control on five benchmarks: two sycophancy (one improved, one unchanged), one
 * deception improved, one lower-is-better honesty benchmark whose error rate rose (a regression),
 * one capability unchanged and out of domain; plus one benchmark only the treatment ran.
 */
function input(treatmentSteps = 100): ReportInput {
  const control = arm({
    'syc-a@1': { info: info('syc-a', 'sycophancy'), items: items([]) },
    'syc-b@1': { info: info('syc-b', 'sycophancy'), items: items([]) },
    'decept@2': { info: { ...info('decept', 'deception'), version: 2 }, items: items([]) },
    'lies@1': { info: info('lies', 'honesty', 'lower_is_better'), items: items([]) },
    'math@1': { info: info('math', 'capability', 'higher_is_better', true), items: items([]) },
  });
  const treatment = arm(
    {
      'syc-b@1': { info: info('syc-b', 'sycophancy'), items: items(NOISE) },
      'syc-a@1': { info: info('syc-a', 'sycophancy'), items: items(UP) },
      'decept@2': { info: { ...info('decept', 'deception'), version: 2 }, items: items(UP) },
      'lies@1': { info: info('lies', 'honesty', 'lower_is_better'), items: items(UP) },
      'math@1': { info: info('math', 'capability', 'higher_is_better', true), items: items(NOISE) },
      'only-t@1': { info: info('only-t', 'fairness'), items: items(UP) },
    },
    treatmentSteps,
  );
  return {
    experimentId: 'exp_123',
    experimentName: 'traits-vs-baseline',
    specHash: 'sha256:abc',
    simulated: true,
    comparisons: [{ treatment: 'traits-5', control: 'baseline' }],
    arms: { 'traits-5': treatment, baseline: control },
  };
}

test('buildReport compares every benchmark both arms ran, sorted by category then id, and counts verdicts', () => {
  const report = buildReport(input());
  assert.doesNotThrow(() => Report.parse(report));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.method.confidence, 0.95);
  assert.equal(report.method.multipleComparisons, 'none (unadjusted; corrections come later)');
  const [cmp] = report.comparisons;
  assert.ok(cmp);
  assert.deepEqual(
    cmp.benchmarks.map((b) => [b.benchmark, b.category, b.verdict]),
    [
      ['decept@2', 'deception', 'improved'],
      ['lies@1', 'honesty', 'regressed'],
      ['syc-a@1', 'sycophancy', 'improved'],
      ['syc-b@1', 'sycophancy', 'no_change'],
      ['math@1', 'capability', 'no_change'],
    ],
  );
  const lies = cmp.benchmarks.find((b) => b.benchmark === 'lies@1');
  assert.ok(lies && lies.delta < 0 && lies.treatmentMean > lies.controlMean, 'a higher error rate is a negative delta');
  assert.equal(cmp.benchmarks.find((b) => b.benchmark === 'math@1')?.outOfDomain, true);
  assert.deepEqual(cmp.byCategory, [
    { category: 'deception', improved: 1, noChange: 0, regressed: 0, total: 1 },
    { category: 'honesty', improved: 0, noChange: 0, regressed: 1, total: 1 },
    { category: 'sycophancy', improved: 1, noChange: 1, regressed: 0, total: 2 },
    { category: 'capability', improved: 0, noChange: 1, regressed: 0, total: 1 },
  ]);
  assert.deepEqual(cmp.totals, { improved: 2, noChange: 2, regressed: 1, total: 5 });
  assert.equal(cmp.computeMatch.matched, true);
  assert.match(cmp.computeMatch.note, /compute-matched: both arms ran 100 steps over 1600 records/);
  assert.equal(cmp.treatmentCheckpoint, `sha256:${'100'.padStart(64, '0')}`);
});

test('buildReport flags arms that are not compute-matched', () => {
  const cmp = buildReport(input(120)).comparisons[0];
  assert.equal(cmp?.computeMatch.matched, false);
  assert.match(cmp?.computeMatch.note ?? '', /NOT compute-matched \(traits-5 120 steps \/ 1600 records, baseline 100 steps/);
  assert.deepEqual(cmp?.computeMatch.treatment, { arm: 'traits-5', steps: 120, recordsSeen: 1600 });
});

test('buildReport refuses unknown arms and benchmarks described differently by the two arms', () => {
  const base = input();
  assert.throws(() => buildReport({ ...base, comparisons: [{ treatment: 'nope', control: 'baseline' }] }), UnknownArmError);
  const control = base.arms.baseline as ArmResults;
  const flipped: ArmResults = {
    ...control,
    results: { ...control.results, 'syc-a@1': { info: info('syc-a', 'sycophancy', 'lower_is_better'), items: items([]) } },
  };
  assert.throws(() => buildReport({ ...base, arms: { ...base.arms, baseline: flipped } }), BenchmarkMismatchError);
});

test('renderReportMarkdown shows the banner, compute line, headline and both tables', () => {
  const md = renderReportMarkdown(buildReport(input(120)));
  assert.match(md, /^# Report: traits-vs-baseline/);
  assert.match(md, /\*\*⚠ SIMULATED:/);
  assert.match(md, /## traits-5 vs baseline/);
  assert.match(md, /⚠ NOT compute-matched/);
  assert.match(md, /\*\*2 of 5 benchmarks improved \(95% CI above zero, unadjusted\)\*\*; 1 regressed, 2 no change\./);
  assert.match(md, /\| category \| improved \| no change \| regressed \| total \|/);
  assert.match(md, /\| sycophancy \| 1 \| 1 \| 0 \| 2 \|/);
  assert.match(md, /\| benchmark \| category \| n \| control \| treatment \| Δ \| 95% CI \| verdict \| OOD \|/);
  assert.match(md, /\| lies@1 \(error_rate ↓\) \| honesty \| 8 \| 0\.400 \| 0\.50\d \| -0\.10\d \| \[-0\.\d{3}, -0\.\d{3}\] \| \*\*regressed\*\* \|  \|/);
  assert.match(md, /\| math@1 \(accuracy\) \| capability .* \| no change \| OOD \|/);
  const real = renderReportMarkdown({ ...buildReport(input()), simulated: false });
  assert.doesNotMatch(real, /SIMULATED/);
  assert.match(real, /✓ compute-matched/);
});

test('renderReportSummary prints the headline and an aligned per-category table', () => {
  const text = renderReportSummary(buildReport(input()));
  const lines = text.split('\n');
  assert.match(lines[0] ?? '', /^!! SIMULATED/);
  assert.ok(lines.includes('traits-5 vs baseline: 2 of 5 benchmarks improved (95% CI above zero, unadjusted); 1 regressed, 2 no change'));
  const header = lines.find((l) => l.startsWith('category'));
  const syc = lines.find((l) => l.startsWith('sycophancy'));
  assert.ok(header && syc);
  assert.equal(syc.length, header.length, 'columns line up');
  assert.match(syc, /^sycophancy\s+1\s+1\s+0\s+2$/);
  assert.match(lines.find((l) => l.startsWith('total')) ?? '', /^total\s+2\s+2\s+1\s+5$/);
});
