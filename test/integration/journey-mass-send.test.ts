/**
 * Issue 10, acceptance 5: an audience broadcast to 1,000 fans of whom 900 have no open quota
 * completes within the account's mass-send limits, each fan's outcome recorded; run twice the
 * same day it sends nothing twice. Real Temporal server, Postgres and the WeChat sandbox (its
 * `mass/send` filters fans over 4 a month and refuses a repeated clientmsgid with 45065).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followers, journeys, massSends, messages, sweeps } from '../../db/schema';
import { createWechatClients } from '../../services/wechat/clients';
import { validate } from '../../engine/validate/index';
import { massActivities } from '../../workflows/activities/mass';
import { dateSweep } from '../../workflows/workflows/date-sweep';
import { newFollower, openGrant } from '../../wechat/sandbox/state';
import { startRuntime, type Runtime } from '../support/runtime';

const FANS = 1000;
const OPEN = 100; // a recent message from the fan: 5 customer-service messages within 48 h
const AT_LIMIT = 20; // dormant fans who already received 4 mass messages this month

const openid = (i: number) => `o_mass_${String(i).padStart(4, '0')}`;
const hasOpenQuota = (i: number) => i < OPEN;
const atLimit = (i: number) => i >= OPEN && i < OPEN + AT_LIMIT;

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

/** The fans, on WeChat (the sandbox's state) and in our records, in bulk. */
async function seedFans() {
  const account = rt.sandbox.state.accounts.get(rt.brand.appId)!;
  const now = rt.sandbox.state.now();
  for (let i = 0; i < FANS; i++) {
    const f = newFollower(openid(i), now - 30 * 86_400_000);
    if (hasOpenQuota(i)) openGrant(account, f, 'message', now - 3_600_000);
    if (atLimit(i)) f.massReceived = [now, now, now, now];
    account.followers.set(f.openid, f);
  }
  const rows = await rt.handle.db
    .insert(followers)
    .values(
      Array.from({ length: FANS }, (_, i) => ({
        brandId: rt.brand.id,
        openid: openid(i),
        subscribed: true,
        tier: 'gold',
        ...(hasOpenQuota(i)
          ? {
              quotaKind: 'message' as const,
              quotaLeft: 5,
              quotaExpiresAt: new Date(Date.now() + 47 * 3_600_000),
            }
          : {}),
      })),
    )
    .returning({ id: followers.id, openid: followers.openid });
  // Our record of the 4 mass messages the fans at the limit received this month.
  const byOpenid = new Map(rows.map((r) => [r.openid, r.id]));
  await rt.handle.db.insert(messages).values(
    Array.from({ length: AT_LIMIT * 4 }, (_, k) => ({
      brandId: rt.brand.id,
      followerId: byOpenid.get(openid(OPEN + Math.floor(k / 4)))!,
      idempotencyKey: `earlier-mass:${k}`,
      channel: 'mass' as const,
      msgType: 'text',
      content: { type: 'text', text: `earlier ${k % 4}` },
      outcome: 'sent' as const,
      sentAt: new Date(),
    })),
  );
}

const sweep = () =>
  rt.running(() =>
    rt.temporal.workflow.execute(dateSweep, {
      taskQueue: rt.taskQueue,
      workflowId: `mass-sweep-${Math.random()}`,
      args: [{ brandId: rt.brand.id, now: Date.now() }],
    }),
  );

/** Every fan's recorded outcome of the broadcast's push: `outcome/channel/reason` → count. */
async function outcomes(flowId: string) {
  const rows = await rt.handle.db
    .select({
      outcome: messages.outcome,
      channel: messages.channel,
      reason: messages.reason,
      n: sql<number>`count(*)::int`,
    })
    .from(messages)
    .innerJoin(journeys, eq(journeys.id, messages.journeyId))
    .where(eq(journeys.flowId, flowId))
    .groupBy(messages.outcome, messages.channel, messages.reason);
  return Object.fromEntries(rows.map((r) => [`${r.outcome}/${r.channel}/${r.reason}`, r.n]));
}

describe('a broadcast to 1,000 fans, 900 of them dormant (real Temporal server)', () => {
  it('acceptance 5: customer service where a quota is open, one mass send for the rest within 4 a month; a second run sends nothing', async () => {
    await seedFans();
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'gold broadcast',
      settings: { timezone: 'Asia/Shanghai' },
      nodes: [
        {
          id: 'blast',
          kind: 'trigger.audience',
          config: {
            at: '2026-01-01T10:00:00',
            audience: {
              all: [{ fact: 'follower', path: '$.tier', operator: 'equal', value: 'gold' }],
            },
          },
        },
        {
          id: 'news',
          kind: 'action.push',
          config: { channel: 'auto', message: { type: 'text', text: '会员日：全场八折' } },
        },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [
        { id: 'e1', from: 'blast', to: 'news' },
        { id: 'e2', from: 'news', to: 'end' },
      ],
    };
    // No W_CS_WINDOW: without a quota the push goes out by mass send, it is not skipped.
    expect(validate(doc)).toEqual([]);
    const { flowId, versionId } = await rt.publish(doc);

    const first = await sweep();
    expect(first).toMatchObject({ entries: 1, entered: FANS });
    expect(first.massFailed).toBeUndefined();
    const journeyRows = await rt.handle.db
      .select({ status: journeys.status, n: sql<number>`count(*)::int` })
      .from(journeys)
      .where(eq(journeys.flowId, flowId))
      .groupBy(journeys.status);
    expect(journeyRows).toEqual([{ status: 'completed', n: FANS }]);

    // Every fan's outcome, with its channel and why.
    const dormant = FANS - OPEN - AT_LIMIT;
    expect(await outcomes(flowId)).toEqual({
      'sent/customer_service/null': OPEN,
      'sent/mass/quota_closed': dormant,
      'skipped/mass/mass_monthly_limit': AT_LIMIT,
    });

    // The flow's results count them too (services/analytics/counters.ts), mass sends included.
    const counted = await rt.handle.db.execute<{ metric: string; n: string }>(sql`
      select metric, sum(n)::text as n from flow_stats
       where flow_id = ${flowId} and node_id = 'news' and (metric like 'msg:%' or metric like 'skip:%')
       group by metric order by metric`);
    expect(Object.fromEntries(counted.map((r) => [r.metric, Number(r.n)]))).toEqual({
      'msg:sent': OPEN + dormant,
      'skip:mass_monthly_limit': AT_LIMIT,
    });

    // On WeChat: 100 customer-service messages, one mass send to the 880 others.
    const cs = await rt.control.calls({
      appId: rt.brand.appId,
      path: '/cgi-bin/message/custom/send',
    });
    expect(cs.map((c) => c.errcode)).toEqual(Array(OPEN).fill(0));
    const mass = await rt.control.mass(rt.brand.appId);
    expect(mass.sends).toHaveLength(1);
    const [send] = mass.sends;
    expect(send!.body).toMatchObject({ msgtype: 'text', text: { content: '会员日：全场八折' } });
    expect(send!.delivered).toHaveLength(dormant);
    expect(send!.filtered).toEqual([]);
    expect(new Set(send!.delivered)).toEqual(
      new Set(
        Array.from({ length: FANS }, (_, i) => i)
          .filter((i) => !hasOpenQuota(i) && !atLimit(i))
          .map(openid),
      ),
    );
    // Nobody over WeChat's 4 a month; the fans at the limit still at 4.
    expect(Math.max(...Object.values(mass.receivedThisMonth))).toBe(4);
    expect(mass.receivedThisMonth[openid(OPEN)]).toBe(4);
    expect(mass.receivedThisMonth[openid(FANS - 1)]).toBe(1);
    expect(mass.receivedThisMonth[openid(0)]).toBeUndefined();

    // Our record of the send, and WeChat's job report on it (MASSSENDJOBFINISH, via the callback).
    await expect
      .poll(
        async () =>
          (
            await rt.handle.db.select().from(massSends).where(eq(massSends.brandId, rt.brand.id))
          ).map((s) => [s.status, s.msgId, s.recipients, s.sentCount, s.filterCount]),
        { timeout: 15_000, interval: 200 },
      )
      .toEqual([['finished', send!.msgId, dormant, dormant, 0]]);

    // Run twice the same day: the progress record gone, the broadcast is swept again.
    await rt.handle.db.delete(sweeps).where(eq(sweeps.flowVersionId, versionId));
    const second = await sweep();
    expect(second).toMatchObject({ entries: 1, entered: 0 });
    expect(
      await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/message/custom/send' }),
    ).toHaveLength(OPEN);
    expect((await rt.control.mass(rt.brand.appId)).sends).toHaveLength(1);

    // Even a chunk our records lost the answer to is not delivered twice: WeChat refuses the
    // same clientmsgid (45065) and the fans stay recorded once.
    const [sent] = await rt.handle.db
      .select()
      .from(massSends)
      .where(eq(massSends.brandId, rt.brand.id));
    await rt.handle.db
      .update(massSends)
      .set({ status: 'sending', msgId: null })
      .where(eq(massSends.id, sent!.id));
    await rt.handle.db
      .update(messages)
      .set({ outcome: 'deferred', sentAt: null })
      .where(and(eq(messages.massSendId, sent!.id)));
    const again = await massActivities({
      db: rt.handle.db,
      wechat: createWechatClients({ db: rt.handle.db, box: rt.box }),
    }).sendMassBatches({ brandId: rt.brand.id });
    expect(again).toEqual({ sent: 0, fans: { sent: dormant, skipped: 0, failed: 0 } });
    const massCalls = await rt.control.calls({
      appId: rt.brand.appId,
      path: '/cgi-bin/message/mass/send',
    });
    expect(massCalls.map((c) => c.errcode)).toEqual([0, 45065]);
    expect((await rt.control.mass(rt.brand.appId)).sends).toHaveLength(1);
    const [resent] = await rt.handle.db.select().from(massSends).where(eq(massSends.id, sent!.id));
    expect(resent).toMatchObject({
      status: 'sent',
      errcode: 45065,
      reason: 'duplicate_clientmsgid',
    });
    expect(
      await rt.handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(messages)
        .where(and(inArray(messages.massSendId, [sent!.id]), eq(messages.outcome, 'sent'))),
    ).toEqual([{ n: dormant }]);
  }, 300_000);
});
