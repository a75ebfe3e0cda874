import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HarnessLogError, HarnessRunError } from './errors.js';
import { readInspectLog, readInspectLogDir } from './inspect-log.js';
import { FIXTURES_DIR } from './harness-testing.js';

/** The smallest log shape the adapter reads; the real ones are read in harness-eval.test.ts. */
function log(samples: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 2,
    status: 'success',
    eval: { task: 't', packages: { inspect_ai: '0.3.285' }, config: { epochs: 2 }, scorers: [{ name: 'match' }, { name: 'other' }] },
    samples,
    ...extra,
  };
}
const sample = (id: string | number, epoch: number, value: unknown, metadata: Record<string, unknown> = {}) => ({
  id,
  epoch,
  scores: { match: { value }, other: { value: 1 } },
  metadata,
});

describe('readInspectLog', { timeout: 10_000 }, () => {
  let dir = '';
  const write = async (name: string, content: unknown): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(content));
    return file;
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-inspect-log-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("throws HarnessRunError with inspect's own message for the committed log of a real failed run", async () => {
    const file = join(FIXTURES_DIR, 'inspect-error-log.json');
    await assert.rejects(readInspectLog(file), (err: unknown) => {
      assert.ok(err instanceof HarnessRunError, String(err));
      assert.equal(err.code, 'HARNESS_RUN_FAILED');
      assert.equal(err.failure, 'failed-log');
      assert.equal(err.harnessMessage, "RuntimeError('scorer broke on purpose')");
      assert.equal(err.location, file);
      assert.equal(err.forBenchmark('x@1').message.startsWith("x@1: inspect run ended with status 'error': RuntimeError"), true);
      return true;
    });
  });

  it('maps grades, booleans and numbers, averages epochs per item and takes clusters from metadata', async () => {
    const file = await write('ok.json', log([
      sample('a', 1, 'C', { cluster: 'c1' }),
      sample(7, 1, true, { conversation_id: 42 }),
      sample('b', 1, 'N'),
      sample('a', 2, 'P', { cluster: 'c1' }),
      sample(7, 2, 0.5, { conversation_id: 42 }),
      sample('b', 2, 'I'),
    ]));
    const scores = await readInspectLog(file);
    assert.deepEqual(scores.items, [
      { itemId: 'a', score: 0.75, cluster: 'c1' },
      { itemId: '7', score: 0.75, cluster: '42' },
      { itemId: 'b', score: 0 },
    ]);
    assert.equal(scores.samplesPerItem, 2);
    assert.equal(scores.scoredBy, 'match', 'the first scorer when none is named');
    assert.deepEqual(scores.harness, { kind: 'inspect', version: '0.3.285' });
    assert.equal(scores.n, 3);
    assert.equal(scores.mean, 0.5);
    assert.ok(Math.abs(scores.stderr - Math.sqrt(0.1875 / 3)) < 1e-12, `plain item-level stderr, got ${scores.stderr}`);
    assert.deepEqual((await readInspectLog(file, { scorer: 'other' })).items.map((i) => i.score), [1, 1, 1]);

    // inspect logs samples as they finish; the dataset's own order is in eval.dataset.sample_ids.
    const ordered = log([sample('a', 1, 1), sample('a', 2, 1), sample(7, 1, 1), sample(7, 2, 1), sample('b', 1, 1), sample('b', 2, 1)]);
    (ordered['eval'] as Record<string, unknown>)['dataset'] = { sample_ids: ['b', 7, 'a'] };
    assert.deepEqual((await readInspectLog(await write('ordered.json', ordered))).items.map((i) => i.itemId), ['b', '7', 'a']);
  });

  it('names the sample whose value it cannot read, or whose scorer is missing', async () => {
    const bad = await write('bad.json', log([sample('a', 1, 'C'), sample('a', 2, { x: 1 })]));
    await assert.rejects(readInspectLog(bad), (err: unknown) => err instanceof HarnessLogError && err.at === "sample 'a' epoch 2" && /\{"x":1\}/.test(err.message));
    await assert.rejects(readInspectLog(bad, { scorer: 'nope' }), (err: unknown) => err instanceof HarnessLogError && /no score from scorer 'nope' \(it has: match, other\)/.test(err.message));
  });

  it('refuses a log whose items do not all have the epochs the run asked for', async () => {
    const file = await write('epochs.json', log([sample('a', 1, 'C'), sample('a', 2, 'C'), sample('b', 1, 'C')]));
    await assert.rejects(readInspectLog(file), (err: unknown) => err instanceof HarnessLogError && /sample 'b'.*has 1 epochs in the log, the run asked for 2/.test(err.message));
  });

  it('treats a cancelled run, a failed sample and an empty log as failures, not zeros', async () => {
    const cancelled = await write('cancelled.json', log([], { status: 'cancelled' }));
    await assert.rejects(readInspectLog(cancelled), (err: unknown) => err instanceof HarnessRunError && /status 'cancelled': inspect recorded no error message/.test(err.message));
    const failedSample = await write('failed-sample.json', log([{ ...sample('a', 1, 'C'), error: { message: 'boom' } }]));
    await assert.rejects(readInspectLog(failedSample), (err: unknown) => err instanceof HarnessRunError && /sample 'a' epoch 1 failed.*boom/.test(err.message));
    const empty = await write('empty.json', log([]));
    await assert.rejects(readInspectLog(empty), (err: unknown) => err instanceof HarnessRunError && err.failure === 'missing-output');
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{');
    await assert.rejects(readInspectLog(notJson), (err: unknown) => err instanceof HarnessLogError && err.at === '(file)');
  });

  it('readInspectLogDir wants exactly one JSON log and says what it found', async () => {
    const none = join(dir, 'none');
    await mkdir(none);
    await writeFile(join(none, 'x.eval'), '');
    await assert.rejects(readInspectLogDir(none), (err: unknown) => err instanceof HarnessRunError && /no JSON log was written \(found 1 \.eval file\(s\): run inspect with --log-format json\)/.test(err.message));
    const two = join(dir, 'two');
    await mkdir(two);
    await writeFile(join(two, '1.json'), JSON.stringify(log([sample('a', 1, 1), sample('a', 2, 1)])));
    await writeFile(join(two, '2.json'), JSON.stringify(log([sample('a', 1, 1), sample('a', 2, 1)])));
    await assert.rejects(readInspectLogDir(two), (err: unknown) => err instanceof HarnessRunError && /found 2 .*'#task_name'/.test(err.message));
    await rm(join(two, '2.json'));
    assert.equal((await readInspectLogDir(two)).mean, 1);
  });
});
