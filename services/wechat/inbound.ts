/**
 * What a WeChat push does to our records: the follower row (follow state, last interaction,
 * the customer-service quota) and the stored event, in one transaction, once. A retried
 * push finds its event by the dedupe key and changes nothing; a replayed nonce, nothing at all.
 */
import { sql } from 'drizzle-orm';
import type { StoredEventInput } from '../../engine/events';
import { quotaOpenedBy } from '../../engine/quota';
import type { InboundMessage } from '../../wechat/messages';
import { dedupeKey, eventName } from '../../wechat/messages';
import { recordEventThen, type RecordedEvent, type RecordOptions, type Tx } from '../events/outbox';
import { followerUpsertSql, openQuotaSet, upsertFollower } from '../followers/store';
import { nonceClaimCtes, nonceOutcome, type NonceClaim } from './callback-nonces';
import { followers } from '../../db/schema';

/** The event type the router and the engine's matchers know, with its normalised payload. */
export function eventOf(message: InboundMessage): StoredEventInput {
  switch (message.kind) {
    case 'subscribe':
      return {
        type: 'follow',
        payload: { scene: message.scene ?? null, ticket: message.ticket ?? null },
      };
    case 'scan':
      return { type: 'qr_scan', payload: { scene: message.scene, ticket: message.ticket ?? null } };
    case 'unsubscribe':
      return { type: 'unfollow', payload: {} };
    case 'text':
      return { type: 'keyword', payload: { text: message.content, msgId: message.msgId } };
    case 'click':
      return { type: 'menu_click', payload: { key: message.key } };
    case 'location':
      return {
        type: 'location',
        payload: { lat: message.latitude, lng: message.longitude, precision: message.precision },
      };
    case 'view':
      return { type: 'menu_view', payload: { url: message.url } };
    case 'other':
      return {
        type: 'wechat',
        name: message.event ?? message.msgType,
        payload: { msgType: message.msgType },
      };
  }
}

/**
 * The customer-service quota a push from WeChat opens (engine/quota.ts): a message from the
 * fan 5 within 48 hours; a follow, scan, `click` or `scancode_*` 3 within a minute.
 */
function quotaOf(message: InboundMessage) {
  const msgType =
    message.kind === 'other' ? message.msgType : message.kind === 'text' ? 'text' : 'event';
  return quotaOpenedBy(msgType, eventName(message));
}

export type InboundOutcome =
  { replay: true } | { replay: false; recorded: RecordedEvent & { followerId: string } };

/**
 * Records a fan's push: claims its nonce (callback-nonces.ts), then stores the event and what
 * it does to the follower. Two statements, whatever the push: the callback path is bound by
 * round trips and commits (bench/README.md, "ingest"), so the claim shares one with the
 * follower's row (created, and locked: concurrent deliveries of one push serialise on it) and
 * the event shares one with the follower's update (made only when the event is new: a retried
 * push changes nothing).
 */
export async function recordInbound(
  tx: Tx,
  brandId: string,
  claim: NonceClaim,
  message: InboundMessage,
  options: RecordOptions = {},
): Promise<InboundOutcome> {
  const openid = message.fromUserName;
  type Row = {
    inserted: boolean;
    fingerprint: string;
    id: string | null;
    ever_followed: boolean | null;
  };
  let row: Row | undefined;
  for (let attempt = 0; attempt < 2 && !row; attempt++) {
    [row] = await tx.execute<Row>(sql`
      with ${nonceClaimCtes(claim)},
      f as (${followerUpsertSql(
        brandId,
        openid,
        sql`exists (select 1 from claim where inserted or fingerprint = ${claim.fingerprint})`,
      )})
      select c.inserted, c.fingerprint, f.id, f.ever_followed from claim c left join f on true`);
  }
  if (nonceOutcome(row, claim) === 'replay') return { replay: true };
  // No claim row twice: a prune raced it (nonceOutcome); the follower was not written either.
  const follower = row?.id
    ? { id: row.id, everFollowed: row.ever_followed === true }
    : await upsertFollower(tx, brandId, openid);
  const followerId = follower.id;
  const at = new Date(message.createTime * 1000).toISOString();
  const body = eventOf(message);
  if (body.type === 'follow') body.payload.firstTime = !follower.everFollowed;

  const update = tx
    .update(followers)
    .set(followerChanges(message, at))
    .where(sql`${followers.id} = ${followerId} and exists (select 1 from e)`);
  const recorded = await recordEventThen(
    tx,
    {
      brandId,
      followerId,
      openid,
      ...body,
      dedupeKey: dedupeKey(message),
      occurredAt: new Date(message.createTime * 1000),
    },
    options,
    update.getSQL(),
  );
  return { replay: false, recorded: { ...recorded, followerId } };
}

/** What a push changes on the follower's row (a drizzle `set`). */
function followerChanges(message: InboundMessage, at: string): Record<string, unknown> {
  const set: Record<string, unknown> = { updatedAt: sql`now()` };
  if (message.kind === 'unsubscribe') {
    Object.assign(set, {
      subscribed: false,
      unsubscribedAt: sql`${at}::timestamptz`,
      // WeChat delivers nothing to someone who left; a follow opens a new quota.
      quotaKind: null,
      quotaLeft: 0,
      quotaExpiresAt: null,
    });
  } else {
    set.lastInteractionAt = sql`greatest(${followers.lastInteractionAt}, ${at}::timestamptz)`;
  }
  if (message.kind === 'subscribe') {
    Object.assign(set, {
      subscribed: true,
      subscribedAt: sql`${at}::timestamptz`,
      firstSubscribedAt: sql`coalesce(${followers.firstSubscribedAt}, ${at}::timestamptz)`,
      unsubscribedAt: null,
      subscribeScene: message.scene ? 'ADD_SCENE_QR_CODE' : sql`${followers.subscribeScene}`,
      qrScene: message.scene ?? sql`${followers.qrScene}`,
    });
  }
  const opens = quotaOf(message);
  if (opens) Object.assign(set, openQuotaSet(opens, at));
  return set;
}
