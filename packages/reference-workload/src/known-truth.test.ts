import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvalSummary } from '@ballast/job-contract';
import { CONTRACT_VERSION, ReferenceTrainerSpec, type TrainJobSpec } from '@ballast/schema';
import { benchmarkItems, writeBenchmarkItems } from './benchmark-items.js';
import { benchmarkDesign, type BenchmarkDesign } from './benchmarks.js';
import { generateReferenceCorpora } from './corpora.js';
import { evaluatePolicy } from './evaluator.js';
import {
  initialScoreProbability,
  knownTruthEffect,
  knownTruthProbability,
  knownTruthShift,
  type KnownTruthRun,
  type SimulatedTruth,
} from './known-truth.js';
import { loadPolicy } from './policy-source.js';
import { trainPolicy } from './trainer.js';

const tmp = (prefix: string) => mkdtemp(join(tmpdir(), prefix));
const HIGHER = 'honesty-misconception-medical@1'; // candid_rate, p0 about 0.19
const LOWER = 'sycophancy-pushback-medical@1'; // sycophancy_rate, p0 0.21-0.39
const UNLISTED = 'capability-domain-qa@1';

const design = (ref: string): BenchmarkDesign => benchmarkDesign(ref)!;
const truthOf = (input: object): SimulatedTruth => ReferenceTrainerSpec.shape.simulatedTruth.unwrap().parse(input);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** A benchmark's expected mean score for a known-truth run, computed from the probabilities, not sampled. */
const expectedMean = (run: KnownTruthRun, ref: string) => mean([...benchmarkItems(design(ref))].map((i) => knownTruthProbability(run, design(ref), i.features)));

/** 80 records (10 steps × 8): `traitCount` trait records spread among regular ones. */
async function dataset(traitCount: number): Promise<string> {
  const dir = await tmp('rw-truth-data-');
  const { regular, traits } = await generateReferenceCorpora({ outDir: dir, seed: 0, regularRecords: 80, traitRecords: 10 });
  const lines = (path: string) => readFile(path, 'utf8').then((t) => t.split('\n').filter((l) => l.trim() !== ''));
  const [reg, tr] = [await lines(regular.path), await lines(traits.path)];
  const every = traitCount === 0 ? 0 : Math.floor(80 / traitCount);
  const out: string[] = [];
  for (let i = 0, r = 0, t = 0; i < 80; i++) out.push(t < traitCount && i % every === 0 ? tr[t++]! : reg[r++]!);
  const path = join(dir, `mix-${traitCount}.jsonl`);
  await writeFile(path, `${out.join('\n')}\n`);
  return path;
}

async function train(datasetPath: string, simulatedTruth: object, seed: number, extra: Partial<TrainJobSpec> = {}) {
  const spec: TrainJobSpec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'train',
    datasetPaths: [datasetPath],
    baseCheckpoint: 'reference://init',
    trainer: ReferenceTrainerSpec.parse({ framework: 'reference', steps: 10, batchSize: 8, saveEvery: 5, simulatedStepMs: 0, simulatedTruth }),
    seed,
    ...extra,
  };
  const outputDir = await tmp('rw-truth-train-');
  const result = await trainPolicy({ spec, outputDir, resumeFrom: null });
  return { spec, outputDir, result, checkpoint: join(outputDir, 'checkpoints', 'step-10') };
}

void test('effect 0, equal trait shares, seedSd 0: differently seeded checkpoints have equal item probabilities', { timeout: 30_000 }, async () => {
  const data = await dataset(4);
  const a = await loadPolicy((await train(data, {}, 1)).checkpoint);
  const b = await loadPolicy((await train(data, {}, 2)).checkpoint);
  assert.notEqual(a.contentHash, b.contentHash, 'expected the two seeds to train different checkpoints');
  assert.ok(a.knownTruth && b.knownTruth, 'expected both checkpoints to record their known truth');
  assert.deepEqual([a.knownTruth.seed, b.knownTruth.seed], [1, 2], 'expected each checkpoint to record its training seed');
  assert.deepEqual([a.knownTruth.traitShare, b.knownTruth.traitShare], [0.05, 0.05], 'expected both runs to have trained on 4 of 80 trait records');
  for (const ref of [HIGHER, LOWER, UNLISTED]) {
    for (const item of benchmarkItems(design(ref))) {
      const pa = knownTruthProbability(a.knownTruth, design(ref), item.features);
      const pb = knownTruthProbability(b.knownTruth, design(ref), item.features);
      assert.equal(pa, pb, `${item.id}: expected equal truth for an A/A pair, got ${pa} and ${pb}`);
      assert.equal(pa, initialScoreProbability(design(ref), item.features), `${item.id}: expected p0 when the effect is 0`);
    }
  }
});

void test('effect e at the reference share: the true mean difference is e, the evaluator samples it, nothing transfers', { timeout: 30_000 }, async () => {
  const e = 0.15;
  const truth = { effects: { [HIGHER]: e } };
  const treated = await train(await dataset(4), truth, 1);
  const control = await train(await dataset(0), truth, 1);
  const t = (await loadPolicy(treated.checkpoint)).knownTruth!;
  const c = (await loadPolicy(control.checkpoint)).knownTruth!;
  assert.deepEqual([t.traitShare, c.traitShare], [0.05, 0], 'expected trait shares 4/80 and 0/80');
  assert.equal(knownTruthEffect(t.truth, HIGHER, 0.05) - knownTruthEffect(c.truth, HIGHER, 0), e, 'expected knownTruthEffect to give e between the arms');
  assert.equal(knownTruthEffect(t.truth, UNLISTED, 0.05), 0, 'expected no effect on an unlisted benchmark (defaultEffect 0)');
  const p0 = [...benchmarkItems(design(HIGHER))].map((i) => initialScoreProbability(design(HIGHER), i.features));
  assert.ok(Math.min(...p0) > 0.01 && Math.max(...p0) + e < 0.99, 'precondition: p0 + e stays inside the clamp');
  const exact = expectedMean(t, HIGHER) - expectedMean(c, HIGHER);
  assert.ok(Math.abs(exact - e) < 1e-12, `expected the true mean difference to be ${e}, got ${exact}`);
  assert.equal(expectedMean(t, UNLISTED), expectedMean(c, UNLISTED), 'expected equal truth on an unlisted benchmark');

  const items = await writeBenchmarkItems(await tmp('rw-truth-items-'));
  const evaluate = async (checkpointPath: string) => {
    const outputDir = await tmp('rw-truth-eval-');
    const benchmarks = [HIGHER, UNLISTED].map((ref) => ({ ref, itemsPath: items.get(ref)! }));
    await evaluatePolicy({ spec: { contractVersion: CONTRACT_VERSION, kind: 'eval', checkpointPath, benchmarks, samplesPerItem: 256, seed: 0 }, outputDir });
    return outputDir;
  };
  const [et, ec] = [await evaluate(treated.checkpoint), await evaluate(control.checkpoint)];
  const sampled = (await readEvalSummary(et, HIGHER))!.mean - (await readEvalSummary(ec, HIGHER))!.mean;
  // 150 items × 256 samples per arm: the standard error of the difference is under 0.005.
  assert.ok(Math.abs(sampled - e) < 0.025, `expected a sampled difference near ${e}, got ${sampled}`);
  const none = (await readEvalSummary(et, UNLISTED))!.mean - (await readEvalSummary(ec, UNLISTED))!.mean;
  assert.ok(Math.abs(none) < 0.025, `expected no difference on ${UNLISTED}, got ${none}`);
});

void test('lower_is_better: a positive effect lowers the rate, linearly in the trait share', { timeout: 10_000 }, () => {
  const truth = truthOf({ effects: { [LOWER]: 0.1 }, referenceTraitShare: 0.1 });
  const run = (traitShare: number): KnownTruthRun => ({ truth, seed: 1, traitShare });
  const p0 = [...benchmarkItems(design(LOWER))].map((i) => initialScoreProbability(design(LOWER), i.features));
  assert.ok(Math.min(...p0) - 0.1 > 0.01, 'precondition: p0 - 0.1 stays inside the clamp');
  const full = expectedMean(run(0.1), LOWER) - expectedMean(run(0), LOWER);
  const half = expectedMean(run(0.05), LOWER) - expectedMean(run(0), LOWER);
  assert.ok(Math.abs(full + 0.1) < 1e-12, `expected the rate to fall by 0.1 at the reference share, got ${full}`);
  assert.ok(Math.abs(half + 0.05) < 1e-12, `expected the rate to fall by 0.05 at half the reference share, got ${half}`);
  const effect = knownTruthEffect(truth, LOWER, 0.1);
  assert.ok(Math.abs(effect - 0.1) < 1e-12, `expected knownTruthEffect oriented so positive is better (0.1), got ${effect}`);
});

void test('seedSd: the shift is fixed by (training seed, benchmark), differs across seeds and has SD seedSd', { timeout: 10_000 }, () => {
  const truth = truthOf({ seedSd: 0.05 });
  assert.equal(knownTruthShift(truth, 1, HIGHER), knownTruthShift(truth, 1, HIGHER), 'expected the same shift for the same seed and benchmark');
  assert.notEqual(knownTruthShift(truth, 1, HIGHER), knownTruthShift(truth, 2, HIGHER), 'expected another seed to shift differently');
  assert.notEqual(knownTruthShift(truth, 1, HIGHER), knownTruthShift(truth, 1, LOWER), 'expected another benchmark to shift differently');
  assert.equal(knownTruthShift(truthOf({}), 1, HIGHER), 0, 'expected no shift when seedSd is 0');
  const shifts = Array.from({ length: 4000 }, (_, seed) => knownTruthShift(truth, seed, HIGHER));
  const m = mean(shifts);
  const sd = Math.sqrt(mean(shifts.map((s) => (s - m) ** 2)));
  assert.ok(Math.abs(m) < 0.004 && Math.abs(sd - 0.05) < 0.003, `expected shifts ~ Normal(0, 0.05), got mean ${m}, SD ${sd}`);
  // The shift moves every item of the benchmark alike, in the raw rate, whatever the metric's direction.
  const item = benchmarkItems(design(LOWER)).next().value!;
  const p = (seed: number) => knownTruthProbability({ truth, seed, traitShare: 0 }, design(LOWER), item.features);
  const expected = knownTruthShift(truth, 1, LOWER) - knownTruthShift(truth, 2, LOWER);
  assert.ok(Math.abs(p(1) - p(2) - expected) < 1e-12, `expected seeds 1 and 2 to differ by their shifts (${expected}), got ${p(1) - p(2)}`);
});

void test('known-truth checkpoints: the trait share is exact across resume; an unknown benchmark ref is bad input', { timeout: 30_000 }, async () => {
  const data = await dataset(4);
  const whole = await train(data, { defaultEffect: 0.1 }, 1);
  const o = await tmp('rw-truth-resume-');
  const first = await trainPolicy({ spec: whole.spec, outputDir: o, resumeFrom: 'auto', stopAfterStep: 7 });
  assert.equal(first.lastCheckpoint?.step, 5, 'expected the first attempt to commit step 5 only');
  const resumed = await trainPolicy({ spec: whole.spec, outputDir: o, resumeFrom: 'auto' });
  assert.equal(resumed.lastCheckpoint?.contentHash, whole.result.lastCheckpoint?.contentHash, 'expected the resumed run to end byte-identical, truth record included');
  const record = (await loadPolicy(join(o, 'checkpoints', 'step-10'))).knownTruth;
  assert.deepEqual(
    record && { recordsSeen: record.recordsSeen, traitRecordsSeen: record.traitRecordsSeen, traitShare: record.traitShare },
    { recordsSeen: 80, traitRecordsSeen: 4, traitShare: 0.05 },
    'expected the whole-run counts in the resumed run’s last checkpoint',
  );
  await assert.rejects(
    train(data, { effects: { 'no-such-benchmark@1': 0.1 } }, 1),
    (err: Error & { code?: string }) => err.code === 'CONTRACT_INPUT' && /no-such-benchmark@1/.test(err.message),
    'expected bad input naming the unknown ref',
  );
});

void test('known-truth checkpoints depend on the data, not on where it lies: one spec gives the same checkpoint in any home', { timeout: 30_000 }, async () => {
  const data = await dataset(4);
  const elsewhere = join(await tmp('rw-truth-elsewhere-'), 'another-name.jsonl');
  await writeFile(elsewhere, await readFile(data));
  const truth = { seedSd: 0.02 };
  const [here, there] = [await train(data, truth, 1), await train(elsewhere, truth, 1)];
  assert.equal(there.result.lastCheckpoint?.contentHash, here.result.lastCheckpoint?.contentHash, 'expected byte-identical checkpoints, truth record included');
  const other = (await loadPolicy((await train(await dataset(5), truth, 1)).checkpoint)).knownTruth!;
  assert.notEqual(other.run, (await loadPolicy(here.checkpoint)).knownTruth!.run, 'expected other data to name another run (and so another seed shift)');
});
