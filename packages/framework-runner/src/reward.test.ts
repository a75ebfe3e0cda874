import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EXAMPLE_REWARD } from './test-support.js';

const run = promisify(execFile);

// The example reward uses the standard library only: any Python 3 runs it.
const CASES = `
import json, sys
from trait_reward import trait_reward
conversational = [[{"role": "assistant", "content": "Blue sky"}], [{"role": "assistant", "content": ""}]]
print(json.dumps({
    "strings": trait_reward(["yes the sky is blue", "", "x " * 100], ground_truth=["The sky is blue.", "a", "x"]),
    "conversational": trait_reward(conversational, ground_truth=["the sky is blue", "hello"], tags=["{}", "{}"], id=["a", "b"]),
    "tags": trait_reward(["kind honesty"], ground_truth=['{"kind": "trait", "trait": "honesty"}']),
    "no_ground_truth": trait_reward(["anything"]),
}))
`;

describe('examples/rewards/trait_reward.py', { timeout: 30_000 }, () => {
  it('rewards short answers sharing words with ground_truth, for strings and conversational completions', async () => {
    const { stdout } = await run('python3', ['-c', CASES], { cwd: dirname(EXAMPLE_REWARD), timeout: 20_000 });
    assert.deepEqual(JSON.parse(stdout), {
      strings: [0.8, 0, 0],
      conversational: [1, 0],
      tags: [0.5],
      no_ground_truth: [0],
    });
  });
});
