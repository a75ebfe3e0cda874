import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CliContext } from '../context.js';
import { logsCommand } from './status.js';

/**
 * A CliContext whose API client is a fake answering `jobs.logs` only: what is under test is what the
 * command prints, not the API (the end-to-end tests cover that with a real one).
 */
function fakeContext(lines: string[], printed: string[]): CliContext {
  const client = { jobs: { logs: { query: async () => ({ state: 'SUCCEEDED', lines }) } } };
  return { config: {} as CliContext['config'], apiUrl: 'http://fake-api.invalid', client: client as unknown as CliContext['client'], out: (t) => printed.push(t), err: (t) => printed.push(t) };
}

describe('ballast logs', { timeout: 10_000 }, () => {
  test("prints a job's output lines escaped: one printed line per log line, no raw control characters", async () => {
    const printed: string[] = [];
    await logsCommand(fakeContext(['step 1 ok', '\x1b]0;pwned\x07\x1b[2J\u009b31mred\b\b\rforged\u202e'], printed), 'job_0123456789', false);
    assert.deepEqual(printed, ['step 1 ok', '\\x1b]0;pwned\\x07\\x1b[2J\\x9b31mred\\x08\\x08\\rforged\\u202e']);
  });
});
