/**
 * The date sweep, started by a Temporal Schedule: for every live birthday / repurchase-due
 * entry whose time of day has come in its flow's zone, enter the matching followers page by
 * page. Re-running a day (a missed or repeated run, or `now` given by an operator) starts
 * nothing twice: journeys are keyed by the day.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', maximumAttempts: 20 },
});

export interface DateSweepInput {
  brandId?: string;
  /** The moment to sweep for (ms); default: now. */
  now?: number;
}

export async function dateSweep(
  input: DateSweepInput = {},
): Promise<{ entries: number; entered: number }> {
  const now = input.now ?? Date.now();
  const due = await acts.dueDateEntries({ brandId: input.brandId, now });
  let entered = 0;
  for (const entry of due) {
    let cursor: string | null = null;
    do {
      const page: { entered: number; cursor: string | null } = await acts.sweepPage({
        due: entry,
        cursor,
      });
      entered += page.entered;
      cursor = page.cursor;
    } while (cursor !== null);
  }
  return { entries: due.length, entered };
}
