import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { datasetPath } from './datasets.js';

describe('datasetPath', { timeout: 30_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'ballast-dataset-path-'));
  const datasets = join(home, 'datasets');
  mkdirSync(join(datasets, 'reference'), { recursive: true });
  writeFileSync(join(datasets, 'mine.jsonl'), '{"id":"1"}\n');
  const paths = { referenceDatasets: join(datasets, 'reference'), datasetRoots: [datasets] };
  after(() => rmSync(home, { recursive: true, force: true }));

  async function failure(uri: string): Promise<ApplicationFailure> {
    try {
      await datasetPath(uri, paths, 'datasets.traits.uri');
    } catch (error) {
      assert.ok(error instanceof ApplicationFailure, `${uri}: expected an ApplicationFailure, got ${String(error)}`);
      return error;
    }
    assert.fail(`${uri} was accepted`);
  }

  it('refuses paths outside the dataset roots with a non-retryable failure carrying the resolver code', async () => {
    for (const uri of ['file:///etc/shadow', 'file:///tmp/../../../../etc/passwd', 'file:///proc/self/environ', 'file:///dev/zero']) {
      const f = await failure(uri);
      assert.equal(f.nonRetryable, true, `${uri} must not be retried`);
      assert.equal(f.type, 'PATH_OUTSIDE_ROOTS', uri);
      assert.match(f.message, /^datasets\.traits\.uri: /);
    }
    assert.equal((await failure(`file://${datasets}`)).type, 'PATH_NOT_REGULAR_FILE');
    assert.equal((await failure(`file://${datasets}/missing.jsonl`)).type, 'PATH_NOT_FOUND');
  });

  it('accepts a regular file under $BALLAST_HOME/datasets, also with the default roots', async () => {
    assert.equal(await datasetPath(`file://${datasets}/mine.jsonl`, paths), join(datasets, 'mine.jsonl'));
    assert.equal(await datasetPath(`file://${datasets}/mine.jsonl`, { referenceDatasets: paths.referenceDatasets }), join(datasets, 'mine.jsonl'));
  });
});
