/**
 * The dry run (issue 11): a flow's draft on the simulator for the brand's followers as they
 * are stored in PostgreSQL — tags, subscription, the open customer-service quota — with
 * nothing sent or stored.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { couponPools, followerTags, followers, journeys, messages, tags } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { dryRunDocument, sampleFollowers } from '../../services/flows/simulation';
import { printDryRun } from '../../cli/commands/flow-simulate';
import { insertBrand } from '../support/brands';

const settings = {
  timezone: 'Asia/Shanghai',
  entry: { reentry: 'once' },
  quietHours: null,
  frequencyCap: null,
  exitOn: [],
  goal: null,
};
/** A keyword enters; VIPs get a coupon and its code, the others a plain reply. */
const flow = {
  format: 'fanfare.flow/v1',
  name: 'vip keyword',
  settings,
  nodes: [
    { id: 'kw', kind: 'trigger.keyword', config: { keywords: ['会员'], match: 'exact' } },
    {
      id: 'vip',
      kind: 'condition.rules',
      config: { rules: { fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' } },
    },
    { id: 'coupon', kind: 'action.coupon', config: { pool: 'vip-pool' } },
    {
      id: 'code',
      kind: 'action.push',
      config: {
        channel: 'customer_service',
        message: { type: 'text', text: '券码 {{coupon.code}}' },
      },
    },
    {
      id: 'plain',
      kind: 'action.push',
      config: { channel: 'customer_service', message: { type: 'text', text: '欢迎' } },
    },
    { id: 'end1', kind: 'flow.end' },
    { id: 'end2', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'kw', port: 'next', to: 'vip' },
    { id: 'e2', from: 'vip', port: 'yes', to: 'coupon' },
    { id: 'e3', from: 'coupon', port: 'next', to: 'code' },
    { id: 'e4', from: 'code', port: 'next', to: 'end1' },
    { id: 'e5', from: 'vip', port: 'no', to: 'plain' },
    { id: 'e6', from: 'plain', port: 'next', to: 'end2' },
  ],
};

describe('dry run over stored followers', () => {
  let handle: DbHandle;
  let brandId: string;

  beforeAll(async () => {
    handle = connect(inject('databaseUrl'), { max: 2 });
    const box = new SecretBox(randomBytes(32).toString('hex'));
    brandId = (await insertBrand(handle.db, box, { prefix: 'dry' })).id;
    await handle.db.insert(couponPools).values({ brandId, name: 'vip-pool', expiresAfterDays: 30 });
    await handle.db.insert(tags).values([
      { brandId, name: 'vip' },
      { brandId, name: 'joined' },
    ]);
    // 3 VIPs, 5 others, 2 who unfollowed.
    const rows = await handle.db
      .insert(followers)
      .values(
        Array.from({ length: 10 }, (_, i) => ({
          brandId,
          openid: `o_dry_${i}`,
          subscribed: i < 8,
        })),
      )
      .returning({ id: followers.id, openid: followers.openid });
    await handle.db
      .insert(followerTags)
      .values(rows.slice(0, 3).map((r) => ({ brandId, followerId: r.id, tag: 'vip' })));
  });
  afterAll(() => handle?.close());

  it('counts who would enter, each branch and each message — and writes nothing', async () => {
    const before = await handle.db.select().from(messages).where(eq(messages.brandId, brandId));
    const answer = await dryRunDocument(handle.db, brandId, flow, { sample: 100 });
    if (!answer.ok) throw new Error(JSON.stringify(answer.issues));
    expect(answer.sampled).toBe(10);
    expect(answer.total).toBe(10);
    const r = answer.result;
    expect(r.entered).toBe(8);
    expect(r.notEntered).toEqual({ unfollowed: 2 });
    expect(r.nodes.vip!.ports).toEqual({ yes: 3, no: 5 });
    expect(r.nodes.coupon!.reached).toBe(3);
    // The keyword opened the 48-hour quota: every reply goes out as customer service.
    expect(r.nodes.code!.messages).toMatchObject({ sent: 3, channels: { customer_service: 3 } });
    expect(r.nodes.plain!.messages).toMatchObject({ sent: 5 });
    expect(r.ends).toEqual({ completed: 8 });
    expect(r.entryEvent).toMatchObject({ type: 'keyword', text: '会员' });
    // Nothing happened for real.
    expect(await handle.db.select().from(messages).where(eq(messages.brandId, brandId))).toEqual(
      before,
    );
    expect(await handle.db.select().from(journeys).where(eq(journeys.brandId, brandId))).toEqual(
      [],
    );

    const text = printDryRun(answer, 'zh-CN');
    expect(text).toContain('抽样 10 / 10 位粉丝：8 位会进入流程');
    expect(text).toContain('未进入 2: 已取消关注');
    expect(text).toMatch(/vip +到达 8 {2}(yes=3 no=5|no=5 yes=3)/);
  });

  it('reads each follower’s stored quota: with none open after a tag is added, every reply is skipped (quota_closed)', async () => {
    const waitFlow = {
      ...flow,
      nodes: flow.nodes.map((n) =>
        n.id === 'kw' ? { id: 'kw', kind: 'trigger.tag_added', config: { tag: 'joined' } } : n,
      ),
    };
    const answer = await dryRunDocument(handle.db, brandId, waitFlow, { sample: 100 });
    if (!answer.ok) throw new Error(JSON.stringify(answer.issues));
    // A tag added opens no quota: nobody has one open, so every reply is skipped, with why.
    expect(answer.result.nodes.plain!.messages).toMatchObject({
      sent: 0,
      skipped: { quota_closed: 5 },
    });
    const [first] = await sampleFollowers(handle.db, brandId, 1);
    expect(first!.follower.openid).toMatch(/^o_dry_/);
  });

  it('refuses a draft with errors, naming them', async () => {
    const answer = await dryRunDocument(handle.db, brandId, { ...flow, edges: [] }, { sample: 10 });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.issues.some((i) => i.severity === 'error')).toBe(true);
  });
});
