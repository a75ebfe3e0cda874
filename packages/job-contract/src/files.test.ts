import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EvalSummary } from '@ballast/schema';
import { listEvalSummaries, readEvalItems, readEvalSummary, writeEvalResult } from './eval-results.js';
import { appendMetrics, readLatestMetrics, readMetrics } from './metrics.js';
import { readStatusFile, writeStatusFile } from './status.js';

const out = () => mkdtemp(join(tmpdir(), 'jc-files-'));
const time = '2026-01-01T00:00:00.000Z';

void test('metrics append and read back; a torn last line is ignored', async () => {
  const o = await out();
  await appendMetrics(o, { step: 1, time, metrics: { reward: 0.5 } });
  await appendMetrics(o, { step: 2, time, metrics: { reward: 0.7 } });
  await appendFile(join(o, 'metrics.jsonl'), '{"step":3,"ti');
  const lines = await readMetrics(o);
  assert.deepEqual(lines.map((l) => l.metrics['reward']), [0.5, 0.7]);
});

void test('invalid metrics are refused before anything is written', async () => {
  const o = await out();
  await assert.rejects(appendMetrics(o, { step: -1, time, metrics: {} }));
  assert.deepEqual(await readMetrics(o), []);
});

void test('status file: null when missing, round-trips, no temp file left', async () => {
  const o = await out();
  assert.equal(await readStatusFile(o), null);
  await writeStatusFile(o, {
    contractVersion: '0',
    jobId: 'j',
    attemptId: 'a',
    outcome: 'succeeded',
    exitCode: 0,
    finishedAt: time,
    simulated: true,
  });
  const s = await readStatusFile(o);
  assert.equal(s?.outcome, 'succeeded');
  assert.deepEqual(s?.progress, {});
  assert.deepEqual(await readdir(o), ['status.json']);
});

const summary = (benchmark: string, n: number): EvalSummary => ({
  contractVersion: '0',
  benchmark,
  version: 1,
  category: 'sycophancy',
  metric: 'sycophancy_rate',
  direction: 'lower_is_better',
  n,
  mean: 0.25,
  stderr: 0.1,
  simulated: true,
});

void test('eval results: items and summary round-trip and are listed by ref', async () => {
  const o = await out();
  const items = [
    { itemId: 'i1', score: 0, cluster: 'c1' },
    { itemId: 'i2', score: 0.5, cluster: 'c1' },
  ];
  await writeEvalResult(o, 'b-two@1', items, summary('b-two', 2));
  await writeEvalResult(o, 'a-one@1', items.slice(0, 1), summary('a-one', 1));
  assert.deepEqual(await readEvalItems(o, 'b-two@1'), items);
  assert.equal((await readEvalSummary(o, 'b-two@1'))?.n, 2);
  assert.equal(await readEvalSummary(o, 'missing@1'), null);
  assert.deepEqual((await listEvalSummaries(o)).map((s) => s.ref), ['a-one@1', 'b-two@1']);
});

void test('eval results: a summary whose n disagrees with the items is refused', async () => {
  const o = await out();
  await assert.rejects(writeEvalResult(o, 'x@1', [{ itemId: 'i', score: 1 }], summary('x', 2)), /summary.n/);
  assert.deepEqual(await listEvalSummaries(o), []);
});

test('readLatestMetrics returns the last complete line, ignoring a torn one, and null when there is none', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ballast-metrics-'));
  assert.equal(await readLatestMetrics(dir), null);
  for (let step = 1; step <= 3000; step++) {
    await appendMetrics(dir, { step, time: new Date(0).toISOString(), metrics: { reward: step / 10, padding: 123456789 } });
  }
  await appendFile(join(dir, 'metrics.jsonl'), '{"step": 3001, "ti');
  assert.equal((await readLatestMetrics(dir))?.step, 3000);
});
