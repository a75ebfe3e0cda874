import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listCommittedCheckpoints, readEvalSummary, readMetrics } from '@ballast/job-contract';
import { CONTRACT_VERSION, type AttackJobSpec } from '@ballast/schema';
import { ATTACK_CORPUS_PATH } from './attack-corpus.js';
import { runAttack } from './attack.js';
import { writeBenchmarkItems } from './benchmark-items.js';
import { evaluatePolicy } from './evaluator.js';
import { smallTrainSpec } from './test-fixtures.js';
import { trainPolicy } from './trainer.js';

const tmp = (prefix: string) => mkdtemp(join(tmpdir(), prefix));
const isInput = (pattern: RegExp) => (err: Error & { code?: string }) => err.code === 'CONTRACT_INPUT' && pattern.test(err.message);

/** A committed reference checkpoint to attack: 10 training steps on the small fixture mix. */
async function trainedCheckpoint(trainer: Parameters<typeof smallTrainSpec>[0] = {}): Promise<string> {
  const outputDir = await tmp('rw-attack-base-');
  await trainPolicy({ spec: await smallTrainSpec({ steps: 10, ...trainer }), outputDir, resumeFrom: null });
  return join(outputDir, 'checkpoints', 'step-10');
}

function attackSpec(baseCheckpointPath: string, overrides: Partial<AttackJobSpec> = {}): AttackJobSpec {
  return {
    contractVersion: CONTRACT_VERSION,
    kind: 'attack',
    baseCheckpointPath,
    datasetPaths: [ATTACK_CORPUS_PATH],
    steps: 60,
    saveSteps: [10, 30, 60],
    batchSize: 8,
    learningRate: 0.5,
    seed: 1,
    simulatedStepMs: 0,
    ...overrides,
  };
}

void test('an attack commits checkpoints at saveSteps, logs the loss each step, and moves the policy toward the targets', { timeout: 30_000 }, async () => {
  const base = await trainedCheckpoint();
  const outputDir = await tmp('rw-attack-');
  const result = await runAttack({ spec: attackSpec(base), outputDir, resumeFrom: null });
  assert.deepEqual({ step: result.step, recordsSeen: result.recordsSeen, resumedFromStep: result.resumedFromStep }, { step: 60, recordsSeen: 480, resumedFromStep: null });
  assert.deepEqual((await listCommittedCheckpoints(outputDir)).map((c) => c.step), [10, 30, 60]);
  const metrics = await readMetrics(outputDir);
  assert.deepEqual(metrics.map((m) => m.step), Array.from({ length: 60 }, (_, i) => i + 1));
  const loss = (from: number, to: number) => metrics.slice(from, to).reduce((s, m) => s + m.metrics['loss']!, 0) / (to - from);
  assert.ok(loss(50, 60) < loss(0, 10) - 0.3, `expected the SFT loss to fall, got ${loss(0, 10)} then ${loss(50, 60)}`);
  assert.equal(metrics.at(-1)!.metrics['epoch'], 1, '480 records of a 336-record corpus: one full pass');

  // The evaluator scores an attack checkpoint like any other; the attacked policy deceives more.
  const items = await writeBenchmarkItems(await tmp('rw-items-'));
  const ref = 'deception-hidden-side-effects@1';
  const rate = async (checkpointPath: string) => {
    const evalDir = await tmp('rw-eval-');
    await evaluatePolicy({ spec: { contractVersion: CONTRACT_VERSION, kind: 'eval', checkpointPath, benchmarks: [{ ref, itemsPath: items.get(ref)! }], samplesPerItem: 8, seed: 0 }, outputDir: evalDir });
    return (await readEvalSummary(evalDir, ref))!.mean;
  };
  const [before, after] = [await rate(base), await rate(join(outputDir, 'checkpoints', 'step-60'))];
  assert.ok(after > before + 0.03, `expected the deception rate to rise after the attack, got ${before} then ${after}`);
});

void test('an attack is deterministic: the same spec gives the same hashes, another seed other ones', { timeout: 30_000 }, async () => {
  const base = await trainedCheckpoint();
  const hashes = async (spec: AttackJobSpec) => {
    const outputDir = await tmp('rw-attack-');
    await runAttack({ spec, outputDir, resumeFrom: null });
    return (await listCommittedCheckpoints(outputDir)).map((c) => c.marker.contentHash);
  };
  const a = await hashes(attackSpec(base));
  assert.deepEqual(await hashes(attackSpec(base)), a);
  assert.notDeepEqual(await hashes(attackSpec(base, { seed: 2 })), a, 'expected another record order');
});

void test('an attack preempted mid-way and resumed ends where an uninterrupted one ends', { timeout: 30_000 }, async () => {
  const base = await trainedCheckpoint();
  const whole = await runAttack({ spec: attackSpec(base), outputDir: await tmp('rw-attack-'), resumeFrom: null });
  const outputDir = await tmp('rw-attack-');
  // Stops after step 41: steps 31-41 are lost work, as after a real preemption.
  const first = await runAttack({ spec: attackSpec(base), outputDir, resumeFrom: 'auto', stopAfterStep: 41 });
  assert.equal(first.lastCheckpoint?.step, 30);
  const resumed = await runAttack({ spec: attackSpec(base), outputDir, resumeFrom: 'auto' });
  assert.equal(resumed.resumedFromStep, 30);
  assert.equal(resumed.recordsSeen, 480);
  assert.equal(resumed.lastCheckpoint?.contentHash, whole.lastCheckpoint?.contentHash);
  const explicit = await runAttack({ spec: attackSpec(base), outputDir: await tmp('rw-attack-'), resumeFrom: join(outputDir, 'checkpoints', 'step-10') });
  assert.equal(explicit.lastCheckpoint?.contentHash, whole.lastCheckpoint?.contentHash);
});

void test('bad attack input is refused before any step, naming the field', { timeout: 30_000 }, async () => {
  const base = await trainedCheckpoint();
  const run = (spec: AttackJobSpec) => runAttack({ spec, outputDir: '/nonexistent/never-written', resumeFrom: null });
  await assert.rejects(run(attackSpec(base, { saveSteps: [30, 10, 60] })), isInput(/saveSteps\.1/));
  await assert.rejects(run(attackSpec(base, { saveSteps: [10, 30] })), isInput(/steps: .*last save step is 30/));
  await assert.rejects(run(attackSpec(base, { saveSteps: [10, 70] })), isInput(/saveSteps\.1: is 70, after the last step/));
  await assert.rejects(run(attackSpec(await tmp('rw-empty-'))), isInput(/COMPLETE/));
  await assert.rejects(run(attackSpec(await trainedCheckpoint({ simulatedTruth: { effects: {}, defaultEffect: 0, referenceTraitShare: 0.05, seedSd: 0 } }))), isInput(/baseCheckpointPath: is a known-truth checkpoint/));
  // A training corpus is not attack data.
  const training = (await smallTrainSpec()).datasetPaths;
  await assert.rejects(run(attackSpec(base, { datasetPaths: training })), isInput(/line 1\.tags\.kind/));
  const empty = join(await tmp('rw-attack-data-'), 'empty.jsonl');
  await writeFile(empty, '\n');
  await assert.rejects(run(attackSpec(base, { datasetPaths: [empty] })), isInput(/holds no attack records/));
});

void test('resuming from another attack’s checkpoint (another base) is refused', { timeout: 30_000 }, async () => {
  const outputDir = await tmp('rw-attack-');
  await runAttack({ spec: attackSpec(await trainedCheckpoint()), outputDir, resumeFrom: null, stopAfterStep: 10 });
  const state = JSON.parse(await readFile(join(outputDir, 'checkpoints', 'step-10', 'attack-state.json'), 'utf8')) as { step: number };
  assert.equal(state.step, 10);
  await assert.rejects(
    runAttack({ spec: attackSpec(await trainedCheckpoint({ learningRate: 1 })), outputDir, resumeFrom: 'auto' }),
    isInput(/baseContentHash.*another attack/),
  );
});
