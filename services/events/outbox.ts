/**
 * The event store doubles as the dispatch outbox: an event is inserted once under its dedupe
 * key (WeChat retries and API replays find the row and change nothing) with dispatched_at null,
 * and a NOTIFY wakes the dispatcher when it commits. Hot paths (the callback route, the events
 * API) notify after their commit instead, coalesced (`wakeDispatcher`): Postgres serialises the
 * commits of notifying transactions, WAL flush included, which halved callback throughput.
 * A lost wake-up costs at most the dispatcher's poll interval.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { StoredEventInput } from '../../engine/events';
import type { Sql } from 'postgres';
import type { Db } from '../../db/client';
import { events } from '../../db/schema';

export const EVENTS_CHANNEL = 'fanfare_events';

/** A drizzle transaction or the database itself. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

/** An event to store: its type, name and payload follow the contract (engine/events.ts). */
export type NewEvent = {
  brandId: string;
  followerId?: string | null;
  openid?: string | null;
  dedupeKey: string;
  occurredAt?: Date;
} & StoredEventInput;

export interface RecordedEvent {
  id: string;
  /** True when an event with this dedupe key was already stored: nothing was changed. */
  duplicate: boolean;
}

export interface RecordOptions {
  /**
   * 'commit' (default): NOTIFY with the insert, delivered when the transaction commits.
   * 'caller': no NOTIFY here; the caller calls `wakeDispatcher` after its commit.
   */
  notify?: 'commit' | 'caller';
}

export async function recordEvent(
  tx: Tx,
  event: NewEvent,
  options: RecordOptions = {},
): Promise<RecordedEvent> {
  return recordEventThen(tx, event, options);
}

/**
 * `recordEvent`, and in the same statement `then` — a data-modifying statement that runs only
 * when the event is new (its condition may read the CTE `e`, the inserted row's id): the
 * callback path stores a push and what it does to the follower in one round trip.
 */
export async function recordEventThen(
  tx: Tx,
  event: NewEvent,
  options: RecordOptions,
  then?: SQL,
): Promise<RecordedEvent> {
  // Insert (and NOTIFY) in one statement: the callback path is round-trip bound.
  const occurredAt = event.occurredAt ? event.occurredAt.toISOString() : null;
  const notify =
    options.notify === 'caller'
      ? sql``
      : sql`cross join lateral (select pg_notify(${EVENTS_CHANNEL}, e.id::text)) n`;
  const [row] = await tx.execute<{ id: string; duplicate: boolean }>(sql`
    with e as (
      insert into ${events} (brand_id, follower_id, openid, type, name, dedupe_key, payload, occurred_at)
      values (${event.brandId}, ${event.followerId ?? null}, ${event.openid ?? null}, ${event.type},
              ${event.name ?? null}, ${event.dedupeKey}, ${JSON.stringify(event.payload)}::jsonb,
              coalesce(${occurredAt}::timestamptz, now()))
      on conflict (brand_id, dedupe_key) do nothing
      returning id
    )${then ? sql`, then_ as (${then})` : sql``}
    select e.id::text as id, false as duplicate from e ${notify}
    union all
    select id::text, true from ${events}
    where brand_id = ${event.brandId} and dedupe_key = ${event.dedupeKey}
      and not exists (select 1 from e)`);
  if (row) return { id: row.id, duplicate: row.duplicate };
  // The key was stored by a transaction that committed after this statement's snapshot was
  // taken (the insert waited for it): a new statement sees it.
  const [existing] = await tx
    .select({ id: events.id })
    .from(events)
    .where(sql`${events.brandId} = ${event.brandId} and ${events.dedupeKey} = ${event.dedupeKey}`);
  return { id: String(existing!.id), duplicate: true };
}

const wakers = new WeakMap<Db, () => void>();

/**
 * Wakes the dispatchers after a commit that stored events with `notify: 'caller'`. A burst of
 * calls sends one NOTIFY at a time (one more after it when calls came meanwhile), outside any
 * transaction, so it never holds Postgres's notify lock across a WAL flush. Never throws: the
 * dispatcher's poll picks up what a lost wake-up missed.
 */
export function wakeDispatcher(db: Db): void {
  let wake = wakers.get(db);
  if (!wake) {
    // The database a drizzle() call returned carries its postgres.js client.
    const client = (db as Db & { $client?: Sql }).$client;
    if (typeof client !== 'function')
      throw new Error('wakeDispatcher needs the database, not a transaction');
    let inFlight = false;
    let again = false;
    const send = (): void => {
      inFlight = true;
      again = false;
      client`select pg_notify(${EVENTS_CHANNEL}, '')`
        .catch(() => {})
        .finally(() => {
          inFlight = false;
          if (again) send();
        });
    };
    wake = () => {
      if (inFlight) again = true;
      else send();
    };
    wakers.set(db, wake);
  }
  wake();
}
