/**
 * Runs the published cup-QR flow for one follower through the WeChat sandbox (a QR follow
 * with a cup scene, signed and posted to /wechat/:brand by the sandbox) and reports what the
 * journey did. Needs the journey runtime (workflows/workflows/journey.ts).
 */
import { and, eq, sql } from 'drizzle-orm';
import { couponCodes, followers, followerTags, journeys } from '../../../db/schema';
import { SandboxControl } from '../../../wechat/sandbox/control';
import { brandId, testDb } from './db';
import { BASE_URL } from './editor';

export interface JourneyEffect {
  journeys: number;
  tags: string[];
  couponIssued: boolean;
  messages: string[];
}

export async function runCupScanJourney(
  slug: string,
  appId: string,
  flowId: string,
  timeoutMs = 90_000,
): Promise<JourneyEffect> {
  const port = process.env.WECHAT_SANDBOX_PORT;
  if (!port) throw new Error('WECHAT_SANDBOX_PORT is needed to reach the sandbox');
  const control = new SandboxControl(`http://127.0.0.1:${port}`);
  // Brands made after the stack started are not yet known to the sandbox.
  await control.registerAccount({
    appId,
    secret: '0123456789abcdef0123',
    token: 'e2etoken',
    mode: 'plaintext',
    callbackUrl: `${BASE_URL}/wechat/${slug}`,
  });
  const openid = `o_cup_${Date.now().toString(36)}`;
  const delivered = await control.follow(appId, openid, { scene: 'cup_2024' });
  if (!delivered.delivered) throw new Error('the sandbox could not deliver the follow callback');

  const { db } = testDb();
  const brand = await brandId(slug);
  const deadline = Date.now() + timeoutMs;
  let effect: JourneyEffect = { journeys: 0, tags: [], couponIssued: false, messages: [] };
  while (Date.now() < deadline) {
    const [follower] = await db
      .select({ id: followers.id })
      .from(followers)
      .where(and(eq(followers.brandId, brand), eq(followers.openid, openid)));
    if (follower) {
      const [count] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(journeys)
        .where(and(eq(journeys.flowId, flowId), eq(journeys.followerId, follower.id)));
      const tags = await db
        .select({ tag: followerTags.tag })
        .from(followerTags)
        .where(eq(followerTags.followerId, follower.id));
      const coupons = await db
        .select({ id: couponCodes.id })
        .from(couponCodes)
        .where(eq(couponCodes.followerId, follower.id));
      const sent = await control.sentMessages(appId, openid).catch(() => []);
      effect = {
        journeys: count?.n ?? 0,
        tags: tags.map((t) => t.tag),
        couponIssued: coupons.length > 0,
        messages: sent.map((m) => JSON.stringify(m)),
      };
      if (effect.couponIssued && effect.tags.includes('vip') && effect.messages.length > 0)
        return effect;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return effect;
}
