/**
 * The date sweep, started by a Temporal Schedule: for every live birthday / repurchase-due
 * entry whose time of day has come in its flow's zone, enter the matching followers page by
 * page. Re-running a day (a missed or repeated run, or `now` given by an operator) starts
 * nothing twice: journeys are keyed by the day.
 *
 * Entries are isolated: a few run side by side, a page's retries are bounded, and an entry
 * that still fails is recorded against its flow while the sweep moves on — one brand's flow
 * never holds back another's birthdays (docs/decisions/002-date-sweeps.md).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { DueEntry } from '../activities/sweeps';
import { SWEEP_RETRY } from '../journey-types';

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', maximumAttempts: 20 },
});

/**
 * A page gets a few quick retries (the database restarting), then the entry is given up for
 * this run. Its query has a 60 s statement timeout (activities/sweeps.ts).
 */
const page = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '20 seconds',
    maximumAttempts: 4,
  },
});

/** Waits (up to 8 minutes) for a broadcast's journeys to reach their pushes, then sends its batches. */
const mass = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 10 },
});

/** Sweeps from this patch on send the broadcasts' mass-send batches at their end. */
const MASS_SEND_PATCH = 'sweep-sends-mass-batches';

/** Entries swept side by side: a slow one occupies one lane, not the whole sweep. */
export const SWEEP_LANES = 4;

export interface DateSweepInput {
  brandId?: string;
  /** The moment to sweep for (ms); default: now. */
  now?: number;
}

export interface DateSweepResult {
  entries: number;
  entered: number;
  /** Entries recorded as failed against their flow in this run. */
  failed?: number;
  /** The mass-send batches could not be sent in this run (they wait for the next). */
  massFailed?: boolean;
}

export async function dateSweep(input: DateSweepInput = {}): Promise<DateSweepResult> {
  const now = input.now ?? Date.now();
  const due = await acts.dueDateEntries({ brandId: input.brandId, now });
  if (!patched('sweep-isolates-entries')) return sequentialSweep(due);

  let entered = 0;
  let failed = 0;
  const sweepEntry = async (entry: DueEntry) => {
    try {
      let cursor: string | null = null;
      do {
        const result: Awaited<ReturnType<Activities['sweepPage']>> = await page.sweepPage({
          due: entry,
          cursor,
        });
        entered += result.entered;
        cursor = result.cursor;
        if (result.failed) failed++;
      } while (cursor !== null);
    } catch (error) {
      // Retries spent (the database or Temporal unreachable, or a bug): recorded on the entry,
      // which stays due for the next run.
      failed++;
      const internal =
        error instanceof ActivityFailure &&
        error.cause instanceof ApplicationFailure &&
        error.cause.type === SWEEP_RETRY.internal;
      try {
        await page.recordSweepFailure({
          due: entry,
          failure: internal ? 'internal' : 'unavailable',
        });
      } catch {
        // Nothing more to do in this run; the entry stays due.
      }
    }
  };
  let next = 0;
  const lane = async () => {
    while (next < due.length) await sweepEntry(due[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_LANES, due.length) }, lane));
  // Broadcast pushes that no quota allowed wait in mass-send batches: send them once the
  // broadcasts just entered have reached their pushes (activities/mass.ts).
  let massFailed = false;
  if (patched(MASS_SEND_PATCH)) {
    const versionIds = [
      ...new Set(due.filter((d) => d.entry.kind === 'broadcast').map((d) => d.versionId)),
    ];
    try {
      await mass.sendMassBatches({ brandId: input.brandId, versionIds });
    } catch {
      // Retries spent: the batches stay waiting (recorded `deferred`) for the next run.
      massFailed = true;
    }
  }
  return {
    entries: due.length,
    entered,
    ...(failed ? { failed } : {}),
    ...(massFailed ? { massFailed } : {}),
  };
}

/** The sweep before entries were isolated, for the histories of runs started before it. */
async function sequentialSweep(due: DueEntry[]): Promise<DateSweepResult> {
  let entered = 0;
  for (const entry of due) {
    let cursor: string | null = null;
    do {
      const result: { entered: number; cursor: string | null } = await acts.sweepPage({
        due: entry,
        cursor,
      });
      entered += result.entered;
      cursor = result.cursor;
    } while (cursor !== null);
  }
  return { entries: due.length, entered };
}
