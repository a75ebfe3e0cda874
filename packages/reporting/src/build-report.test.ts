import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Report } from '@ballast/schema';
import { buildReport } from './build-report.js';
import { BenchmarkMismatchError, UnknownArmError } from './errors.js';
import { renderReportMarkdown } from './render-markdown.js';
import { renderReportSummary } from './render-summary.js';
import type { ArmInput } from './report/input.js';
import { info, items, reportInput } from './report/test-input.js';

describe('buildReport', { timeout: 30_000 }, () => {
  test('one seed per arm: item-level intervals, every stored statistic, Holm within the declared family', () => {
    const report = buildReport(reportInput());
    assert.doesNotThrow(() => Report.parse(report));
    assert.equal(report.schemaVersion, 2);
    assert.equal(report.method.covers, 'items');
    const cmp = report.comparisons[0]!;
    assert.deepEqual(
      cmp.benchmarks.map((b) => [b.benchmark, b.verdict, b.holmVerdict, b.inHeadlineFamily]),
      [
        ['decept@1', 'improved', 'improved', true],
        ['lies@1', 'regressed', 'regressed', true],
        ['syc-a@1', 'improved', 'improved', true],
        ['syc-b@1', 'no_change', 'no_change', true],
        ['fairness@1', 'insufficient_data', 'insufficient_data', false],
        ['math@1', 'no_change', 'no_change', false],
      ],
      'fairness@1 is shown as insufficient data: the control never ran it',
    );
    const unpaired = cmp.benchmarks.find((b) => b.benchmark === 'fairness@1')!;
    assert.equal(unpaired.insufficientReason, 'not_evaluated');
    assert.match(unpaired.insufficientDetail ?? '', /no results from baseline/);
    const lies = cmp.benchmarks.find((b) => b.benchmark === 'lies@1')!;
    assert.ok(lies.delta !== null && lies.delta < 0, 'a higher error rate is a negative delta');
    for (const b of cmp.benchmarks.filter((x) => x.insufficientReason !== 'not_evaluated')) {
      assert.equal(b.items, 8);
      assert.equal(b.seeds, 1);
      assert.equal(b.samplesPerItem, 4);
      assert.equal(b.df, 7);
      assert.ok(b.se !== null && b.se > 0 && b.pValue !== null, `${b.benchmark} stores SE and p`);
    }
    const family = cmp.benchmarks.filter((b) => b.inHeadlineFamily);
    for (const b of family) assert.ok(b.pHolm !== null && b.pHolm >= b.pValue! && b.pBH !== null && b.pBH >= b.pValue!, `${b.benchmark}: adjusted p ≥ raw p`);
    assert.equal(cmp.benchmarks.find((b) => b.benchmark === 'math@1')?.pHolm, null, 'outside the family nothing is adjusted');
    assert.deepEqual(cmp.headline.holm, { improved: 2, noChange: 1, regressed: 1, insufficient: 0, total: 4 });
    assert.equal(cmp.headline.family, 4);
    assert.deepEqual(cmp.headline.notEvaluated, []);
    assert.match(cmp.headline.coverageNote, /item sampling only/);
    assert.equal(cmp.randomEffects.kind, 'summary');
  });

  test('replicates: the seed is the unit (df = seeds − 1), and the intervals say they cover seeds and items', () => {
    const report = buildReport(reportInput({ seeds: 3 }));
    assert.equal(report.method.covers, 'seeds-and-items');
    const cmp = report.comparisons[0]!;
    for (const b of cmp.benchmarks.filter((x) => x.insufficientReason !== 'not_evaluated')) {
      assert.equal(b.seeds, 3);
      assert.equal(b.df, 2);
      assert.equal(b.method, 'seed-t');
      assert.equal(b.covers, 'seeds-and-items');
    }
    assert.match(cmp.headline.coverageNote, /3 training seeds per arm/);
    assert.deepEqual(cmp.treatmentCheckpoints, ['sha256:traits-5.r1', 'sha256:traits-5.r2', 'sha256:traits-5.r3']);
    assert.equal(report.arms.find((a) => a.name === 'traits-5')?.replicates.length, 3);
    for (const curve of cmp.curves.filter((c) => c.benchmark !== 'fairness@1')) assert.deepEqual(curve.points.map((p) => [p.step, p.seeds]), [[50, 3], [100, 3]], curve.benchmark);
  });

  test('a declared headline benchmark no run evaluated stays in the family, as insufficient data', () => {
    const input = reportInput();
    const report = buildReport({ ...input, analysis: { ...input.analysis, headlineBenchmarks: [...input.analysis.headlineBenchmarks, 'lost@1'] } });
    const h = report.comparisons[0]!.headline;
    assert.equal(h.family, 5);
    assert.deepEqual(h.notEvaluated, ['lost@1']);
    assert.equal(h.holm.insufficient, 1);
    assert.equal(h.holm.total, 5);
  });

  test('replicates pair by number: a replicate only one arm has is left out, not paired with another', () => {
    const input = reportInput({ seeds: 3 });
    const control = input.arms.baseline!;
    const withoutR2: ArmInput = { ...control, runs: control.runs.filter((r) => r.replicate !== 2) };
    const cmp = buildReport({ ...input, arms: { ...input.arms, baseline: withoutR2 } }).comparisons[0]!;
    assert.deepEqual(cmp.treatmentCheckpoints, ['sha256:traits-5.r1', 'sha256:traits-5.r3']);
    assert.deepEqual(cmp.controlCheckpoints, ['sha256:baseline.r1', 'sha256:baseline.r3']);
    assert.ok(cmp.benchmarks.filter((b) => b.verdict !== 'insufficient_data').every((b) => b.seeds === 2 && b.df === 1));
  });

  test('a benchmark with too few items gets insufficient data and the report still builds', () => {
    const input = reportInput();
    const thin = (arm: ArmInput): ArmInput => ({
      ...arm,
      runs: arm.runs.map((r) => ({ ...r, results: { ...r.results, 'syc-b@1': { info: info('syc-b', 'sycophancy'), items: items([]).slice(0, 1) } } })),
    });
    const report = buildReport({ ...input, arms: { 'traits-5': thin(input.arms['traits-5']!), baseline: thin(input.arms.baseline!) } });
    const syc = report.comparisons[0]!.benchmarks.find((b) => b.benchmark === 'syc-b@1')!;
    assert.equal(syc.verdict, 'insufficient_data');
    assert.equal(syc.holmVerdict, 'insufficient_data');
    assert.equal(syc.insufficientReason, 'too_few_items');
    assert.equal(syc.ciLow, null);
    assert.equal(report.comparisons[0]!.headline.holm.insufficient, 1);
  });

  test('identical paired differences give insufficient data, never a decisive point interval', () => {
    const input = reportInput();
    const shifted = (arm: ArmInput, by: number): ArmInput => ({
      ...arm,
      runs: arm.runs.map((r) => ({ ...r, results: { ...r.results, 'decept@1': { info: info('decept', 'deception'), items: items([], by) } } })),
    });
    const report = buildReport({ ...input, arms: { 'traits-5': shifted(input.arms['traits-5']!, 0.1), baseline: shifted(input.arms.baseline!, 0) } });
    const b = report.comparisons[0]!.benchmarks.find((x) => x.benchmark === 'decept@1')!;
    assert.equal(b.verdict, 'insufficient_data');
    assert.equal(b.insufficientReason, 'no_variance');
  });

  test('capability is read against its declared margin; out-of-domain comes from the treatment arm\'s own trait domains', () => {
    const report = buildReport(reportInput());
    const cmp = report.comparisons[0]!;
    const math = cmp.benchmarks.find((b) => b.benchmark === 'math@1')!;
    assert.equal(math.nonInferiority?.margin, 0.02);
    assert.ok(['non_inferior', 'inconclusive'].includes(math.nonInferiority!.verdict), math.nonInferiority!.verdict);
    assert.equal(math.domainRelation, 'out_of_domain', 'engineering is not in traits-5\'s trait domains (law)');
    assert.equal(cmp.benchmarks.find((b) => b.benchmark === 'decept@1')?.domainRelation, 'in_domain');
    const row = report.generalisation[0]!;
    assert.deepEqual(row.trainedDomains, ['law']);
    const ood = row.cells.find((c) => c.column === 'out_of_domain')!;
    assert.equal(ood.total, 1);
    assert.match(ood.text, /^0 of 1 out-of-domain evaluations improved/);
    assert.ok(ood.shareLow === 0 && ood.shareHigh > 0.5, 'a Wilson interval on 0 of 1 is wide');
    const inDomain = row.cells.find((c) => c.column === 'in_domain')!;
    assert.equal(inDomain.improved, 2);
    assert.equal(inDomain.total, 5, 'four compared and one not evaluated by the control');
  });

  test('compute matching covers steps, records and tokens', () => {
    const matched = buildReport(reportInput()).comparisons[0]!.computeMatch;
    assert.equal(matched.matched, true);
    assert.equal(matched.tokensMatched, true);
    assert.match(matched.note, /compute-matched on steps and records/);
    const more = buildReport(reportInput({ treatmentCompute: { tokensSeen: 80_000 } })).comparisons[0]!.computeMatch;
    assert.equal(more.matched, true);
    assert.equal(more.tokensMatched, false);
    assert.equal(more.tokenRatio, 1.25);
    assert.match(more.note, /NOT token-matched: traits-5 trained on 1\.250× the tokens of baseline/);
    const steps = buildReport(reportInput({ treatmentCompute: { steps: 120 } })).comparisons[0]!.computeMatch;
    assert.equal(steps.matched, false);
    assert.match(steps.note, /NOT compute-matched \(traits-5 120 steps \/ 1600 records \/ 64000 tokens, baseline 100 steps/);
  });

  test('refuses unknown arms and benchmarks described differently by the two arms', () => {
    const base = reportInput();
    assert.throws(() => buildReport({ ...base, comparisons: [{ treatment: 'nope', control: 'baseline' }] }), UnknownArmError);
    const control = base.arms.baseline!;
    const flipped: ArmInput = {
      ...control,
      runs: control.runs.map((r) => ({ ...r, results: { ...r.results, 'syc-a@1': { info: info('syc-a', 'sycophancy', { direction: 'lower_is_better' }), items: items([]) } } })),
    };
    assert.throws(() => buildReport({ ...base, arms: { ...base.arms, baseline: flipped } }), BenchmarkMismatchError);
  });
});

describe('renderings', { timeout: 30_000 }, () => {
  test('Markdown: banners, declared analysis, headline with Holm, BH and unadjusted, coverage, RE summary, tables', () => {
    const md = renderReportMarkdown(buildReport(reportInput({ treatmentCompute: { steps: 120 } })));
    assert.match(md, /^# Report: traits-vs-baseline/);
    assert.match(md, /\*\*⚠ SIMULATED:/);
    assert.match(md, /## Declared before launch/);
    assert.match(md, /α = 0\.05 \(family-wise, two-sided\); 1 training seed per arm/);
    assert.match(md, /⚠ NOT compute-matched/);
    assert.match(md, /\*\*2 of 4 benchmarks improved and 1 regressed \(Holm-adjusted, family-wise α = 0\.05\); BH: 2 improved, 1 regressed; unadjusted: 2 improved, 1 regressed\.\*\*/);
    assert.match(md, /_one training seed per arm: intervals cover item sampling only/);
    assert.match(md, /random-effects mean standardised effect \(d_z\) [+-]\d\.\d{3} \[/);
    assert.match(md, /### Non-inferiority/);
    assert.match(md, /## Generalisation/);
    assert.ok(md.trimEnd().endsWith(`**`), 'the banner repeats at the end');
  });

  test('summary: the headline and an aligned per-category table', () => {
    const text = renderReportSummary(buildReport(reportInput({ seeds: 3 })));
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^!! SIMULATED/);
    assert.ok(lines.some((l) => l.startsWith('traits-5 vs baseline: ') && /Holm-adjusted/.test(l) && /BH: /.test(l) && /unadjusted: /.test(l)), text);
    assert.ok(lines.some((l) => /3 training seeds per arm/.test(l)));
    const header = lines.find((l) => l.startsWith('category'));
    const syc = lines.find((l) => l.startsWith('sycophancy'));
    assert.ok(header && syc, text);
    assert.equal(syc.length, header.length, 'columns line up');
  });
});
