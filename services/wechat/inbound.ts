/**
 * What a WeChat push does to our records: the follower row (follow state, last interaction,
 * the customer-service quota) and the stored event, in one transaction, once. A retried
 * push finds its event by the dedupe key and changes nothing.
 */
import { sql } from 'drizzle-orm';
import type { StoredEventInput } from '../../engine/events';
import { quotaOpenedBy } from '../../engine/quota';
import type { InboundMessage } from '../../wechat/messages';
import { dedupeKey, eventName } from '../../wechat/messages';
import { recordEvent, type RecordedEvent, type RecordOptions, type Tx } from '../events/outbox';
import { openQuotaSet, upsertFollower } from '../followers/store';
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

export async function applyInbound(
  tx: Tx,
  brandId: string,
  message: InboundMessage,
  options: RecordOptions = {},
): Promise<RecordedEvent & { followerId: string }> {
  const openid = message.fromUserName;
  const at = new Date(message.createTime * 1000).toISOString();
  // Locks the follower's row, so concurrent deliveries of one push serialise on it.
  const row = await upsertFollower(tx, brandId, openid);
  const followerId = row.id;
  const body = eventOf(message);
  if (body.type === 'follow') body.payload.firstTime = row.firstSubscribedAt == null;

  const recorded = await recordEvent(
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
  );
  if (recorded.duplicate) return { ...recorded, followerId };

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
  await tx
    .update(followers)
    .set(set)
    .where(sql`${followers.id} = ${followerId}`);
  return { ...recorded, followerId };
}
