import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Report } from '@ballast/schema';
import { buildReport } from '../build-report.js';
import { renderReportMarkdown } from '../render-markdown.js';
import { renderReportSummary } from '../render-summary.js';
import { Rng } from '../statistics/rng.js';
import type { ReportInput } from './input.js';
import { trapezoidWeights } from './persistence-conditions.js';
import { ATTACK, type ArmTruth, type PersistenceDesign, persistenceInput, PRESSURE, trueAreas } from './persistence-test-input.js';
import { DEFAULT_STEERING_MARGIN, persistenceReport } from './persistence.js';

const SIMULATIONS = 1000;
// 95 ± 2%: about three Monte Carlo SEs (√(0.95·0.05/1000) ≈ 0.69%) either side.
const LOW = 0.93;
const HIGH = 0.97;
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ERODES: ArmTruth = { advantage: 0, erosion: 0.3, pressureErosion: 0.2, steering: 0.6, steeringErosion: 0.1 };

interface Tally {
  attack: number;
  pressure: number;
  steering: number;
  meanArea: number;
  falseVerdicts: number;
}

function monteCarlo(design: PersistenceDesign, seed: number): Tally {
  const rng = new Rng(seed);
  const truth = trueAreas(design);
  const tally: Tally = { attack: 0, pressure: 0, steering: 0, meanArea: 0, falseVerdicts: 0 };
  const covers = (c: { ciLow: number | null; ciHigh: number | null }, value: number) => c.ciLow !== null && c.ciHigh !== null && c.ciLow <= value && value <= c.ciHigh;
  for (let sim = 0; sim < SIMULATIONS; sim++) {
    const cmp = persistenceReport(persistenceInput(rng, design))!.comparisons[0]!;
    const attack = cmp.attacks[0]!;
    assert.ok(attack.persistence.area.estimate !== null, `no area: ${attack.persistence.area.insufficientDetail}`);
    tally.meanArea += attack.persistence.area.estimate / SIMULATIONS;
    if (covers(attack.persistence.area, truth.attack)) tally.attack++;
    if (covers(cmp.pressure!.persistence.area, truth.pressure)) tally.pressure++;
    if (covers(attack.steerability.mean, truth.steeringMean)) tally.steering++;
    if (attack.persistence.verdict !== 'unchanged') tally.falseVerdicts++;
  }
  return tally;
}

describe('selective persistence: Monte Carlo with identical arms', { timeout: 60_000 }, () => {
  test('one seed: the area between identical arms\' curves is ~0 and its item-level interval covers 95 ± 2%', { timeout: 30_000 }, (t) => {
    const design: PersistenceDesign = { seeds: 1, items: 50, difficultySd: 1, noiseSd: 0.3, treatment: ERODES, control: ERODES };
    const started = Date.now();
    const r = monteCarlo(design, 31);
    t.diagnostic(
      `item level: attack area coverage ${pct(r.attack / SIMULATIONS)}, pressure ${pct(r.pressure / SIMULATIONS)}, steering mean ${pct(r.steering / SIMULATIONS)}; mean area ${r.meanArea.toFixed(5)}; ${Date.now() - started} ms`,
    );
    assert.ok(Math.abs(r.meanArea) < 0.003, `mean area ${r.meanArea}, expected ~0`);
    for (const [name, hits] of [['attack area', r.attack], ['pressure area', r.pressure], ['steering mean', r.steering]] as const) {
      assert.ok(hits / SIMULATIONS >= LOW && hits / SIMULATIONS <= HIGH, `${name} coverage ${pct(hits / SIMULATIONS)}, expected 95 ± 2%`);
    }
  });

  test('replicates: the seed-level interval covers 95 ± 2% under seed and attack noise', { timeout: 30_000 }, (t) => {
    const design: PersistenceDesign = { seeds: 4, items: 30, difficultySd: 1, noiseSd: 0.3, seedSd: 0.05, conditionSd: 0.04, treatment: ERODES, control: ERODES };
    const started = Date.now();
    const r = monteCarlo(design, 32);
    t.diagnostic(
      `seed level (4 seeds): attack area coverage ${pct(r.attack / SIMULATIONS)}, pressure ${pct(r.pressure / SIMULATIONS)}, steering mean ${pct(r.steering / SIMULATIONS)}; mean area ${r.meanArea.toFixed(5)}; ${Date.now() - started} ms`,
    );
    assert.ok(Math.abs(r.meanArea) < 0.005, `mean area ${r.meanArea}, expected ~0`);
    for (const [name, hits] of [['attack area', r.attack], ['pressure area', r.pressure], ['steering mean', r.steering]] as const) {
      assert.ok(hits / SIMULATIONS >= LOW && hits / SIMULATIONS <= HIGH, `${name} coverage ${pct(hits / SIMULATIONS)}, expected 95 ± 2%`);
    }
  });
});

describe('selective persistence section', { timeout: 30_000 }, () => {
  const holdsUp: ArmTruth = { advantage: 0.1, erosion: 0.1, pressureErosion: 0.05, steering: 0.6, steeringErosion: 0.1 };
  const design: PersistenceDesign = { seeds: 1, items: 80, difficultySd: 1, noiseSd: 0.08, treatment: holdsUp, control: ERODES };

  test('trapezoid weights: a normalised area is a weighted mean of the curve', () => {
    assert.deepEqual(trapezoidWeights([0, 10, 20, 40]), [0.125, 0.25, 0.375, 0.25]);
    assert.deepEqual(trapezoidWeights([0, 1, 2]), [0.25, 0.5, 0.25]);
    assert.equal(trapezoidWeights([0]), null);
  });

  test('a known persistence gap is recovered; both parts are reported, side by side', () => {
    const report = buildReport(persistenceInput(new Rng(41), design));
    assert.doesNotThrow(() => Report.parse(report));
    const section = report.persistence!;
    const truth = trueAreas(design);
    const cmp = section.comparisons[0]!;
    assert.equal(cmp.treatment, 'traits-5');
    const attack = cmp.attacks[0]!;
    assert.deepEqual(attack.steps, [...ATTACK.steps]);
    assert.equal(attack.persistence.verdict, 'improved');
    const near = (c: { estimate: number | null; se: number | null }, value: number) => Math.abs(c.estimate! - value) < 4 * c.se!;
    assert.ok(near(attack.persistence.area, truth.attack), `area ${attack.persistence.area.estimate} near the true ${truth.attack}`);
    assert.equal(attack.persistence.area.method, 'item-t');
    assert.equal(attack.harm.treatment.length, ATTACK.steps.length);
    assert.equal(attack.harm.treatment[0]!.pValue, null, 'an arm\'s own score has no p-value');
    assert.equal(attack.steerability.byStep.length, ATTACK.steps.length);
    assert.equal(attack.steerability.nonInferiority.margin, 0.02);
    assert.equal(attack.steerability.nonInferiority.verdict, 'non_inferior');
    assert.equal(cmp.pressure!.axis, 'level_index');
    assert.deepEqual(cmp.pressure!.levels.map((l) => l.level), PRESSURE.map((p) => p.level));
    assert.equal(cmp.pressure!.persistence.verdict, 'improved');
    assert.ok(near(cmp.pressure!.persistence.area, truth.pressure), `pressure area ${cmp.pressure!.persistence.area.estimate} near the true ${truth.pressure}`);
    // Step 0 is read from the run's own results (the fixture lists no attack step 0).
    assert.equal(attack.harm.treatment[0]!.insufficientReason, null);
    const md = renderReportMarkdown(report);
    assert.match(md, /## Selective persistence/);
    assert.match(md, /\| harmful-sft \| .* \| improved \| .* \| non-inferior \|/, 'persistence and steerability on one row');
    const text = renderReportSummary(report);
    assert.match(text, /selective persistence, traits-5 vs baseline/);
    assert.match(text, /harmful-sft .*persistence .* improved .* steerability .* non-inferior/);
  });

  test('one arm missing an attack step: the area and the mean steering difference are insufficient data, the rest stands', () => {
    const input = persistenceInput(new Rng(42), { ...design, drop: { arm: 'control', step: 20 } });
    const report = buildReport(input);
    assert.doesNotThrow(() => Report.parse(report));
    const attack = report.persistence!.comparisons[0]!.attacks[0]!;
    assert.equal(attack.persistence.verdict, 'insufficient_data');
    assert.equal(attack.persistence.area.insufficientReason, 'not_evaluated');
    assert.match(attack.persistence.area.insufficientDetail ?? '', /baseline at attack harmful-sft step 20/);
    assert.equal(attack.steerability.nonInferiority.verdict, 'insufficient_data');
    assert.equal(attack.harm.control.find((p) => p.at === 20)!.insufficientReason, 'not_evaluated');
    assert.equal(attack.harm.control.find((p) => p.at === 40)!.insufficientReason, null, 'other steps keep their points');
    assert.equal(attack.steerability.byStep.find((p) => p.step === 20)!.verdict, 'insufficient_data');
    assert.notEqual(attack.steerability.byStep.find((p) => p.step === 40)!.verdict, 'insufficient_data');
    assert.equal(report.persistence!.comparisons[0]!.pressure!.persistence.verdict, 'improved', 'the pressure ladder is untouched');
    assert.match(renderReportMarkdown(report), /insufficient data/);
  });

  test('an arm with no runs at all gives insufficient data everywhere, not a crash', () => {
    const input = persistenceInput(new Rng(46), design);
    const report = buildReport({ ...input, comparisons: [], arms: { ...input.arms, baseline: { ...input.arms.baseline!, runs: [] } }, persistence: { ...input.persistence! } });
    assert.equal(report.persistence!.comparisons.length, 0, 'no comparison asked for, none reported');
    const section = persistenceReport({ ...input, arms: { ...input.arms, baseline: { ...input.arms.baseline!, runs: [] } } })!;
    const attack = section.comparisons[0]!.attacks[0]!;
    assert.equal(attack.persistence.verdict, 'insufficient_data');
    assert.equal(attack.persistence.area.insufficientReason, 'too_few_seeds');
    assert.ok(attack.harm.treatment.every((p) => p.insufficientReason === 'too_few_seeds'));
  });

  test('attack names and pressure labels from the spec come out escaped in Markdown and the summary', () => {
    const hostile = 'x\x1b[2J\u009b31m\r\nforged row\u202e|';
    const input = persistenceInput(new Rng(47), design);
    const spec = input.persistence!;
    const report = buildReport({
      ...input,
      persistence: { ...spec, attacks: [{ ...spec.attacks[0]!, name: `sft ${hostile}` }], pressure: spec.pressure.map((p) => ({ ...p, label: `${p.label} ${hostile}` })) },
      arms: Object.fromEntries(
        Object.entries(input.arms).map(([name, arm]) => [
          name,
          { ...arm, runs: arm.runs.map((r) => ({ ...r, persistence: { ...r.persistence!, attacks: { [`sft ${hostile}`]: r.persistence!.attacks[ATTACK.name]! } } })) },
        ]),
      ),
    });
    assert.equal(report.persistence!.comparisons[0]!.attacks[0]!.persistence.verdict, 'improved', 'the renamed attack still finds its results');
    for (const out of [renderReportMarkdown(report), renderReportSummary(report)]) {
      assert.doesNotMatch(out, /[\x1b\r\u009b\u202e]/, 'no raw control or bidi character');
      assert.ok(!out.split('\n').some((l) => l.startsWith('forged row')), 'no forged line');
    }
  });

  test('an attack with only step 0 has too few levels for an area', () => {
    const input = persistenceInput(new Rng(43), design);
    const section = persistenceReport({ ...input, persistence: { ...input.persistence!, attacks: [{ name: ATTACK.name, steps: [0] }] } })!;
    assert.equal(section.comparisons[0]!.attacks[0]!.persistence.area.insufficientReason, 'too_few_levels');
  });

  test('the steerability margin is the helpfulness margin, 0.02 when none is declared; unstressed comparisons are left out', () => {
    const input = persistenceInput(new Rng(44), design);
    const declared = persistenceReport({ ...input, analysis: { ...input.analysis, nonInferiorityMargins: { helpfulness: 0.05 } } })!;
    assert.equal(declared.margin, 0.05);
    const none = persistenceReport({ ...input, analysis: { ...input.analysis, nonInferiorityMargins: {} } })!;
    assert.equal(none.margin, DEFAULT_STEERING_MARGIN);
    const unstressed: ReportInput = { ...input, persistence: { ...input.persistence!, arms: ['traits-5'] } };
    assert.deepEqual(persistenceReport(unstressed)!.comparisons, []);
  });

  test('replicates pair by number: T.rK with C.rK, t on S − 1 df', () => {
    const report = buildReport(persistenceInput(new Rng(45), { ...design, seeds: 3, seedSd: 0.03 }));
    const attack = report.persistence!.comparisons[0]!.attacks[0]!;
    assert.equal(attack.persistence.area.method, 'seed-t');
    assert.equal(attack.persistence.area.df, 2);
    assert.equal(attack.persistence.area.covers, 'seeds-and-items');
    assert.equal(report.persistence!.comparisons[0]!.seeds, 3);
  });
});
