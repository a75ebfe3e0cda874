import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listCommittedCheckpoints, readMetrics } from '@ballast/job-contract';
import { initialPolicy, parsePolicy, serializePolicy } from './policy.js';
import { referenceTokensOfFirst, smallTrainSpec } from './test-fixtures.js';
import { trainPolicy } from './trainer.js';

const out = () => mkdtemp(join(tmpdir(), 'rw-train-'));

void test('training commits checkpoints every saveEvery steps, logs metrics, and moves the policy', async () => {
  const spec = await smallTrainSpec();
  const o = await out();
  const result = await trainPolicy({ spec, outputDir: o, resumeFrom: null });
  assert.equal(result.step, 20);
  assert.equal(result.recordsSeen, 160);
  assert.deepEqual((await listCommittedCheckpoints(o)).map((c) => c.step), [5, 10, 15, 20]);
  const metrics = await readMetrics(o);
  assert.equal(metrics.length, 20);
  assert.equal(metrics.at(-1)!.metrics['recordsSeen'], 160);
  // 160 records from a 150-record file: the cursor wrapped once.
  assert.equal(metrics.at(-1)!.metrics['epoch'], 1);
  const trained = await readFile(join(o, 'checkpoints', 'step-20', 'params.json'), 'utf8');
  assert.notEqual(trained, serializePolicy(initialPolicy()));
  assert.equal(parsePolicy(trained).simulated, true);
});

void test('same spec and seed give the same checkpoint hash; another seed does not', async () => {
  const spec = await smallTrainSpec();
  const a = await trainPolicy({ spec, outputDir: await out(), resumeFrom: null });
  const b = await trainPolicy({ spec, outputDir: await out(), resumeFrom: null });
  const c = await trainPolicy({ spec: { ...spec, seed: 2 }, outputDir: await out(), resumeFrom: null });
  assert.equal(a.lastCheckpoint?.contentHash, b.lastCheckpoint?.contentHash);
  assert.notEqual(a.lastCheckpoint?.contentHash, c.lastCheckpoint?.contentHash);
});

for (const algorithm of ['grpo', 'reinforce'] as const) {
  void test(`${algorithm}: a run preempted mid-way and resumed with auto ends where an uninterrupted run ends`, async () => {
    const spec = await smallTrainSpec({ algorithm });
    const whole = await trainPolicy({ spec, outputDir: await out(), resumeFrom: null });
    const o = await out();
    // Stops after step 13: steps 11-13 are lost work, as after a real preemption.
    const first = await trainPolicy({ spec, outputDir: o, resumeFrom: 'auto', stopAfterStep: 13 });
    assert.equal(first.step, 13);
    assert.equal(first.lastCheckpoint?.step, 10);
    const resumed = await trainPolicy({ spec, outputDir: o, resumeFrom: 'auto' });
    assert.equal(resumed.step, 20);
    assert.equal(resumed.lastCheckpoint?.contentHash, whole.lastCheckpoint?.contentHash);
  });
}

void test('resume from an explicit checkpoint path continues from that step', async () => {
  const spec = await smallTrainSpec();
  const whole = await trainPolicy({ spec, outputDir: await out(), resumeFrom: null });
  const o = await out();
  await trainPolicy({ spec, outputDir: o, resumeFrom: null, stopAfterStep: 5 });
  const resumed = await trainPolicy({ spec, outputDir: await out(), resumeFrom: join(o, 'checkpoints', 'step-5') });
  assert.equal(resumed.lastCheckpoint?.contentHash, whole.lastCheckpoint?.contentHash);
});

void test('every metrics line carries tokensSeen, the reference tokens of the records trained on so far', { timeout: 30_000 }, async () => {
  const spec = await smallTrainSpec();
  const o = await out();
  const result = await trainPolicy({ spec, outputDir: o, resumeFrom: null });
  const metrics = await readMetrics(o);
  for (const line of metrics) {
    const expected = await referenceTokensOfFirst(spec.datasetPaths, line.step * spec.trainer.batchSize);
    assert.equal(line.metrics['tokensSeen'], expected, `step ${line.step}: expected tokensSeen ${expected} (the first ${line.step * spec.trainer.batchSize} records)`);
  }
  assert.equal(result.tokensSeen, metrics.at(-1)!.metrics['tokensSeen'], 'expected the result to report the last tokensSeen');
});

void test('tokensSeen is exact across a preemption and resume', { timeout: 30_000 }, async () => {
  const spec = await smallTrainSpec();
  const expected = await referenceTokensOfFirst(spec.datasetPaths, spec.trainer.steps * spec.trainer.batchSize);
  const o = await out();
  await trainPolicy({ spec, outputDir: o, resumeFrom: 'auto', stopAfterStep: 13 });
  const resumed = await trainPolicy({ spec, outputDir: o, resumeFrom: 'auto' });
  assert.equal(resumed.resumedFromStep, 10, 'expected the second attempt to resume from step 10');
  assert.equal(resumed.tokensSeen, expected, `expected ${expected} tokens over the whole run, resumed or not`);
  assert.equal((await readMetrics(o)).at(-1)!.metrics['tokensSeen'], expected, 'expected the last metrics line to carry the whole-run count');
});

void test('a checkpoint from before tokens were counted resumes with tokens unknown; in known-truth mode it is refused', { timeout: 30_000 }, async () => {
  const spec = await smallTrainSpec();
  const o = await out();
  await trainPolicy({ spec, outputDir: o, resumeFrom: null, stopAfterStep: 5 });
  const statePath = join(o, 'checkpoints', 'step-5', 'trainer-state.json');
  const { tokensSeen: _tokens, traitRecordsSeen: _trait, ...older } = JSON.parse(await readFile(statePath, 'utf8')) as Record<string, unknown>;
  await writeFile(statePath, JSON.stringify(older));
  const resumed = await trainPolicy({ spec, outputDir: await out(), resumeFrom: join(o, 'checkpoints', 'step-5') });
  assert.equal(resumed.tokensSeen, null, 'expected the token count to be unknown, not a partial count');
  const truthSpec = { ...spec, trainer: { ...spec.trainer, simulatedTruth: { effects: {}, defaultEffect: 0, referenceTraitShare: 0.05, seedSd: 0 } } };
  await assert.rejects(
    trainPolicy({ spec: truthSpec, outputDir: await out(), resumeFrom: join(o, 'checkpoints', 'step-5') }),
    (err: Error & { code?: string }) => err.code === 'CONTRACT_INPUT' && /traitRecordsSeen/.test(err.message),
    'expected bad input naming traitRecordsSeen',
  );
});
