/**
 * What `{{…}}` placeholders render from at run time — one set of variables for every step
 * that renders (push, webhook, tag, profile): the follower as stored now, the journey's entry
 * event (payload flattened in, as rules see it) and the coupon issued earlier in the journey.
 * `{{params.x}}` was bound when the flow was published.
 */
import { buildEventFact, buildFollowerFact, type FollowerRecord } from '../../engine/rules/facts';
import { couponVars, type RenderVars } from '../../engine/render';
import type { Db } from '../../db/client';
import { loadFollowerRecord } from '../../services/followers/facts';
import type { IssuedCoupon, StepRef } from '../journey-types';

export async function journeyVars(
  db: Db,
  ref: StepRef,
  coupon: IssuedCoupon | null,
  follower?: FollowerRecord | null,
): Promise<RenderVars> {
  const record =
    follower === undefined ? await loadFollowerRecord(db, ref.context.followerId) : follower;
  return {
    follower: record ? buildFollowerFact(record) : {},
    coupon: couponVars(coupon),
    event: buildEventFact(ref.context.event),
  };
}
