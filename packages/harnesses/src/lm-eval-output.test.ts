import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HarnessLogError, HarnessRunError } from './errors.js';
import { readLmEvalOutput } from './lm-eval-output.js';

const OPTIONS = { task: 'qa', metricKey: 'acc', filter: 'none' };

/** lm-eval's layout in miniature; the real files are read in harness-eval.test.ts. */
async function writeRun(outputPath: string, stamp: string, lines: unknown[], results: Record<string, unknown> = {}): Promise<string> {
  const modelDir = join(outputPath, '__tmp__model');
  await mkdir(modelDir, { recursive: true });
  await writeFile(
    join(modelDir, `results_${stamp}.json`),
    JSON.stringify({ results: { qa: { alias: 'qa', 'acc,none': 0.5, 'acc_stderr,none': 0.1 } }, 'n-samples': { qa: { original: 9, effective: 2 } }, lm_eval_version: '0.4.13', ...results }),
  );
  const samples = join(modelDir, `samples_qa_${stamp}.jsonl`);
  await writeFile(samples, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return samples;
}

describe('readLmEvalOutput', { timeout: 10_000 }, () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ballast-lm-eval-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads the newest run's docs for the filter asked, one value per doc, clusters from the doc", async () => {
    const out = join(dir, 'ok');
    await writeRun(out, '2026-01-01T00-00-00.1', [{ doc_id: 0, filter: 'none', acc: 0 }]);
    await writeRun(out, '2026-01-02T00-00-00.1', [
      { doc_id: 0, filter: 'none', acc: 1, doc: { cluster: 'x' } },
      { doc_id: 0, filter: 'strict', acc: 0 },
      { doc_id: 1, filter: 'none', acc: false, doc: { conversation_id: 3 } },
    ]);
    const scores = await readLmEvalOutput(out, OPTIONS);
    assert.deepEqual(scores.items, [
      { itemId: '0', score: 1, cluster: 'x' },
      { itemId: '1', score: 0, cluster: '3' },
    ]);
    assert.equal(scores.samplesPerItem, 1);
    assert.equal(scores.scoredBy, 'acc,none');
    assert.deepEqual(scores.harness, { kind: 'lm-eval', version: '0.4.13' });
    assert.equal(scores.sources.length, 2);
    assert.ok(scores.sources.every((s) => s.includes('2026-01-02')), 'the newest run');
  });

  it('says what is missing: the results, the task, the metric, the samples file', async () => {
    await assert.rejects(readLmEvalOutput(join(dir, 'nothing'), OPTIONS), (err: unknown) => err instanceof HarnessRunError && err.failure === 'missing-output' && /no results_<timestamp>\.json/.test(err.message));
    const out = join(dir, 'missing');
    const samples = await writeRun(out, '2026-01-01T00-00-00.1', [{ doc_id: 0, acc: 1 }]);
    await assert.rejects(readLmEvalOutput(out, { ...OPTIONS, task: 'other' }), (err: unknown) => err instanceof HarnessRunError && /task 'other' is not in its results \(it has: qa\)/.test(err.message));
    await assert.rejects(readLmEvalOutput(out, { ...OPTIONS, filter: 'strict' }), (err: unknown) => err instanceof HarnessRunError && /no metric 'acc,strict' \(it has: acc,none\)/.test(err.message));
    await rm(samples);
    await assert.rejects(readLmEvalOutput(out, OPTIONS), (err: unknown) => err instanceof HarnessRunError && /no samples_qa_2026-01-01T00-00-00\.1\.jsonl .*--log_samples/.test(err.message));
  });

  it('names the line and doc whose metric value is not a number, and checks the doc count', async () => {
    const bad = join(dir, 'bad');
    await writeRun(bad, '2026-01-01T00-00-00.1', [{ doc_id: 0, acc: 1 }, { doc_id: 1, acc: 'yes' }]);
    await assert.rejects(readLmEvalOutput(bad, OPTIONS), (err: unknown) => err instanceof HarnessLogError && err.at === 'line 2 (doc_id 1)' && /field 'acc' is "yes"/.test(err.message));
    const short = join(dir, 'short');
    await writeRun(short, '2026-01-01T00-00-00.1', [{ doc_id: 0, acc: 1 }]);
    await assert.rejects(readLmEvalOutput(short, OPTIONS), (err: unknown) => err instanceof HarnessLogError && /holds 1 docs, but .* says 2 were evaluated/.test(err.message));
  });
});
