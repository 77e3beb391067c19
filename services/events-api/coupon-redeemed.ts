/**
 * `coupon_redeemed` through the events API: the brand's till reports a code redeemed (with the
 * order and the store). In one transaction the code is marked redeemed — once: a second report
 * of the same code is refused with 409 E_ALREADY_REDEEMED and changes nothing — the redemption
 * is stored as the custom event `coupon_redeemed` of the fan the code was issued to (so a flow
 * may take it as its goal, `{"type": "custom", "name": "coupon_redeemed"}`, or as a trigger),
 * and it is credited: a conversion of the journey that issued the code (counted once, with the
 * flow's results) and a redemption of the QR channel the fan came by (their first touch).
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { couponCodes, couponPools, followers } from '../../db/schema';
import { bumpChannel, convertJourney, firstTouchScene } from '../analytics/counters';
import { recordEvent } from '../events/outbox';
import { when } from './bounds';

export const CouponRedeemedEvent = z.strictObject({
  type: z.literal('coupon_redeemed'),
  code: z.string().min(1).max(128),
  orderId: z.string().min(1).max(128),
  store: z.string().min(1).max(128).optional(),
  /** When given, the fan the code must have been issued to. */
  openid: z.string().min(1).max(64).optional(),
  /** When two pools hold the same code: the pool's name. */
  pool: z.string().min(1).max(128).optional(),
  occurredAt: when,
});
export type CouponRedeemedEvent = z.infer<typeof CouponRedeemedEvent>;

export type Redemption =
  | {
      ok: true;
      eventId: string;
      code: string;
      journeyId: string | null;
      /** True when this redemption converted the journey now (not converted before). */
      converted: boolean;
    }
  | {
      ok: false;
      status: 404 | 409;
      code: string;
      message: string;
      extra?: Record<string, unknown>;
    };

export async function redeemCoupon(
  db: Db,
  brandId: string,
  event: CouponRedeemedEvent,
  occurredAt: Date,
): Promise<Redemption> {
  return db.transaction(async (tx): Promise<Redemption> => {
    const found = await tx
      .select({
        id: couponCodes.id,
        poolId: couponCodes.poolId,
        pool: couponPools.name,
        status: couponCodes.status,
        followerId: couponCodes.followerId,
        journeyId: couponCodes.journeyId,
        redeemedAt: couponCodes.redeemedAt,
        redeemedOrderId: couponCodes.redeemedOrderId,
        openid: followers.openid,
      })
      .from(couponCodes)
      .innerJoin(couponPools, eq(couponPools.id, couponCodes.poolId))
      .leftJoin(followers, eq(followers.id, couponCodes.followerId))
      .where(
        and(
          eq(couponPools.brandId, brandId),
          eq(couponCodes.code, event.code),
          event.pool ? eq(couponPools.name, event.pool) : undefined,
        ),
      )
      .for('update', { of: couponCodes });
    if (found.length === 0)
      return {
        ok: false,
        status: 404,
        code: 'E_UNKNOWN_CODE',
        message: `No coupon pool of this brand holds the code "${event.code}"${event.pool ? ` in "${event.pool}"` : ''}.`,
      };
    if (found.length > 1)
      return {
        ok: false,
        status: 409,
        code: 'E_AMBIGUOUS_CODE',
        message: `The code "${event.code}" is in several pools (${found.map((f) => f.pool).join(', ')}): name the pool with "pool".`,
      };
    const c = found[0]!;
    if (c.status === 'redeemed')
      return {
        ok: false,
        status: 409,
        code: 'E_ALREADY_REDEEMED',
        message: `The code "${event.code}" was already redeemed at ${c.redeemedAt?.toISOString() ?? 'an unknown time'}${c.redeemedOrderId ? ` (order ${c.redeemedOrderId})` : ''}; nothing was changed.`,
        extra: { redeemedAt: c.redeemedAt?.toISOString() ?? null, orderId: c.redeemedOrderId },
      };
    if (c.status !== 'issued' || !c.followerId || !c.openid)
      return {
        ok: false,
        status: 409,
        code: 'E_NOT_ISSUED',
        message: `The code "${event.code}" was never issued to a follower, so it cannot be redeemed.`,
      };
    if (event.openid && event.openid !== c.openid)
      return {
        ok: false,
        status: 409,
        code: 'E_CODE_OWNER',
        message: `The code "${event.code}" was issued to another follower than ${event.openid}.`,
      };

    await tx
      .update(couponCodes)
      .set({
        status: 'redeemed',
        redeemedAt: occurredAt,
        redeemedOrderId: event.orderId,
        redeemedStore: event.store ?? null,
      })
      .where(eq(couponCodes.id, c.id));
    const recorded = await recordEvent(
      tx,
      {
        brandId,
        followerId: c.followerId,
        openid: c.openid,
        type: 'custom',
        name: 'coupon_redeemed',
        dedupeKey: `coupon_redeemed:${c.poolId}:${event.code}`,
        payload: {
          name: 'coupon_redeemed',
          properties: {
            code: event.code,
            pool: c.pool,
            orderId: event.orderId,
            ...(event.store ? { store: event.store } : {}),
          },
        },
        occurredAt,
      },
      { notify: 'caller' },
    );
    const converted =
      !recorded.duplicate && c.journeyId
        ? await convertJourney(tx, c.journeyId, { eventId: recorded.id, occurredAt })
        : false;
    const scene = await firstTouchScene(tx, c.followerId);
    if (scene) await bumpChannel(tx, brandId, scene, 'coupon_redeemed');
    return { ok: true, eventId: recorded.id, code: event.code, journeyId: c.journeyId, converted };
  });
}
