import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvalItems, readEvalSummary } from '@ballast/job-contract';
import { CONTRACT_VERSION, type EvalJobSpec } from '@ballast/schema';
import { writeBenchmarkItems } from './benchmark-items.js';
import { evaluatePolicy } from './evaluator.js';
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
