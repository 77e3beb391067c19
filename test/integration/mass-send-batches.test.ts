/**
 * The mass-send step on its own (activities/mass.ts), against Postgres and the WeChat sandbox:
 * every waiting fan ends with an outcome and a reason — those who left, those alone with their
 * content, a refusal from WeChat — and a busy WeChat leaves the chunk to be sent again with the
 * same clientmsgid.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followers, massSends, messages } from '../../db/schema';
import { createWechatClients } from '../../services/wechat/clients';
import { massActivities, massBatchKey } from '../../workflows/activities/mass';
import { newFollower } from '../../wechat/sandbox/state';
import { startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

/** The batches of these brands (default: the runtime's). */
const flush = (brandIds: string[] = [rt.brand.id]) =>
  massActivities({
    db: rt.handle.db,
    wechat: createWechatClients({ db: rt.handle.db, box: rt.box }),
  }).sendMassBatches({ brandIds });

/** A fan on WeChat and in our records, waiting in `batch` with `text`. */
async function waiting(
  openid: string,
  batch: string,
  text: string,
  subscribed = true,
  brand: { id: string; appId: string } = rt.brand,
) {
  const account = rt.sandbox.state.accounts.get(brand.appId)!;
  const f = newFollower(openid, rt.sandbox.state.now());
  f.subscribed = subscribed;
  account.followers.set(openid, f);
  const [row] = await rt.handle.db
    .insert(followers)
    .values({ brandId: brand.id, openid, subscribed })
    .returning({ id: followers.id });
  await rt.handle.db.insert(messages).values({
    brandId: brand.id,
    followerId: row!.id,
    idempotencyKey: `test:${batch}:${openid}`,
    channel: 'mass',
    msgType: 'text',
    content: { type: 'text', text },
    outcome: 'deferred',
    reason: 'quota_closed',
    massBatch: batch,
  });
}

const outcomes = async (batch: string) =>
  (
    await rt.handle.db
      .select()
      .from(messages)
      .where(eq(messages.massBatch, batch))
      .orderBy(asc(messages.idempotencyKey))
  ).map((m) => [m.idempotencyKey.split(':').at(-1), m.outcome, m.reason, m.errcode]);

describe('sending mass-send batches', () => {
  it('records who left, who was alone with their content, and sends the rest in one list', async () => {
    const batch = massBatchKey('flow-a', 'news', '2026-11-29');
    await waiting('o_a1', batch, '你好 A');
    await waiting('o_a2', batch, '你好 A');
    await waiting('o_a3', batch, '你好 A', false);
    await waiting('o_b1', batch, '你好 B');
    expect(await flush()).toEqual({ sent: 1, fans: { sent: 2, skipped: 2, failed: 0 } });
    expect(await outcomes(batch)).toEqual([
      ['o_a1', 'sent', 'quota_closed', null],
      ['o_a2', 'sent', 'quota_closed', null],
      ['o_a3', 'skipped', 'unfollowed', null],
      ['o_b1', 'skipped', 'mass_single_recipient', null],
    ]);
    const { sends } = await rt.control.mass(rt.brand.appId);
    expect(sends.map((s) => [s.delivered, s.body.text])).toEqual([
      [['o_a1', 'o_a2'], { content: '你好 A' }],
    ]);
    // Nothing left to send.
    expect(await flush()).toEqual({ sent: 0, fans: { sent: 0, skipped: 0, failed: 0 } });
  });

  it('counts a list about to be sent toward the 4 a month: two batches at once give a fan at 3 only one', async () => {
    const first = massBatchKey('flow-m', 'one', '2026-11-29');
    const second = massBatchKey('flow-m', 'two', '2026-11-29');
    for (const [b, name] of [
      [first, 'one'],
      [second, 'two'],
    ] as const) {
      await waiting(`o_${name}_a`, b, b);
      await waiting(`o_${name}_b`, b, b);
    }
    // one fan in both batches, 3 mass messages already this month
    const account = rt.sandbox.state.accounts.get(rt.brand.appId)!;
    const fan = newFollower('o_three', rt.sandbox.state.now());
    fan.massReceived = [1, 2, 3].map(() => rt.sandbox.state.now());
    account.followers.set('o_three', fan);
    const [row] = await rt.handle.db
      .insert(followers)
      .values({ brandId: rt.brand.id, openid: 'o_three', subscribed: true })
      .returning({ id: followers.id });
    const rows: [number, string][] = [
      [0, 'earlier'],
      [1, 'earlier'],
      [2, 'earlier'],
      [3, first],
      [4, second],
    ];
    for (const [k, b] of rows)
      await rt.handle.db.insert(messages).values({
        brandId: rt.brand.id,
        followerId: row!.id,
        idempotencyKey: `three:${k}:o_three`,
        channel: 'mass',
        msgType: 'text',
        content: { type: 'text', text: b },
        ...(b === 'earlier'
          ? { outcome: 'sent' as const, sentAt: new Date() }
          : { outcome: 'deferred' as const, reason: 'quota_closed', massBatch: b }),
      });
    expect(await flush()).toEqual({ sent: 2, fans: { sent: 5, skipped: 1, failed: 0 } });
    const got = [...(await outcomes(first)), ...(await outcomes(second))].filter(
      (o) => o[0] === 'o_three',
    );
    expect(got.map((o) => `${o[1]}/${o[2]}`).sort()).toEqual([
      'sent/quota_closed',
      'skipped/mass_monthly_limit',
    ]);
    expect((await rt.control.mass(rt.brand.appId)).receivedThisMonth['o_three']).toBe(4);
  });

  it('a busy WeChat (45009) leaves the list to be sent again, same clientmsgid; a refusal is recorded per fan', async () => {
    const busy = massBatchKey('flow-b', 'news', '2026-11-29');
    await waiting('o_c1', busy, '周末活动');
    await waiting('o_c2', busy, '周末活动');
    await rt.control.injectFault({
      path: '/cgi-bin/message/mass/send',
      appId: rt.brand.appId,
      errcode: 45009,
      count: 10,
    });
    // Another brand's batch goes out meanwhile: one account's trouble holds back no other.
    const other = await rt.addBrand('mass-other');
    const elsewhere = massBatchKey('flow-x', 'news', '2026-11-29');
    await waiting('o_x1', elsewhere, '别家', true, other);
    await waiting('o_x2', elsewhere, '别家', true, other);
    await expect(flush([rt.brand.id, other.id])).rejects.toThrow(/45009/);
    expect(await outcomes(elsewhere)).toEqual([
      ['o_x1', 'sent', 'quota_closed', null],
      ['o_x2', 'sent', 'quota_closed', null],
    ]);
    await rt.control.clearFaults();
    const [recorded] = await rt.handle.db.select().from(massSends).where(eq(massSends.batch, busy));
    expect(recorded).toMatchObject({ status: 'sending', recipients: 2 });
    expect(await flush()).toEqual({ sent: 1, fans: { sent: 2, skipped: 0, failed: 0 } });
    const calls = await rt.control.calls({
      appId: rt.brand.appId,
      path: '/cgi-bin/message/mass/send',
    });
    const ids = calls
      .filter((c) => (c.body as { touser: string[] }).touser.includes('o_c1'))
      .map((c) => (c.body as { clientmsgid: string }).clientmsgid);
    expect(new Set(ids)).toEqual(new Set([recorded!.clientMsgId]));

    const refused = massBatchKey('flow-c', 'news', '2026-11-29');
    await waiting('o_d1', refused, '新品');
    await waiting('o_d2', refused, '新品');
    await rt.control.injectFault({
      path: '/cgi-bin/message/mass/send',
      appId: rt.brand.appId,
      errcode: 48001,
      errmsg: 'api unauthorized',
    });
    expect(await flush()).toEqual({ sent: 0, fans: { sent: 0, skipped: 0, failed: 2 } });
    expect(await outcomes(refused)).toEqual([
      ['o_d1', 'failed', 'mass_refused', 48001],
      ['o_d2', 'failed', 'mass_refused', 48001],
    ]);
  });
});
