import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextAttempt } from './attempt-policy.js';

const defaults = { programFailures: 0, infrastructureFailures: 5 };

test('a job without attempts starts attempt 1; a running attempt is continued, never resubmitted; a succeeded one is done', () => {
  assert.deepEqual(nextAttempt([], defaults), { kind: 'new', number: 1, reason: 'first attempt' });
  for (const state of ['QUEUED', 'RUNNING']) {
    assert.deepEqual(nextAttempt([{ number: 1, state: 'PREEMPTED' }, { number: 2, state }], defaults), { kind: 'continue', number: 2 });
  }
  assert.deepEqual(nextAttempt([{ number: 1, state: 'PREEMPTED' }, { number: 2, state: 'SUCCEEDED' }], defaults), { kind: 'done', number: 2 });
});

test('infrastructure failures start new attempts up to their own limit', () => {
  const next = nextAttempt([{ number: 1, state: 'PREEMPTED' }], defaults);
  assert.equal(next.kind, 'new');
  assert.equal(next.number, 2);
  const lost = nextAttempt([{ number: 2, state: 'LOST' }, { number: 1, state: 'PREEMPTED' }], { ...defaults, infrastructureFailures: 1 });
  assert.equal(lost.kind, 'give-up');
  assert.match(lost.reason, /2 infrastructure failures; the limit is 1/);
});

test('program failures are not retried by default, and are counted apart from infrastructure failures', () => {
  const none = nextAttempt([{ number: 1, state: 'FAILED' }], defaults);
  assert.equal(none.kind, 'give-up');
  assert.match(none.reason, /programFailures is 0/);
  const history = [
    { number: 1, state: 'PREEMPTED' },
    { number: 2, state: 'PREEMPTED' },
    { number: 3, state: 'FAILED' },
  ];
  assert.deepEqual(nextAttempt(history, { programFailures: 1, infrastructureFailures: 5 }).kind, 'new');
  assert.deepEqual(nextAttempt([...history, { number: 4, state: 'FAILED' }], { programFailures: 1, infrastructureFailures: 5 }).kind, 'give-up');
});

test('a cancelled attempt is final', () => {
  assert.equal(nextAttempt([{ number: 1, state: 'CANCELLED' }], { programFailures: 3, infrastructureFailures: 3 }).kind, 'give-up');
});
