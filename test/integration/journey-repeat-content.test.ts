/**
 * Issue 10, "never the same content three days running": a push whose rendered content the
 * follower received on each of the two days before (in the brand's zone) is skipped with
 * `repeat_content`; after one such day it goes out. Real Temporal, Postgres and the sandbox.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followers, messages } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

const TEXT = '记得今天来签到';

const doc = {
  format: 'fanfare.flow/v1',
  name: 'check-in reminder',
  settings: {
    timezone: 'Asia/Shanghai',
    entry: { reentry: 'always' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'start', kind: 'trigger.keyword', config: { keywords: ['签到'] } },
    { id: 'remind', kind: 'action.push', config: { message: { type: 'text', text: TEXT } } },
  ],
  edges: [{ id: 'e1', from: 'start', port: 'next', to: 'remind' }],
};

describe('the same content three days running (real Temporal server)', () => {
  let rt: Runtime;
  let flowId: string;
  beforeAll(async () => {
    rt = await startRuntime();
    ({ flowId } = await rt.publish(doc));
  });
  afterAll(() => rt?.close());

  /** This follower was sent TEXT at noon (brand zone) on each of these days before today. */
  async function sentBefore(openid: string, daysAgo: number[]) {
    const [fan] = await rt.handle.db
      .select({ id: followers.id })
      .from(followers)
      .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, openid)));
    for (const d of daysAgo) {
      await rt.handle.db.insert(messages).values({
        brandId: rt.brand.id,
        followerId: fan!.id,
        idempotencyKey: `earlier:${openid}:${d}`,
        channel: 'customer_service',
        msgType: 'text',
        content: { type: 'text', text: TEXT },
        outcome: 'sent',
        sentAt: sql`(date_trunc('day', now() at time zone 'Asia/Shanghai') - ${d} * interval '1 day' + interval '12 hours') at time zone 'Asia/Shanghai'`,
      });
    }
  }

  const outcomes = async () => {
    const ids = (await journeyRows(rt, flowId)).map((j) => j.id);
    const rows = await rt.handle.db
      .select({
        followerId: messages.followerId,
        outcome: messages.outcome,
        reason: messages.reason,
      })
      .from(messages)
      .where(inArray(messages.journeyId, ids))
      .orderBy(asc(messages.id));
    const fans = await rt.handle.db
      .select({ id: followers.id, openid: followers.openid })
      .from(followers)
      .where(eq(followers.brandId, rt.brand.id));
    const openidOf = new Map(fans.map((f) => [f.id, f.openid]));
    return rows.map((r) => [openidOf.get(r.followerId!), r.outcome, r.reason]);
  };

  it('skips a third day running with repeat_content; after one day it goes out', async () => {
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_twice');
      await rt.control.follow(rt.brand.appId, 'o_once');
      await expect
        .poll(
          async () =>
            (
              await rt.handle.db
                .select({ id: followers.id })
                .from(followers)
                .where(eq(followers.brandId, rt.brand.id))
            ).length,
          { timeout: 15_000 },
        )
        .toBe(2);
      await sentBefore('o_twice', [1, 2]);
      await sentBefore('o_once', [1]);
      await rt.control.text(rt.brand.appId, 'o_twice', '签到');
      await rt.control.text(rt.brand.appId, 'o_once', '签到');
      await expect
        .poll(
          async () =>
            (await journeyRows(rt, flowId)).filter((j) => j.status === 'completed').length,
          { timeout: 30_000, interval: 200 },
        )
        .toBe(2);
    });
    expect((await outcomes()).sort()).toEqual([
      ['o_once', 'sent', null],
      ['o_twice', 'skipped', 'repeat_content'],
    ]);
    const delivered = (await rt.control.sentMessages(rt.brand.appId, 'o_once')).length;
    expect(delivered).toBe(1);
    expect(await rt.control.sentMessages(rt.brand.appId, 'o_twice')).toEqual([]);
  });
});
