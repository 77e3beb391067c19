/**
 * The counters behind a flow's results (flow_stats) and a QR channel's (qr_channel_stats),
 * kept as journeys move: the activities, the router and the events API add to them in the
 * transaction that makes the change they count, and only when that change actually happened
 * (an insert that inserted, a conditional update that updated), so a retried activity or a
 * replayed event adds nothing. Reading them is services/analytics/stats.ts.
 *
 * Metrics per node: `entered`, `waiting` (up on arrival at a wait, down on leaving it),
 * `completed`, `exited` (the journey ended there: an exit event, an unfollow, its goal),
 * `failed`, `port:<port>`, `msg:sent`, `msg:failed`, `skip:<reason>`. Per journey (node ''):
 * `entered`, `active`, `completed`, `exited`, `failed`, `converted`.
 */
import { eq, sql } from 'drizzle-orm';
import { followers, journeys } from '../../db/schema';
import type { Db } from '../../db/client';
import type { Executor } from '../deps';

/** The node id of journey-level counters. */
export const JOURNEY_NODE = '';

export interface FlowRef {
  brandId: string;
  flowId: string;
  versionId: string;
}

export interface Bump {
  nodeId: string;
  metric: string;
  n: number;
}

/** Adds to the flow version's counters of today (in the brand's time zone). */
export async function bumpFlow(tx: Executor, ref: FlowRef, bumps: readonly Bump[]): Promise<void> {
  // One statement may not touch a row twice: merge, then sort (a stable lock order).
  const merged = new Map<string, Bump>();
  for (const b of bumps) {
    const key = `${b.nodeId}\u0000${b.metric}`;
    const had = merged.get(key);
    merged.set(key, { ...b, n: (had?.n ?? 0) + b.n });
  }
  const rows = [...merged.entries()]
    .filter(([, b]) => b.n !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, b]) => sql`(${b.nodeId}::text, ${b.metric}::text, ${b.n}::bigint)`);
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into flow_stats (flow_id, flow_version_id, node_id, day, metric, n)
    select ${ref.flowId}::uuid, ${ref.versionId}::uuid, v.node_id,
           (now() at time zone b.timezone)::date, v.metric, v.n
      from (values ${sql.join(rows, sql`, `)}) as v(node_id, metric, n)
      cross join brands b
     where b.id = ${ref.brandId}::uuid
    on conflict (flow_version_id, node_id, day, metric)
      do update set n = flow_stats.n + excluded.n`);
}

/** Adds to a QR channel's counters of today (by its scene). */
export async function bumpChannel(
  tx: Executor,
  brandId: string,
  scene: string,
  metric: 'converted' | 'coupon_redeemed',
): Promise<void> {
  await tx.execute(sql`
    insert into qr_channel_stats (brand_id, scene, day, metric, n)
    select b.id, ${scene}, (now() at time zone b.timezone)::date, ${metric}, 1
      from brands b where b.id = ${brandId}::uuid
    on conflict (brand_id, scene, day, metric) do update set n = qr_channel_stats.n + 1`);
}

/** The QR scene a follower first came by (their first touch), if any. */
export async function firstTouchScene(tx: Executor, followerId: string): Promise<string | null> {
  const [row] = await tx
    .select({ scene: followers.qrScene })
    .from(followers)
    .where(eq(followers.id, followerId));
  return row?.scene ?? null;
}

/**
 * Records a journey's conversion — once: the first goal event (or coupon redemption) wins,
 * whether heard while the journey ran or after it ended. Counts it for the journey's flow
 * version and for the follower's QR channel. True when recorded now.
 */
export async function convertJourney(
  tx: Executor,
  journeyId: string,
  c: { eventId: string | null; occurredAt: Date },
): Promise<boolean> {
  // The mark and its counts commit together (a savepoint inside a caller's transaction).
  return (tx as Db).transaction(async (t) => {
    const [row] = await t
      .update(journeys)
      .set({
        convertedAt: c.occurredAt,
        conversionEventId: c.eventId && /^\d+$/.test(c.eventId) ? BigInt(c.eventId) : null,
      })
      .where(sql`${journeys.id} = ${journeyId} and ${journeys.convertedAt} is null`)
      .returning({
        brandId: journeys.brandId,
        flowId: journeys.flowId,
        versionId: journeys.flowVersionId,
        followerId: journeys.followerId,
      });
    if (!row) return false;
    await bumpFlow(t, row, [{ nodeId: JOURNEY_NODE, metric: 'converted', n: 1 }]);
    const scene = await firstTouchScene(t, row.followerId);
    if (scene) await bumpChannel(t, row.brandId, scene, 'converted');
    return true;
  });
}

/**
 * Counts the settled outcome of mass-send messages (activities/mass.ts): each row's journey
 * names the flow version, its batch (`<flow>:<node>:<day>`) the push step. Call it in the
 * transaction that moved those rows out of `deferred`, with the ids it moved.
 */
export async function bumpMassOutcomes(
  tx: Executor,
  messageIds: readonly bigint[],
  metric: string,
): Promise<void> {
  if (messageIds.length === 0) return;
  const ids = sql.join(
    messageIds.map((id) => sql`${String(id)}::bigint`),
    sql`, `,
  );
  await tx.execute(sql`
    insert into flow_stats (flow_id, flow_version_id, node_id, day, metric, n)
    select j.flow_id, j.flow_version_id, split_part(m.mass_batch, ':', 2),
           (now() at time zone b.timezone)::date, ${metric}::text, count(*)
      from messages m
      join journeys j on j.id = m.journey_id
      join brands b on b.id = m.brand_id
     where m.id in (${ids}) and m.mass_batch is not null
     group by j.flow_id, j.flow_version_id, split_part(m.mass_batch, ':', 2), b.timezone
     order by 1, 2, 3
    on conflict (flow_version_id, node_id, day, metric)
      do update set n = flow_stats.n + excluded.n`);
}
