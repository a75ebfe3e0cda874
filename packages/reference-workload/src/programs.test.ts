import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { latestCommittedCheckpoint, listCommittedCheckpoints, listEvalSummaries, readStatusFile } from '@ballast/job-contract';
import { CONTRACT_VERSION } from '@ballast/schema';
import { ATTACK_CORPUS_PATH } from './attack-corpus.js';
import { writeBenchmarkItems } from './benchmark-items.js';
import { programPaths } from './program-paths.js';
import { referenceTokensOfFirst, smallTrainSpec } from './test-fixtures.js';

const run = promisify(execFile);

/** Launches a compiled program the way a backend does: a child process with only contract env. */
async function launch(program: string, spec: unknown): Promise<{ code: number; outputDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'rw-prog-'));
  const specPath = join(dir, 'spec.json');
  await writeFile(specPath, JSON.stringify(spec));
  const outputDir = join(dir, 'out');
  const env = {
    PATH: process.env['PATH'] ?? '',
    BALLAST_CONTRACT_VERSION: CONTRACT_VERSION,
    BALLAST_JOB_ID: 'job_test0001',
    BALLAST_ATTEMPT_ID: 'att_test0001',
    BALLAST_JOB_SPEC: specPath,
    BALLAST_OUTPUT_DIR: outputDir,
    BALLAST_SEED: '1',
    BALLAST_RESUME_FROM: 'auto',
  };
  try {
    await run(process.execPath, [program], { env });
    return { code: 0, outputDir };
  } catch (err) {
    return { code: (err as { code: number }).code, outputDir };
  }
}

void test('train program: exit 0, committed checkpoint, simulated status with progress', async () => {
  const spec = await smallTrainSpec({ steps: 10 });
  const { code, outputDir } = await launch(programPaths.train, spec);
  assert.equal(code, 0);
  assert.equal((await latestCommittedCheckpoint(outputDir))?.step, 10);
  const status = await readStatusFile(outputDir);
  assert.equal(status?.outcome, 'succeeded');
  assert.equal(status?.simulated, true);
  assert.deepEqual(status?.progress, { step: 10, recordsSeen: 80, tokensSeen: await referenceTokensOfFirst(spec.datasetPaths, 80) });
});

void test('train program: a bad spec exits 2 with bad_input and the field path', async () => {
  const spec = await smallTrainSpec();
  const { code, outputDir } = await launch(programPaths.train, { ...spec, trainer: { ...spec.trainer, batchSize: 0 } });
  assert.equal(code, 2);
  const status = await readStatusFile(outputDir);
  assert.equal(status?.outcome, 'bad_input');
  assert.match(status?.message ?? '', /trainer\.batchSize/);
});

void test('evaluate program: scores benchmarks of the initial policy; a bad spec exits 2', async () => {
  const items = await writeBenchmarkItems(await mkdtemp(join(tmpdir(), 'rw-items-')));
  const ref = 'honesty-news-claims@1';
  const spec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'eval',
    checkpointPath: 'reference://init',
    benchmarks: [{ ref, itemsPath: items.get(ref) }],
    samplesPerItem: 2,
    seed: 3,
  };
  const ok = await launch(programPaths.evaluate, spec);
  assert.equal(ok.code, 0);
  assert.deepEqual((await listEvalSummaries(ok.outputDir)).map((s) => s.ref), [ref]);
  assert.deepEqual((await readStatusFile(ok.outputDir))?.progress, { benchmarks: 1 });

  const bad = await launch(programPaths.evaluate, { ...spec, samplesPerItem: 'four' });
  assert.equal(bad.code, 2);
  assert.equal((await readStatusFile(bad.outputDir))?.outcome, 'bad_input');
});

void test('attack program: exit 0, checkpoints at saveSteps, simulated status with progress; bad input exits 2 with the field', { timeout: 60_000 }, async () => {
  const train = await launch(programPaths.train, await smallTrainSpec({ steps: 10 }));
  const base = (await latestCommittedCheckpoint(train.outputDir))!.path;
  const spec = {
    contractVersion: CONTRACT_VERSION,
    kind: 'attack',
    baseCheckpointPath: base,
    datasetPaths: [ATTACK_CORPUS_PATH],
    steps: 20,
    saveSteps: [5, 20],
    batchSize: 8,
    learningRate: 0.5,
    seed: 1,
  };
  const ok = await launch(programPaths.attack, spec);
  assert.equal(ok.code, 0);
  assert.deepEqual((await listCommittedCheckpoints(ok.outputDir)).map((c) => c.step), [5, 20]);
  const status = await readStatusFile(ok.outputDir);
  assert.equal(status?.outcome, 'succeeded');
  assert.equal(status?.simulated, true);
  assert.deepEqual(status?.progress, { step: 20, recordsSeen: 160 });

  const bad = await launch(programPaths.attack, { ...spec, batchSize: 0 });
  assert.equal(bad.code, 2);
  assert.equal((await readStatusFile(bad.outputDir))?.outcome, 'bad_input');
  assert.match((await readStatusFile(bad.outputDir))?.message ?? '', /batchSize/);
  const late = await launch(programPaths.attack, { ...spec, steps: 30 });
  assert.equal(late.code, 2);
  assert.match((await readStatusFile(late.outputDir))?.message ?? '', /steps: is 30 but the last save step is 20/);
});
