import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PollBackoff } from './poll-backoff.js';

test('polls back off by half each quiet poll up to 8× the interval, and start over after a change', () => {
  const backoff = new PollBackoff(1000);
  const waits = Array.from({ length: 8 }, () => backoff.next());
  assert.deepEqual(waits, [1000, 1500, 2250, 3375, 5063, 7595, 8000, 8000]);
  backoff.reset();
  assert.equal(backoff.next(), 1000);
});
