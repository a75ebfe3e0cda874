import type { Client } from '@temporalio/client';

// temporal.api.enums.v1.EventType values (the history's events carry the number).
const ACTIVITY_TASK_SCHEDULED = 10;
const ACTIVITY_TASK_STARTED = 11;
const ACTIVITY_TASK_TIMED_OUT = 14;

/** One activity attempt that timed out: the final one (an event) or an earlier one a retry reports. */
export interface TimedOutAttempt {
  readonly workflowId: string;
  readonly activity: string;
  /** The attempt that timed out (for a retried activity, the one before the attempt that ran last). */
  readonly attempt: number;
  readonly timeoutType: string;
}

export interface HistoryFigures {
  readonly workflows: number;
  readonly activities: number;
  /** Activities that needed more than one attempt, for any reason. */
  readonly retried: number;
  readonly timedOut: readonly TimedOutAttempt[];
  /** Scheduled → started of first attempts (a retried attempt's start includes its predecessors' run). */
  readonly maxScheduleToStartMs: number;
  readonly maxScheduleToStartActivity: string;
}

/** Milliseconds of a protobuf timestamp, whose seconds are a Long in decoded histories. */
function tsToMs(ts: { seconds?: { toString(): string } | number | null; nanos?: number | null } | null | undefined): number {
  return Number(ts?.seconds?.toString() ?? 0) * 1000 + (ts?.nanos ?? 0) / 1e6;
}

const TIMEOUT_TYPES = ['UNSPECIFIED', 'START_TO_CLOSE', 'SCHEDULE_TO_START', 'SCHEDULE_TO_CLOSE', 'HEARTBEAT'];

/**
 * Reads the history of every workflow in the client's namespace (experiments, arms, checkpoint
 * evaluations, mix builds, reconciliation) and collects activity timeouts and schedule-to-start latency.
 * A retried attempt's timeout leaves no event of its own; the next attempt's ActivityTaskStarted event
 * carries it as `lastFailure`, so both are looked at.
 */
export async function scanHistories(client: Client): Promise<HistoryFigures> {
  let workflows = 0;
  let activities = 0;
  let retried = 0;
  const timedOut: TimedOutAttempt[] = [];
  let maxScheduleToStartMs = 0;
  let maxScheduleToStartActivity = '';
  for await (const execution of client.workflow.list()) {
    workflows++;
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const scheduled = new Map<string, { name: string; at: number }>();
    const startedAttempt = new Map<string, number>();
    for (const event of history.events ?? []) {
      const id = String(event.eventId);
      if (event.eventType === ACTIVITY_TASK_SCHEDULED) {
        activities++;
        scheduled.set(id, { name: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?', at: tsToMs(event.eventTime) });
      } else if (event.eventType === ACTIVITY_TASK_STARTED) {
        const attrs = event.activityTaskStartedEventAttributes;
        const origin = scheduled.get(String(attrs?.scheduledEventId));
        const attempt = attrs?.attempt ?? 1;
        startedAttempt.set(id, attempt);
        if (attempt > 1) {
          retried++;
          const timeout = attrs?.lastFailure?.timeoutFailureInfo;
          if (timeout) {
            timedOut.push({ workflowId: execution.workflowId, activity: origin?.name ?? '?', attempt: attempt - 1, timeoutType: TIMEOUT_TYPES[timeout.timeoutType ?? 0] ?? String(timeout.timeoutType) });
          }
        } else if (origin) {
          const latency = tsToMs(event.eventTime) - origin.at;
          if (latency > maxScheduleToStartMs) {
            maxScheduleToStartMs = latency;
            maxScheduleToStartActivity = `${origin.name} in ${execution.workflowId}`;
          }
        }
      } else if (event.eventType === ACTIVITY_TASK_TIMED_OUT) {
        const attrs = event.activityTaskTimedOutEventAttributes;
        const origin = scheduled.get(String(attrs?.scheduledEventId));
        const timeout = attrs?.failure?.timeoutFailureInfo ?? attrs?.failure?.cause?.timeoutFailureInfo;
        timedOut.push({
          workflowId: execution.workflowId,
          activity: origin?.name ?? '?',
          attempt: startedAttempt.get(String(attrs?.startedEventId)) ?? 1,
          timeoutType: TIMEOUT_TYPES[timeout?.timeoutType ?? 0] ?? 'UNKNOWN',
        });
      }
    }
  }
  return { workflows, activities, retried, timedOut, maxScheduleToStartMs, maxScheduleToStartActivity };
}
