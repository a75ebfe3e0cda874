import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { scanHistories } from './histories.js';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

/** A fake Temporal client (no server here): one workflow whose history is `events`. */
function fakeClient(events: object[]): Client {
  return {
    workflow: {
      async *list() {
        yield { workflowId: 'experiment-exp_1', runId: 'r1' };
      },
      getHandle: () => ({ fetchHistory: async () => ({ events }) }),
    },
  } as unknown as Client;
}

describe('scanHistories', { timeout: 10_000 }, () => {
  it('finds a retried attempt that timed out (no event of its own) and a final timeout', async () => {
    const figures = await scanHistories(
      fakeClient([
        { eventId: 5, eventType: 10, eventTime: at(1_000), activityTaskScheduledEventAttributes: { activityType: { name: 'computeReport' } } },
        { eventId: 6, eventType: 11, eventTime: at(1_800_000), activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 2, lastFailure: { timeoutFailureInfo: { timeoutType: 1 } } } },
        { eventId: 8, eventType: 10, eventTime: at(2_000_000), activityTaskScheduledEventAttributes: { activityType: { name: 'runTrainingJob' } } },
        { eventId: 9, eventType: 11, eventTime: at(2_000_700), activityTaskStartedEventAttributes: { scheduledEventId: 8, attempt: 1 } },
        { eventId: 10, eventType: 14, eventTime: at(2_030_000), activityTaskTimedOutEventAttributes: { scheduledEventId: 8, startedEventId: 9, failure: { timeoutFailureInfo: { timeoutType: 4 } } } },
      ]),
    );
    assert.equal(figures.activities, 2);
    assert.equal(figures.retried, 1);
    assert.deepEqual(figures.timedOut, [
      { workflowId: 'experiment-exp_1', activity: 'computeReport', attempt: 1, timeoutType: 'START_TO_CLOSE' },
      { workflowId: 'experiment-exp_1', activity: 'runTrainingJob', attempt: 1, timeoutType: 'HEARTBEAT' },
    ]);
    assert.equal(figures.maxScheduleToStartMs, 700);
  });

  it('reports nothing for clean first attempts', async () => {
    const figures = await scanHistories(
      fakeClient([
        { eventId: 5, eventType: 10, eventTime: at(1_000), activityTaskScheduledEventAttributes: { activityType: { name: 'prepareArmMix' } } },
        { eventId: 6, eventType: 11, eventTime: at(1_020), activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 1 } },
      ]),
    );
    assert.deepEqual([figures.retried, figures.timedOut.length, figures.maxScheduleToStartMs], [0, 0, 20]);
  });
});
