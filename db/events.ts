/**
 * The event store doubles as the dispatch outbox: an event is inserted once under its dedupe
 * key (WeChat retries and API replays find the row and change nothing) with dispatched_at null,
 * and a NOTIFY on the same transaction wakes the dispatcher when it commits.
 */
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { events } from './schema';

export const EVENTS_CHANNEL = 'fanfare_events';

/** A drizzle transaction or the database itself. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export interface NewEvent {
  brandId: string;
  followerId?: string | null;
  openid?: string | null;
  type: string;
  name?: string | null;
  dedupeKey: string;
  payload: Record<string, unknown>;
  occurredAt?: Date;
}

export interface RecordedEvent {
  id: string;
  /** True when an event with this dedupe key was already stored: nothing was changed. */
  duplicate: boolean;
}

export async function recordEvent(tx: Tx, event: NewEvent): Promise<RecordedEvent> {
  // Insert and NOTIFY in one statement: the callback path is round-trip bound.
  const occurredAt = event.occurredAt ? event.occurredAt.toISOString() : null;
  const [inserted] = await tx.execute<{ id: string }>(sql`
    with e as (
      insert into ${events} (brand_id, follower_id, openid, type, name, dedupe_key, payload, occurred_at)
      values (${event.brandId}, ${event.followerId ?? null}, ${event.openid ?? null}, ${event.type},
              ${event.name ?? null}, ${event.dedupeKey}, ${JSON.stringify(event.payload)}::jsonb,
              coalesce(${occurredAt}::timestamptz, now()))
      on conflict (brand_id, dedupe_key) do nothing
      returning id
    )
    select id::text as id, pg_notify(${EVENTS_CHANNEL}, id::text) from e`);
  if (inserted) return { id: inserted.id, duplicate: false };
  const [existing] = await tx
    .select({ id: events.id })
    .from(events)
    .where(sql`${events.brandId} = ${event.brandId} and ${events.dedupeKey} = ${event.dedupeKey}`);
  return { id: String(existing!.id), duplicate: true };
}
