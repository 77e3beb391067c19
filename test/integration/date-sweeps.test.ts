/**
 * Acceptance 3: birthday (3 days before) and cat-food repurchase (cycle from purchase history)
 * enter on the right day in Asia/Shanghai, once — re-running the day starts nothing twice.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../services/events/outbox';
import { flowVersions, followers, journeys, sweeps } from '../../db/schema';
import { dateSweep } from '../../workflows/workflows/date-sweep';
import { startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

async function follower(
  openid: string,
  fields: Partial<typeof followers.$inferInsert> = {},
): Promise<string> {
  const [row] = await rt.handle.db
    .insert(followers)
    .values({ brandId: rt.brand.id, openid, subscribed: true, ...fields })
    .returning({ id: followers.id });
  return row!.id;
}

async function purchase(followerId: string, at: string, category: string, orderId: string) {
  await recordEvent(rt.handle.db, {
    brandId: rt.brand.id,
    followerId,
    type: 'purchase',
    dedupeKey: `purchase:${orderId}`,
    payload: { orderId, amount: 99, items: [{ sku: 'X', category }] },
    occurredAt: new Date(at),
  });
}

const sweep = (now: string) =>
  rt.running(() =>
    rt.temporal.workflow.execute(dateSweep, {
      taskQueue: rt.taskQueue,
      workflowId: `sweep-test-${now}-${Math.random()}`,
      args: [{ brandId: rt.brand.id, now: Date.parse(now) }],
    }),
  );

const enteredOpenids = async (flowId: string) => {
  const rows = await rt.handle.db
    .select({ openid: followers.openid, entryKey: journeys.entryKey })
    .from(journeys)
    .innerJoin(followers, eq(followers.id, journeys.followerId))
    .where(eq(journeys.flowId, flowId));
  return rows.map((r) => `${r.openid}@${r.entryKey}`).sort();
};

describe('date sweeps', () => {
  it('enters birthdays three days ahead at 10:00 Shanghai time, once', async () => {
    const { flowId, versionId } = await rt.publish('test/fixtures/flows/valid/birthday-gift.json');
    await follower('o_bday_due', { birthday: '11-25' });
    await follower('o_bday_later', { birthday: '11-26' });
    await follower('o_bday_gone', { birthday: '11-25', subscribed: false });

    // 09:30 in Shanghai (01:30Z): not yet time.
    expect(await sweep('2026-11-22T01:30:00Z')).toEqual({ entries: 0, entered: 0 });
    // 10:30 in Shanghai: 22 November, birthdays on the 25th.
    expect(await sweep('2026-11-22T02:30:00Z')).toEqual({ entries: 1, entered: 1 });
    expect(await enteredOpenids(flowId)).toEqual(['o_bday_due@birthday:2026']);

    // The same day again: already swept.
    expect(await sweep('2026-11-22T05:00:00Z')).toEqual({ entries: 0, entered: 0 });
    // Even with the progress record gone, re-running the day starts nothing twice.
    await rt.handle.db.delete(sweeps).where(and(eq(sweeps.flowVersionId, versionId)));
    expect(await sweep('2026-11-22T05:00:00Z')).toEqual({ entries: 1, entered: 0 });
    expect(await enteredOpenids(flowId)).toEqual(['o_bday_due@birthday:2026']);
    const [progress] = await rt.handle.db
      .select()
      .from(sweeps)
      .where(eq(sweeps.flowVersionId, versionId));
    expect(progress).toMatchObject({ status: 'done', localDate: '2026-11-22', matched: 1 });
  });

  it('enters cat-food buyers 5 days before their cycle runs out, in Shanghai dates', async () => {
    const { flowId } = await rt.publish('test/fixtures/flows/valid/cat-food-repurchase.json');
    // Own rhythm: every 30 days (28 Sep, 28 Oct) → out on 27 Nov → reminded on 22 Nov.
    const regular = await follower('o_cat_regular');
    await purchase(regular, '2026-09-28T04:00:00Z', 'cat-food', 'r1');
    await purchase(regular, '2026-10-28T04:00:00Z', 'cat-food', 'r2');
    // One purchase at 01:00 on 28 Oct in Shanghai (27 Oct in UTC) → cycleDays 30 → 27 Nov.
    const once = await follower('o_cat_once');
    await purchase(once, '2026-10-27T17:00:00Z', 'cat-food', 'o1');
    // Same day in UTC terms only: 27 Oct 12:00 Shanghai → out on 26 Nov → reminded on 21 Nov.
    const utcTrap = await follower('o_cat_earlier');
    await purchase(utcTrap, '2026-10-27T04:00:00Z', 'cat-food', 'u1');
    // Another category entirely.
    const dog = await follower('o_dog');
    await purchase(dog, '2026-10-28T04:00:00Z', 'dog-food', 'd1');

    // 19:30 Shanghai on 22 November.
    const result = await sweep('2026-11-22T11:30:00Z');
    expect(result.entered).toBe(2);
    expect(await enteredOpenids(flowId)).toEqual([
      'o_cat_once@repurchase:2026-11-22',
      'o_cat_regular@repurchase:2026-11-22',
    ]);
    expect((await sweep('2026-11-22T12:00:00Z')).entered).toBe(0);
  });

  it('broadcasts once, at its time in the flow zone, to the followers its audience rules match', async () => {
    const { flowId } = await rt.publish({
      format: 'fanfare.flow/v1',
      name: 'gold members broadcast',
      settings: { timezone: 'Asia/Shanghai' },
      nodes: [
        {
          id: 'blast',
          kind: 'trigger.audience',
          config: {
            at: '2026-12-01T10:00:00',
            audience: {
              all: [{ fact: 'follower', path: '$.tier', operator: 'equal', value: 'gold' }],
            },
          },
        },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [{ id: 'e', from: 'blast', to: 'end' }],
    });
    await follower('o_gold_1', { tier: 'gold' });
    await follower('o_gold_2', { tier: 'gold' });
    await follower('o_silver', { tier: 'silver' });
    await follower('o_gold_gone', { tier: 'gold', subscribed: false });

    // 09:59 Shanghai on 1 December: not yet.
    expect((await sweep('2026-12-01T01:59:00Z')).entered).toBe(0);
    expect((await sweep('2026-12-01T02:00:00Z')).entered).toBe(2);
    expect(await enteredOpenids(flowId)).toEqual(['o_gold_1@once', 'o_gold_2@once']);
    expect((await sweep('2026-12-02T02:00:00Z')).entered).toBe(0);
  });

  it('records an entry whose query the database refuses against its flow, and sweeps the others', async () => {
    // A repurchase entry whose plan skipped compile: the database cannot cast its cycle.
    const broken = await rt.publish('test/fixtures/flows/valid/cat-food-repurchase.json');
    const [version] = await rt.handle.db
      .select()
      .from(flowVersions)
      .where(eq(flowVersions.id, broken.versionId));
    const plan = version!.plan as { triggers: { dates: { cycleDays?: unknown }[] } };
    plan.triggers.dates[0]!.cycleDays = 'thirty';
    await rt.handle.db
      .update(flowVersions)
      .set({ plan: plan as never })
      .where(eq(flowVersions.id, broken.versionId));
    const { flowId } = await rt.publish('test/fixtures/flows/valid/birthday-gift.json');
    await follower('o_bday_isolated', { birthday: '12-13' });
    // A single purchase: its cycle falls back to the plan's (broken) cycleDays.
    await purchase(await follower('o_cat_single'), '2026-11-01T04:00:00Z', 'cat-food', 'x1');

    // 19:30 Shanghai on 10 December: both entries are due.
    const result = await sweep('2026-12-10T11:30:00Z');
    expect(result).toMatchObject({ failed: 1 });
    expect(await enteredOpenids(flowId)).toContain('o_bday_isolated@birthday:2026');
    const [progress] = await rt.handle.db
      .select()
      .from(sweeps)
      .where(eq(sweeps.flowVersionId, broken.versionId));
    expect(progress).toMatchObject({
      status: 'failed',
      failure: 'query_failed',
      failureDetail: { sqlstate: '22P02' },
    });
    expect(progress!.failedAt).not.toBeNull();
    // Failed for that day: not tried again by the next run.
    expect((await sweep('2026-12-10T12:00:00Z')).failed).toBeUndefined();
  });
});
