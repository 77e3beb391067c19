/**
 * The runtime does what validation accepted (issue 8, items 1–3), on the real Temporal server,
 * Postgres and the WeChat sandbox:
 * - `{{…}}` placeholders in tag names and profile values are rendered; a rendered tag name
 *   WeChat would refuse is not applied and the step says which and why;
 * - a custom event's `where` rules hold in exitOn, goal and wait.event as at entry;
 * - a goal reached after the journey ended (within `within` of entry) is its conversion.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../services/events/outbox';
import { events, followers, journeySteps } from '../../db/schema';
import { followerTagNames } from '../../workflows/activities/tags';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

const node = (id: string, kind: string, config?: unknown) => ({
  id,
  kind,
  ...(config ? { config } : {}),
});
const edge = (from: string, to: string, port = 'next') => ({
  id: `${from}-${port}`,
  from,
  port,
  to,
});
const flow = (
  name: string,
  settings: Record<string, unknown>,
  nodes: unknown[],
  edges: unknown[],
) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: { timezone: 'Asia/Shanghai', exitOn: [], goal: null, ...settings },
  nodes,
  edges,
});

async function fanOf(rt: Runtime, openid: string) {
  const [fan] = await rt.handle.db
    .select()
    .from(followers)
    .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, openid)));
  return fan!;
}

/** Tag names the sandbox (WeChat) shows on a follower. */
async function wechatTags(rt: Runtime, openid: string): Promise<string[]> {
  const fan = await rt.control.follower(rt.brand.appId, openid);
  const { tags } = await rt.control.account(rt.brand.appId);
  return tags
    .filter((t) => fan.tags.includes(t.id))
    .map((t) => t.name)
    .sort();
}

const statuses = async (rt: Runtime, flowId: string) =>
  (await journeyRows(rt, flowId)).map((j) => `${j.status}:${j.exitReason ?? ''}`).sort();

describe('placeholders in tags and profile values', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(() => rt?.close());

  it('the shipped channel-QR fixture tags by channel and records the very scene', async () => {
    const { flowId } = await rt.publish('test/fixtures/flows/valid/channel-qr-source.json');
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_store_fan', { scene: 'store_42' });
      await rt.control.follow(rt.brand.appId, 'o_kol_fan', { scene: 'kol_lily' });
      await expect
        .poll(() => statuses(rt, flowId), { timeout: 30_000, interval: 200 })
        .toEqual(['completed:', 'completed:']);
    });
    expect(await wechatTags(rt, 'o_store_fan')).toEqual(['src_store']);
    expect(await wechatTags(rt, 'o_kol_fan')).toEqual(['src_kol']);
    expect((await fanOf(rt, 'o_store_fan')).attributes).toMatchObject({ source: 'store_42' });
    expect((await fanOf(rt, 'o_kol_fan')).attributes).toMatchObject({ source: 'kol_lily' });
  });

  it('renders tag names at run time, and refuses one WeChat would refuse, saying why', async () => {
    const { flowId } = await rt.publish(
      flow(
        'tag by scene',
        { entry: { reentry: 'always' } },
        [
          node('scan', 'trigger.qr_scan', { scenes: ['cup-*', 'long-*'] }),
          node('tag', 'action.tag', { add: ['src_{{event.scene}}', 'scanned'] }),
          node('profile', 'action.update_profile', {
            set: { city: '{{event.scene}}', attributes: { via: 'scan {{event.scene}}' } },
            tier: '{{event.scene}}-tier',
          }),
          node('end', 'flow.end'),
        ],
        [edge('scan', 'tag'), edge('tag', 'profile'), edge('profile', 'end')],
      ),
    );
    const longScene = `long-${'x'.repeat(30)}`;
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_cup', { scene: 'cup-2012' });
      await rt.control.follow(rt.brand.appId, 'o_long', { scene: longScene });
      await expect
        .poll(() => statuses(rt, flowId), { timeout: 30_000, interval: 200 })
        .toEqual(['completed:', 'completed:']);
    });
    expect(await wechatTags(rt, 'o_cup')).toEqual(['scanned', 'src_cup-2012']);
    expect(await followerTagNames(rt.handle.db, (await fanOf(rt, 'o_cup')).id)).toEqual([
      'scanned',
      'src_cup-2012',
    ]);
    expect(await fanOf(rt, 'o_cup')).toMatchObject({
      city: 'cup-2012',
      tier: 'cup-2012-tier',
      attributes: { via: 'scan cup-2012' },
    });

    // 4 + 35 bytes: not sent to WeChat; the other tag is applied and the journey goes on.
    expect(await wechatTags(rt, 'o_long')).toEqual(['scanned']);
    const longFan = await fanOf(rt, 'o_long');
    expect(longFan.attributes).toMatchObject({ via: `scan ${longScene}` });
    const [journey] = (await journeyRows(rt, flowId)).filter((j) => j.followerId === longFan.id);
    const [step] = await rt.handle.db
      .select()
      .from(journeySteps)
      .where(and(eq(journeySteps.journeyId, journey!.id), eq(journeySteps.nodeId, 'tag')));
    expect(step).toMatchObject({
      status: 'completed',
      reason: 'tag_refused',
      output: {
        add: ['scanned'],
        refused: [{ tag: 'src_{{event.scene}}', name: `src_${longScene}`, reason: 'too_long' }],
      },
    });
  });
  it('records a placeholder tag WeChat refuses (the account is full) and goes on', async () => {
    const { flowId } = await rt.publish(
      flow(
        'tag by scene, account full',
        { entry: { reentry: 'always' } },
        [
          node('scan', 'trigger.qr_scan', { scenes: ['full-*'] }),
          node('tag', 'action.tag', { add: ['src_{{event.scene}}', 'scanned'] }),
          node('end', 'flow.end'),
        ],
        [edge('scan', 'tag'), edge('tag', 'end')],
      ),
    );
    // WeChat's 100 tags, reached: no new tag can be made (45056); 'scanned' exists already.
    const { tags } = await rt.control.account(rt.brand.appId);
    await rt.control.registerAccount({
      appId: rt.brand.appId,
      secret: rt.brand.secret,
      token: rt.brand.token,
      callbackUrl: rt.callbackUrl,
      limits: { tagsPerAccount: tags.length },
    });
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_full', { scene: 'full-1' });
      await expect
        .poll(() => statuses(rt, flowId), { timeout: 30_000, interval: 200 })
        .toEqual(['completed:']);
    });
    expect(await wechatTags(rt, 'o_full')).toEqual(['scanned']);
    const [journey] = await journeyRows(rt, flowId);
    const [step] = await rt.handle.db
      .select()
      .from(journeySteps)
      .where(and(eq(journeySteps.journeyId, journey!.id), eq(journeySteps.nodeId, 'tag')));
    expect(step).toMatchObject({
      status: 'completed',
      reason: 'tag_refused',
      output: {
        add: ['scanned'],
        refused: [{ tag: 'src_{{event.scene}}', name: 'src_full-1', reason: 'wechat_45056' }],
      },
    });
  });
});

describe("a custom event's where rules, after entry", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(() => rt?.close());

  const isPro = { all: [{ fact: 'event', path: '$.plan', operator: 'equal', value: 'pro' }] };
  const custom = async (openid: string, name: string, plan: string) =>
    recordEvent(rt.handle.db, {
      brandId: rt.brand.id,
      followerId: (await fanOf(rt, openid)).id,
      openid,
      type: 'custom',
      name,
      dedupeKey: `${name}:${plan}:${openid}`,
      payload: { properties: { plan } },
    });

  it('exitOn, goal and wait.event hear only the events their rules accept', async () => {
    const waitDay = node('wait', 'wait.delay', { duration: '1d' });
    const exits = await rt.publish(
      flow(
        'exit on a pro cancel',
        { exitOn: [{ type: 'custom', name: 'cancel', where: isPro }] },
        [node('follow', 'trigger.follow'), waitDay, node('end', 'flow.end')],
        [edge('follow', 'wait'), edge('wait', 'end')],
      ),
    );
    const goals = await rt.publish(
      flow(
        'goal: a pro upgrade',
        { goal: { event: { type: 'custom', name: 'upgrade', where: isPro }, within: '7d' } },
        [node('follow', 'trigger.follow'), waitDay, node('end', 'flow.end')],
        [edge('follow', 'wait'), edge('wait', 'end')],
      ),
    );
    const waits = await rt.publish(
      flow(
        'wait for a pro signup',
        {},
        [
          node('follow', 'trigger.follow'),
          node('wait', 'wait.event', {
            event: { type: 'custom', name: 'signup', where: isPro },
            timeout: '1d',
          }),
          node('pro', 'action.tag', { add: ['pro-signup'] }),
          node('end', 'flow.end'),
          node('late', 'flow.end'),
        ],
        [
          edge('follow', 'wait'),
          edge('wait', 'pro', 'matched'),
          edge('pro', 'end'),
          edge('wait', 'late', 'timeout'),
        ],
      ),
    );
    const current = async (flowId: string) =>
      (await journeyRows(rt, flowId)).map((j) => `${j.status}:${j.currentStep}`);

    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_where');
      for (const { flowId } of [exits, goals, waits]) {
        await expect
          .poll(() => current(flowId), { timeout: 20_000, interval: 200 })
          .toEqual(['active:wait']);
      }
      // The same names, but the rules say no: nothing happens.
      await custom('o_where', 'cancel', 'free');
      await custom('o_where', 'upgrade', 'free');
      await custom('o_where', 'signup', 'free');
      await expect
        .poll(
          async () =>
            (await rt.handle.db.select().from(events).where(eq(events.brandId, rt.brand.id))).every(
              (e) => e.dispatchedAt !== null,
            ),
          { timeout: 10_000 },
        )
        .toBe(true);
      await new Promise((r) => setTimeout(r, 1_500));
      for (const { flowId } of [exits, goals, waits])
        expect(await current(flowId)).toEqual(['active:wait']);

      // The rules say yes.
      await custom('o_where', 'cancel', 'pro');
      await custom('o_where', 'upgrade', 'pro');
      await custom('o_where', 'signup', 'pro');
      await expect
        .poll(
          async () => [
            ...(await statuses(rt, exits.flowId)),
            ...(await statuses(rt, goals.flowId)),
            ...(await statuses(rt, waits.flowId)),
          ],
          { timeout: 20_000, interval: 200 },
        )
        .toEqual(['exited:exit_event', 'converted:goal', 'completed:']);
    });
    const [converted] = await journeyRows(rt, goals.flowId);
    expect(converted!.convertedAt).not.toBeNull();
    expect(await followerTagNames(rt.handle.db, (await fanOf(rt, 'o_where')).id)).toEqual([
      'pro-signup',
    ]);
  });
});

describe('a goal reached after the journey ended', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(() => rt?.close());

  const purchase = async (openid: string, orderId: string, amount: number, occurredAt?: Date) =>
    recordEvent(rt.handle.db, {
      brandId: rt.brand.id,
      followerId: (await fanOf(rt, openid)).id,
      openid,
      type: 'purchase',
      dedupeKey: `purchase:${orderId}`,
      payload: { orderId, amount, items: [] },
      ...(occurredAt ? { occurredAt } : {}),
    });
  const dispatched = () =>
    expect
      .poll(
        async () =>
          (await rt.handle.db.select().from(events).where(eq(events.brandId, rt.brand.id))).every(
            (e) => e.dispatchedAt !== null,
          ),
        { timeout: 10_000 },
      )
      .toBe(true);

  it('counts within the window as the journey’s conversion, without restarting it', async () => {
    // The push is the last step: before, such a flow could never convert.
    const { flowId } = await rt.publish(
      flow(
        'welcome, then see who buys',
        { goal: { event: { type: 'purchase', minAmount: 50 }, within: '7d' } },
        [
          node('follow', 'trigger.follow'),
          node('push', 'action.push', { message: { type: 'text', text: '欢迎！' } }),
          node('end', 'flow.end'),
        ],
        [edge('follow', 'push'), edge('push', 'end')],
      ),
    );
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_buyer');
      await expect
        .poll(() => statuses(rt, flowId), { timeout: 20_000, interval: 200 })
        .toEqual(['completed:']);

      await purchase('o_buyer', 'small', 20); // below minAmount: not the goal
      await purchase('o_buyer', 'later', 99, new Date(Date.now() + 8 * 86_400_000)); // after 7d
      await dispatched();
      expect((await journeyRows(rt, flowId))[0]!.convertedAt).toBeNull();

      const big = await purchase('o_buyer', 'big', 88);
      await purchase('o_buyer', 'again', 120);
      await dispatched();
      const rows = await journeyRows(rt, flowId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'completed',
        exitReason: null,
        conversionEventId: BigInt(big.id),
      });
      expect(rows[0]!.convertedAt).not.toBeNull();
    });
    expect(await rt.control.sentMessages(rt.brand.appId, 'o_buyer')).toHaveLength(1);
  });

  it('never counts the entering event, replayed by the outbox, as the goal', async () => {
    const buyAgain = (reentry: string) =>
      flow(
        `buy again (${reentry})`,
        {
          entry: { reentry },
          goal: { event: { type: 'purchase' }, within: '30d' },
        },
        [node('buy', 'trigger.purchase'), node('end', 'flow.end')],
        [edge('buy', 'end')],
      );
    const always = await rt.publish(buyAgain('always'));
    const once = await rt.publish(buyAgain('once'));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_regular');
      const first = await purchase('o_regular', 'first', 30);
      for (const { flowId } of [always, once]) {
        await expect
          .poll(() => statuses(rt, flowId), { timeout: 20_000, interval: 200 })
          .toEqual(['completed:']);
      }
      // The dispatcher crashed before marking the purchase dispatched: it routes it again.
      await rt.handle.db
        .update(events)
        .set({ dispatchedAt: null })
        .where(eq(events.id, BigInt(first.id)));
      await dispatched();
      for (const { flowId } of [always, once])
        expect((await journeyRows(rt, flowId)).map((j) => j.convertedAt)).toEqual([null]);

      const second = await purchase('o_regular', 'second', 30);
      await expect
        .poll(async () => (await journeyRows(rt, always.flowId)).length, { timeout: 20_000 })
        .toBe(2);
      await dispatched();
      for (const { flowId } of [always, once]) {
        const rows = await journeyRows(rt, flowId);
        const firstJourney = rows.find((j) => j.entryKey === first.id || j.entryKey === 'once');
        expect(firstJourney?.conversionEventId).toBe(BigInt(second.id));
        // The journey the second purchase entered is not converted by it.
        for (const j of rows.filter((r) => r !== firstJourney)) expect(j.convertedAt).toBeNull();
      }
    });
  });
});
