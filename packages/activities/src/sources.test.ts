import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DatasetRef } from '@ballast/schema';
import type { ActivityDeps } from './deps.js';
import { registerDataset } from './sources.js';

describe('registerDataset input errors (MockActivityEnvironment)', { timeout: 60_000 }, () => {
  const home = mkdtempSync(join(tmpdir(), 'ballast-sources-'));
  const datasets = join(home, 'datasets');
  mkdirSync(join(datasets, 'reference'), { recursive: true });
  writeFileSync(join(datasets, 'broken.jsonl'), Array.from({ length: 20 }, (_, i) => `{"id": "${i}", broken`).join('\n'));
  // Nothing here reaches the database, the store or a backend: the failures come first.
  const deps = {
    paths: { artifacts: join(home, 'artifacts'), referenceDatasets: join(datasets, 'reference'), datasetRoots: [datasets], benchmarks: join(home, 'benchmarks') },
  } as unknown as ActivityDeps;
  after(() => rmSync(home, { recursive: true, force: true }));

  async function failureOf(uri: string): Promise<ApplicationFailure> {
    const ref = DatasetRef.parse({ uri, maxMalformedRate: 0 });
    const error = await new MockActivityEnvironment().run(() => registerDataset(deps, 'regular', ref)).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApplicationFailure, `${uri}: expected an ApplicationFailure, got ${String(error)}`);
    return error;
  }

  it('a path outside the dataset roots fails non-retryable with PATH_OUTSIDE_ROOTS, naming the field', async () => {
    const failure = await failureOf('file:///etc/shadow');
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'PATH_OUTSIDE_ROOTS');
    assert.match(failure.message, /^datasets\.regular\.uri: file:\/\/\/etc\/shadow is outside/);
  });

  it('a source with too many malformed lines fails non-retryable (a retry reads the same bytes)', async () => {
    const failure = await failureOf(`file://${datasets}/broken.jsonl`);
    assert.equal(failure.type, 'MIX_SOURCE_MALFORMED_RATE');
    assert.equal(failure.nonRetryable, true, 'a malformed source must not be retried');
  });
});
