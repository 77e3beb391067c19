/**
 * The date sweep's Temporal Schedule: every 15 minutes, one sweep over all brands. Each run
 * enters only the date entries whose time of day has come in their flow's time zone and whose
 * day is not yet swept (docs/decisions/002-date-sweeps.md), so a missed run catches up and a
 * repeated one does nothing.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { dateSweep } from './workflows/date-sweep';

export const DATE_SWEEP_SCHEDULE_ID = 'fanfare-date-sweep';

export async function ensureDateSweepSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: DATE_SWEEP_SCHEDULE_ID,
      spec: { intervals: [{ every: '15m' }] },
      action: {
        type: 'startWorkflow',
        workflowType: dateSweep,
        taskQueue,
        args: [{}],
        workflowId: 'date-sweep',
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}
