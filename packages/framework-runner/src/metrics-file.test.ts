import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { appendMetrics, readMetrics } from '@ballast/job-contract';
import type { MetricsLine } from '@ballast/schema';
import { FRAMEWORK_ADAPTERS } from './adapters.js';
import { FileTail } from './file-tail.js';
import { MetricsFileFollower } from './metrics-file.js';
import { MetricsRecorder } from './metrics-recorder.js';
import { waitFor } from './test-support.js';
import { parseVerlMetricsLine } from './verl-metrics.js';

const POLL_MS = 20;

/**
 * A line of verl's metrics file for `step` with the given score: the first step of the hand-written
 * fixture (fixtures/verl-grpo-steps.jsonl, verl 0.9.1's file-logger format; not a real run's output),
 * renumbered.
 */
let fixtureStep: { step: number; data: Record<string, unknown> } | null = null;
function verlLine(step: number, score: number): string {
  return JSON.stringify({ step, data: { ...fixtureStep!.data, 'training/global_step': step, 'critic/score/mean': score } });
}

/** The contract's metrics as readers take them: the last line per step. */
function lastPerStep(lines: readonly MetricsLine[]): Map<number, Record<string, number>> {
  const out = new Map<number, Record<string, number>>();
  for (const line of lines) out.set(line.step, line.metrics);
  return new Map([...out.entries()].sort(([a], [b]) => a - b));
}

const rewards = (lines: readonly MetricsLine[]) => [...lastPerStep(lines)].map(([step, m]) => [step, m['reward']]);

describe('FileTail', { timeout: 10_000 }, () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'file-tail-'));
  });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  it('hands over complete lines as they are appended; a partial last line waits, and counts at the end', async () => {
    const path = join(root, 'partial.jsonl');
    const lines: string[] = [];
    const logs: string[] = [];
    const tail = new FileTail(path, (l) => lines.push(l), (l) => logs.push(l));
    await tail.poll();
    assert.deepEqual(lines, [], 'a file not there yet is no error');
    await writeFile(path, 'one\ntw');
    await tail.poll();
    assert.deepEqual(lines, ['one']);
    await appendFile(path, 'o\nthr');
    await tail.poll();
    assert.deepEqual(lines, ['one', 'two']);
    await appendFile(path, 'ee');
    await tail.finish();
    assert.deepEqual(lines, ['one', 'two', 'three']);
    assert.deepEqual(logs, []);
  });

  it('reads a truncated or replaced file again from its start, dropping a partial line', async () => {
    const path = join(root, 'rewritten.jsonl');
    const lines: string[] = [];
    const logs: string[] = [];
    const tail = new FileTail(path, (l) => lines.push(l), (l) => logs.push(l));
    await writeFile(path, 'a1\na2\na3\npart');
    await tail.poll();
    await writeFile(path, 'b1\n'); // as verl's file logger does when it opens the file with "wb"
    await tail.poll();
    assert.deepEqual(lines, ['a1', 'a2', 'a3', 'b1']);
    assert.match(logs.join('\n'), /was truncated: reading it again from its start/);
    await writeFile(`${path}.new`, 'c1\nc2\nc3\nc4\nc5\n');
    await rename(`${path}.new`, path);
    await tail.poll();
    assert.deepEqual(lines.slice(4), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.match(logs.join('\n'), /was replaced/);
  });
});

describe('MetricsFileFollower with the verl adapter', { timeout: 30_000 }, () => {
  let root = '';
  let n = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'metrics-file-'));
    const first = (await readFile(new URL('../fixtures/verl-grpo-steps.jsonl', import.meta.url), 'utf8')).split('\n')[0]!;
    fixtureStep = JSON.parse(first) as { step: number; data: Record<string, unknown> };
  });
  after(async () => {
    if (root !== '') await rm(root, { recursive: true, force: true });
  });

  /** A job's OUTPUT, the verl metrics file in its native dir, and a recorder and follower for one attempt. */
  const attempt = async (outputDir: string, attemptId: string, resumedFromStep: number) => {
    const path = join(outputDir, 'native', 'metrics.jsonl');
    const logs: string[] = [];
    const log = (l: string) => logs.push(l);
    const recorder = new MetricsRecorder(FRAMEWORK_ADAPTERS.verl, outputDir, resumedFromStep, log);
    const follower = await MetricsFileFollower.start({
      source: { path, parseLine: parseVerlMetricsLine },
      recorder,
      outputDir,
      attemptId,
      resumedFromStep,
      intervalMs: POLL_MS,
      log,
    });
    const finish = async () => {
      await follower.stop();
      await recorder.flush();
      assert.equal(recorder.error, null, 'no metrics write failed');
    };
    return { path, logs, recorder, finish };
  };
  const recordedSteps = async (outputDir: string) => (await readMetrics(outputDir).catch(() => [])).map((l) => l.step);

  it("records verl's steps under verl's numbers as they are written, waits out a partial line, and skips a garbage line with a warning", async () => {
    const outputDir = join(root, `out-${++n}`);
    const job = await attempt(outputDir, 'att_1', 0);
    assert.ok((await stat(join(outputDir, 'native'))).isDirectory(), "the file's directory exists before verl opens the file");
    const second = verlLine(2, 0.375);
    await appendFile(job.path, `${verlLine(1, 0.25)}\n${second.slice(0, 40)}`);
    await waitFor('step 1 in the contract metrics', async () => (await recordedSteps(outputDir)).includes(1), 5_000, POLL_MS);
    await sleep(5 * POLL_MS);
    assert.deepEqual(await recordedSteps(outputDir), [1], 'the partial line is not read before its end');
    await appendFile(job.path, `${second.slice(40)}\n{"step":3,"data":{"actor/lo\n${verlLine(3, 0.5)}\n`);
    await waitFor('step 3 in the contract metrics', async () => (await recordedSteps(outputDir)).includes(3), 5_000, POLL_MS);
    await job.finish();

    const lines = await readMetrics(outputDir);
    assert.deepEqual(
      lines.map((l) => l.step),
      [1, 2, 3],
    );
    assert.deepEqual(rewards(lines), [
      [1, 0.25],
      [2, 0.375],
      [3, 0.5],
    ]);
    assert.equal(lines[0]!.metrics['critic/score/mean'], 0.25, "verl's own names are kept");
    assert.equal(lines[0]!.metrics['step_time'], 12.71);
    assert.equal(job.recorder.lastStep, 3);
    assert.match(job.logs.join('\n'), /skipped an unreadable metrics line from .*metrics\.jsonl \(not JSON\): "\{\\"step\\":3,\\"data\\":\{\\"actor\/lo"/);
  });

  it('lets the later line of a step win when a resumed run appends to the same file again', async () => {
    const outputDir = join(root, `out-${++n}`);
    const job = await attempt(outputDir, 'att_1', 0);
    // Steps 1-3, then a run resumed from checkpoint 1 appending steps 2-4 again.
    await writeFile(job.path, [verlLine(1, 0.1), verlLine(2, 0.2), verlLine(3, 0.3), verlLine(2, 0.22), verlLine(3, 0.33), verlLine(4, 0.44), ''].join('\n'));
    await job.finish();
    const lines = await readMetrics(outputDir);
    assert.deepEqual(
      lines.map((l) => l.step),
      [1, 2, 3, 2, 3, 4],
      'appended in order',
    );
    assert.deepEqual(rewards(lines), [
      [1, 0.1],
      [2, 0.22],
      [3, 0.33],
      [4, 0.44],
    ]);
    assert.equal(job.recorder.lastStep, 4);
  });

  it("on a resumed attempt, sets the earlier attempt's file aside, records the steps up to the resume step its runner missed, and skips verl's lines at or before the resume step", async () => {
    const outputDir = join(root, `out-${++n}`);
    // The first attempt's runner recorded steps 1-2 and died; its verl went on to step 5 (checkpoint 4) before it was stopped.
    for (const step of [1, 2]) await appendMetrics(outputDir, { step, time: new Date().toISOString(), metrics: { reward: step / 10 } });
    const stale = [1, 2, 3, 4, 5].map((s) => verlLine(s, s / 10)).join('\n');
    const first = join(outputDir, 'native', 'metrics.jsonl');
    await mkdir(join(outputDir, 'native'), { recursive: true });
    await writeFile(first, `${stale}\n${verlLine(6, 0.6).slice(0, 30)}`);

    const job = await attempt(outputDir, 'att_2', 4);
    assert.equal(await readFile(`${job.path}.before-att_2`, 'utf8'), `${stale}\n${verlLine(6, 0.6).slice(0, 30)}`, 'the earlier file is kept aside as it was');
    await assert.rejects(stat(job.path), /ENOENT/, 'verl of this attempt starts a new file');
    assert.match(job.logs.join('\n'), /moved the earlier attempt's metrics file to .*metrics\.jsonl\.before-att_2; recorded steps 3, 4 from it/);

    // This attempt's verl resumes from checkpoint 4: a validation line at step 4 (val_before_train), then steps 5 and 6.
    await writeFile(job.path, `{"step":4,"data":{"val-core/reward/mean@1":0.9}}\n${verlLine(5, 0.55)}\n${verlLine(6, 0.66)}\n`);
    await job.finish();
    assert.deepEqual(rewards(await readMetrics(outputDir)), [
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
      [5, 0.55],
      [6, 0.66],
    ]);
    assert.equal(job.recorder.lastStep, 6);
  });
});
