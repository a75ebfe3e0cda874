import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvalItems, readEvalSummary } from '@ballast/job-contract';
import { CONTRACT_VERSION, type EvalJobSpec, type EvalPressure } from '@ballast/schema';
import { benchmarkItems, writeBenchmarkItems } from './benchmark-items.js';
import { benchmarkDesign } from './benchmarks.js';
import { evaluatePolicy, pressuredFeatures, scoreItem } from './evaluator.js';
import { knownTruthProbability } from './known-truth.js';
import { loadPolicy } from './policy-source.js';
import { initialPolicy, initialPolicyHash } from './policy.js';
import { Rng } from './rng.js';
import { smallTrainSpec } from './test-fixtures.js';
import { trainPolicy } from './trainer.js';

const out = (p: string) => mkdtemp(join(tmpdir(), p));
const REFS = ['sycophancy-pushback-medical@1', 'calibration-market-predictions@1', 'capability-domain-qa@1'];

async function evalSpec(checkpointPath: string): Promise<EvalJobSpec> {
  const items = await writeBenchmarkItems(await out('rw-items-'));
  return {
    contractVersion: CONTRACT_VERSION,
    kind: 'eval',
    checkpointPath,
    benchmarks: REFS.map((ref) => ({ ref, itemsPath: items.get(ref)! })),
    samplesPerItem: 4,
    seed: 0,
  };
}

void test('evaluation is reproducible and writes contract files with clusters', async () => {
  const spec = await evalSpec('reference://init');
  const a = await out('rw-eval-');
  const b = await out('rw-eval-');
  assert.deepEqual(await evaluatePolicy({ spec, outputDir: a }), { benchmarks: 3 });
  await evaluatePolicy({ spec, outputDir: b });
  for (const ref of REFS) {
    assert.deepEqual(await readEvalItems(a, ref), await readEvalItems(b, ref));
    const summary = await readEvalSummary(a, ref);
    assert.equal(summary?.simulated, true);
    assert.ok(summary!.n >= 60);
  }
  const items = await readEvalItems(a, REFS[0]!);
  assert.ok(items.every((i) => i.cluster?.startsWith('sycophancy-pushback-medical/c')));
  assert.ok(items.every((i) => [0, 0.25, 0.5, 0.75, 1].includes(i.score)));
});

void test('another checkpoint is sampled with other random draws, and training changes scores', async () => {
  const train = await smallTrainSpec({ steps: 40 });
  const trainOut = await out('rw-train-');
  await trainPolicy({ spec: train, outputDir: trainOut, resumeFrom: null });
  const init = await out('rw-eval-');
  const trained = await out('rw-eval-');
  await evaluatePolicy({ spec: await evalSpec('reference://init'), outputDir: init });
  await evaluatePolicy({ spec: await evalSpec(join(trainOut, 'checkpoints', 'step-40')), outputDir: trained });
  const before = await readEvalSummary(init, REFS[2]!);
  const after = await readEvalSummary(trained, REFS[2]!);
  // Regular prompts reward doing the task, so capability rises from the pretrained starting point.
  assert.ok(after!.mean > before!.mean, `${before!.mean} -> ${after!.mean}`);
});

void test('an unknown benchmark or an uncommitted checkpoint is bad input', async () => {
  const spec = await evalSpec('reference://init');
  await assert.rejects(
    evaluatePolicy({ spec: { ...spec, benchmarks: [{ ref: 'nope@1', itemsPath: spec.benchmarks[0]!.itemsPath }] }, outputDir: await out('rw-eval-') }),
    (err: Error & { code?: string }) => err.code === 'CONTRACT_INPUT' && /nope@1/.test(err.message),
  );
  await assert.rejects(
    evaluatePolicy({ spec: { ...spec, checkpointPath: await out('rw-empty-') }, outputDir: await out('rw-eval-') }),
    (err: Error & { code?: string }) => err.code === 'CONTRACT_INPUT' && /COMPLETE/.test(err.message),
  );
});

const SYCOPHANCY = ['sycophancy-pushback-medical@1', 'sycophancy-founder-pitch@1', 'sycophancy-editor-pressure@1'];
const LEVELS = [0, 0.3, 0.6, 1];
const pressureOf = (simulatedPressure: number): EvalPressure => ({ ref: `test-pressure-${Math.round(simulatedPressure * 10)}@1`, kind: simulatedPressure === 0 ? 'none' : 'system-message', simulatedPressure });

/** Mean score of each listed benchmark for `checkpointPath` under `pressure` (none when left out). */
async function meansUnder(checkpointPath: string, refs: readonly string[], pressure?: EvalPressure, samplesPerItem = 8): Promise<number[]> {
  const items = await writeBenchmarkItems(await out('rw-items-'));
  const outputDir = await out('rw-eval-');
  await evaluatePolicy({
    spec: { contractVersion: CONTRACT_VERSION, kind: 'eval', checkpointPath, benchmarks: refs.map((ref) => ({ ref, itemsPath: items.get(ref)! })), samplesPerItem, seed: 0, ...(pressure ? { pressure } : {}) },
    outputDir,
  });
  return Promise.all(refs.map(async (ref) => (await readEvalSummary(outputDir, ref))!.mean));
}

void test('pressure: the sycophancy rate rises with simulatedPressure, for the initial policy and for one trained on trait data', { timeout: 60_000 }, async () => {
  const train = await smallTrainSpec({ steps: 40 });
  const trainOut = await out('rw-train-');
  await trainPolicy({ spec: train, outputDir: trainOut, resumeFrom: null });
  for (const checkpoint of ['reference://init', join(trainOut, 'checkpoints', 'step-40')]) {
    const curves = await Promise.all(LEVELS.map((p) => meansUnder(checkpoint, SYCOPHANCY, pressureOf(p))));
    SYCOPHANCY.forEach((ref, b) => {
      const curve = curves.map((means) => means[b]!);
      for (let i = 1; i < curve.length; i++) {
        assert.ok(curve[i]! > curve[i - 1]! + 0.03, `${checkpoint} ${ref}: expected the rate to rise with pressure ${LEVELS.join('/')}, got ${curve.map((v) => v.toFixed(3)).join('/')}`);
      }
    });
  }
});

void test('pressure: level 0 scores exactly as no pressure, and every level samples an item with the same random stream', { timeout: 30_000 }, async () => {
  const [ref] = SYCOPHANCY as [string];
  const items = await writeBenchmarkItems(await out('rw-items-'));
  const run = async (pressure?: EvalPressure) => {
    const outputDir = await out('rw-eval-');
    await evaluatePolicy({ spec: { contractVersion: CONTRACT_VERSION, kind: 'eval', checkpointPath: 'reference://init', benchmarks: [{ ref, itemsPath: items.get(ref)! }], samplesPerItem: 4, seed: 5, ...(pressure ? { pressure } : {}) }, outputDir });
    return readEvalItems(outputDir, ref);
  };
  assert.deepEqual(await run(pressureOf(0)), await run(), 'expected pressure 0 to change nothing');
  // Common random numbers: the seed is (eval seed, checkpoint hash, item id), whatever the pressure.
  const scored = new Map((await run(pressureOf(0.6))).map((i) => [i.itemId, i.score]));
  const design = benchmarkDesign(ref)!;
  for (const item of benchmarkItems(design)) {
    const expected = scoreItem(initialPolicy(), design, pressuredFeatures(item.features, 0.6), 4, Rng.from('eval', 5, initialPolicyHash(), item.id));
    assert.equal(scored.get(item.id), expected, `${item.id}: expected the no-pressure random stream at the pressured features`);
  }
});

void test('pressure on a known-truth checkpoint: p0 is taken at the pressured features', { timeout: 30_000 }, async () => {
  const train = await smallTrainSpec({ steps: 10, simulatedTruth: { effects: {}, defaultEffect: 0, referenceTraitShare: 0.05, seedSd: 0 } });
  const trainOut = await out('rw-train-');
  await trainPolicy({ spec: train, outputDir: trainOut, resumeFrom: null });
  const checkpoint = join(trainOut, 'checkpoints', 'step-10');
  const truth = (await loadPolicy(checkpoint)).knownTruth!;
  const [ref] = SYCOPHANCY as [string];
  const design = benchmarkDesign(ref)!;
  const expected = (added: number) => {
    const ps = [...benchmarkItems(design)].map((i) => knownTruthProbability(truth, design, pressuredFeatures(i.features, added)));
    return ps.reduce((a, b) => a + b, 0) / ps.length;
  };
  const [calm] = await meansUnder(checkpoint, [ref], pressureOf(0), 64);
  const [pushed] = await meansUnder(checkpoint, [ref], pressureOf(0.6), 64);
  assert.ok(expected(0.6) - expected(0) > 0.15, 'precondition: pressure moves p0 clearly');
  // 150 items × 64 samples: the sampling SE of a mean is under 0.005.
  assert.ok(Math.abs(calm! - expected(0)) < 0.02 && Math.abs(pushed! - expected(0.6)) < 0.02, `expected ${expected(0).toFixed(3)} and ${expected(0.6).toFixed(3)}, got ${calm} and ${pushed}`);
});
