/**
 * Acceptance 1 (cup QR): a signed subscribe with EventKey=qrscene_cup-2012 → tagged on WeChat,
 * one coupon, one customer-service message carrying its code, the VIP menu (trymatch); the same
 * callback delivered 3 times concurrently changes nothing more.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { couponCodes, journeySteps, messages } from '../../db/schema';
import { buildPush } from '../../wechat/sandbox/push';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
  await seedCupWorld(rt);
});
afterAll(() => rt?.close());

it('runs the cup-QR flow once for a QR follow, however often WeChat delivers it', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/valid/cup-qr-coupon-vip.json');
  await rt.running(async () => {
    const follow = await rt.control.follow(rt.brand.appId, 'o_cup_fan', { scene: 'cup-2012' });
    expect(follow.attempts.at(-1)?.body).toBe('success');

    await expect
      .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), {
        timeout: 30_000,
        interval: 200,
      })
      .toEqual(['completed']);

    // The same push, three times at once (WeChat's retries): nothing more happens.
    const again = buildPush(
      { token: rt.brand.token, appId: rt.brand.appId, mode: 'plaintext' },
      follow.fields,
    );
    const url = `${rt.callbackUrl}?${new URLSearchParams(again.query)}`;
    const replies = await Promise.all(
      [1, 2, 3].map(() => fetch(url, { method: 'POST', body: again.body })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    await new Promise((r) => setTimeout(r, 1_500));
  });

  const [journey] = await journeyRows(rt, flowId);
  expect(await journeyRows(rt, flowId)).toHaveLength(1);

  // One coupon…
  const issued = await rt.handle.db
    .select()
    .from(couponCodes)
    .where(eq(couponCodes.journeyId, journey!.id));
  expect(issued).toHaveLength(1);
  const code = issued[0]!.code;

  // …one customer-service message on WeChat, carrying that code.
  const sent = await rt.control.sentMessages(rt.brand.appId, 'o_cup_fan');
  expect(sent).toHaveLength(1);
  expect(sent[0]!.channel).toBe('customer_service');
  expect(JSON.stringify(sent[0]!.body)).toContain(code);
  const recorded = await rt.handle.db
    .select()
    .from(messages)
    .where(eq(messages.journeyId, journey!.id));
  expect(recorded.map((m) => [m.outcome, m.channel])).toEqual([['sent', 'customer_service']]);

  // Tagged on WeChat, and the follower sees the VIP menu.
  const fan = await rt.control.follower(rt.brand.appId, 'o_cup_fan');
  const tagNames = (await rt.control.account(rt.brand.appId)).tags
    .filter((t) => fan.tags.includes(t.id))
    .map((t) => t.name);
  expect(tagNames).toEqual(expect.arrayContaining(['cup_fan', 'vip', 'menu:vip-menu']));
  expect(JSON.stringify(fan.menu?.button)).toContain('VIP 专享');

  // Every step left its row.
  const steps = await rt.handle.db
    .select({ nodeId: journeySteps.nodeId, status: journeySteps.status })
    .from(journeySteps)
    .where(and(eq(journeySteps.journeyId, journey!.id)));
  expect(steps.map((s) => `${s.nodeId}:${s.status}`).sort()).toEqual(
    [
      'coupon:completed',
      'end:completed',
      'menu:completed',
      'push:completed',
      'tag:completed',
    ].sort(),
  );
});
