/**
 * The brand-wide frequency cap (docs/product.md#governance): pushes per follower across all flows.
 * Two live flows greet every new follower at the same moment; with a cap of one push a day,
 * each follower receives exactly one greeting and the other push is recorded as skipped.
 */
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brands, followers, messages } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

const FOLLOWERS = ['o_capped_a', 'o_capped_b', 'o_capped_c'];
let rt: Runtime;

const greeting = (name: string, text: string) => ({
  format: 'fanfare.flow/v1',
  name,
  nodes: [
    { id: 'follow', kind: 'trigger.follow' },
    {
      id: 'hello',
      kind: 'action.push',
      config: { channel: 'customer_service', message: { type: 'text', text } },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'a', from: 'follow', to: 'hello' },
    { id: 'b', from: 'hello', to: 'end' },
  ],
});

beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

it('sends each follower one push a day across two flows when the brand caps it at 1/1d', async () => {
  await rt.handle.db
    .update(brands)
    .set({ frequencyCap: { max: 1, per: '1d' } })
    .where(eq(brands.id, rt.brand.id));
  const first = await rt.publish(greeting('welcome', 'welcome!'));
  const second = await rt.publish(greeting('spring promotion', 'spring sale!'));

  await rt.running(async () => {
    for (const openid of FOLLOWERS) await rt.control.follow(rt.brand.appId, openid);
    await expect
      .poll(
        async () =>
          [
            ...(await journeyRows(rt, first.flowId)),
            ...(await journeyRows(rt, second.flowId)),
          ].filter((j) => j.status === 'completed').length,
        { timeout: 30_000, interval: 200 },
      )
      .toBe(FOLLOWERS.length * 2);
  });

  const fans = await rt.handle.db
    .select()
    .from(followers)
    .where(inArray(followers.openid, FOLLOWERS));
  for (const openid of FOLLOWERS) {
    expect(await rt.control.sentMessages(rt.brand.appId, openid), openid).toHaveLength(1);
    const fan = fans.find((f) => f.openid === openid && f.brandId === rt.brand.id)!;
    const rows = await rt.handle.db.select().from(messages).where(eq(messages.followerId, fan.id));
    expect(rows.map((m) => `${m.outcome}:${m.reason ?? ''}`).sort(), openid).toEqual([
      'sent:',
      'skipped:brand_frequency_cap',
    ]);
  }
});
