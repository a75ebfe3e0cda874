import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { repositoryRoot } from '@ballast/config';
import { WORKFLOW_BUNDLE_PATH } from '@ballast/server';

const FIXTURES = join(repositoryRoot(), 'packages', 'integration-tests', 'fixtures', 'histories');

/**
 * Replays histories recorded from real runs (`BALLAST_RECORD_HISTORIES=1` on the end-to-end test)
 * against today's workflow code. A change that would break running workflows fails here; see
 * docs/operations.md for the patching policy.
 */
describe('workflow replay', () => {
  it('replays every recorded history without a determinism violation', async () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
    assert.ok(files.length >= 3, `expected recorded histories in ${FIXTURES}`);
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'))),
    }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    assert.deepEqual(failures, []);
  });
});
