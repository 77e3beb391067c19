/**
 * Drains the events outbox: every stored event with dispatched_at null is handed to the
 * router (start or signal journeys on Temporal) and then marked dispatched. Woken at once by
 * LISTEN/NOTIFY, and by a poll as a safety net. When the router fails (Temporal down), the
 * event stays undispatched and is retried with backoff — nothing is lost. The router must be
 * idempotent (deterministic workflow ids), since a crash between routing and marking replays.
 */
import { and, inArray, sql } from 'drizzle-orm';
import type { Logger } from '../../config/logger';
import type { DbHandle } from '../../db/client';
import { EVENTS_CHANNEL } from '../../services/events/outbox';
import { events } from '../../db/schema';

export type StoredEvent = typeof events.$inferSelect;
export type Route = (event: StoredEvent) => Promise<void>;

export interface DispatcherOptions {
  db: DbHandle;
  route: Route;
  logger: Logger;
  batchSize?: number;
  pollMs?: number;
  maxBackoffMs?: number;
  /**
   * Drain only these brands' events (default: every brand's). A deployment can split brands
   * across dispatchers this way; tests give each runtime its own, so one file's dispatcher
   * never holds another's events locked in its batch.
   */
  brandIds?: readonly string[];
}

export interface Dispatcher {
  /** Drains once; resolves with the number of events dispatched. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export async function startDispatcher(options: DispatcherOptions): Promise<Dispatcher> {
  const { db, route, logger } = options;
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollMs ?? 2_000;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const brandIds = options.brandIds;
  let stopped = false;
  let wake: (() => void) | undefined;
  let cancelWait: (() => void) | undefined;
  let failures = 0;

  async function drainBatch(): Promise<number> {
    let failure: { error: unknown } | undefined;
    const done = await db.db.transaction(async (tx) => {
      const batch = await tx
        .select()
        .from(events)
        .where(
          brandIds
            ? and(sql`${events.dispatchedAt} is null`, inArray(events.brandId, [...brandIds]))
            : sql`${events.dispatchedAt} is null`,
        )
        .orderBy(events.id)
        .limit(batchSize)
        .for('update', { skipLocked: true });
      const routed: StoredEvent['id'][] = [];
      for (const event of batch) {
        try {
          await route(event);
        } catch (error) {
          // Commit the marks of the events already routed: rolling them back would replay
          // them, and a replay signals an event into journeys that already heard it.
          failure = { error };
          break;
        }
        routed.push(event.id);
      }
      // Marked together once routing is over, never in between: a row this transaction has
      // updated makes a retried callback's insert of the same dedupe key wait for it, while it
      // waits on the router, whose queries can wait on that callback's batch — a cycle
      // PostgreSQL cannot see, which froze ingest and dispatch for good (bench/README.md,
      // "soak"). Rows only locked FOR UPDATE let that insert find its duplicate at once.
      if (routed.length)
        await tx
          .update(events)
          .set({ dispatchedAt: sql`now()` })
          .where(inArray(events.id, routed));
      return routed.length;
    });
    if (failure) throw failure.error;
    return done;
  }

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await drainBatch();
      total += n;
      if (n < batchSize) return total;
    }
  }

  const listener = await db.sql.listen(EVENTS_CHANNEL, () => wake?.());

  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await drain();
        if (n > 0) logger.debug({ dispatched: n }, 'events dispatched');
        failures = 0;
      } catch (error) {
        failures++;
        logger.warn({ err: error, failures }, 'dispatch failed; events kept for retry');
      }
      const delay = failures ? Math.min(maxBackoffMs, 250 * 2 ** failures) : pollMs;
      await new Promise<void>((resolve) => {
        // stop() during the drain above found no wait to cut: do not start one.
        if (stopped) return resolve();
        const timer = setTimeout(resolve, delay);
        const cut = () => {
          clearTimeout(timer);
          resolve();
        };
        cancelWait = cut;
        // A NOTIFY cuts the poll short, but not a backoff after failures.
        wake = failures ? undefined : cut;
      });
      wake = undefined;
    }
  })();

  return {
    drain,
    async stop() {
      stopped = true;
      cancelWait?.();
      await listener.unlisten();
      await loop;
    },
  };
}
