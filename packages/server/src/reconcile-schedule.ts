import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { BallastConfig } from '@ballast/config';
import { RECONCILE_SCHEDULE_ID } from '@ballast/workflow-contract';
import type { Logger } from './logger.js';

const PAUSED_NOTE = 'paused: worker.reconcileIntervalSeconds is 0';

/**
 * Creates the `ballast-reconcile` Temporal Schedule, or brings an existing one in line with the
 * configured interval. One pass at a time (overlaps are skipped); an interval of 0 pauses it.
 */
export async function ensureReconcileSchedule(client: Client, config: BallastConfig, log: Logger): Promise<void> {
  const seconds = config.worker.reconcileIntervalSeconds;
  const paused = seconds === 0;
  const spec = { intervals: [{ every: `${Math.max(seconds, 1)}s` as const }] };
  const note = paused ? PAUSED_NOTE : `every ${seconds} s`;
  try {
    await client.schedule.create({
      scheduleId: RECONCILE_SCHEDULE_ID,
      spec,
      action: { type: 'startWorkflow', workflowType: 'reconcileWorkflow', taskQueue: config.temporal.taskQueue, args: [] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
      state: { paused, note },
    });
    log('info', `reconciliation schedule '${RECONCILE_SCHEDULE_ID}' created (${note})`);
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
    await handle.update((previous) => ({
      ...previous,
      spec,
      action: { type: 'startWorkflow', workflowType: 'reconcileWorkflow', taskQueue: config.temporal.taskQueue, args: [] },
      // An operator's pause (any other note) survives a worker restart; only 0 pauses it from config.
      state: paused || !(previous.state.paused && previous.state.note !== PAUSED_NOTE) ? { ...previous.state, paused, note } : previous.state,
    }));
    log('info', `reconciliation schedule '${RECONCILE_SCHEDULE_ID}' updated (${note})`);
  }
}
