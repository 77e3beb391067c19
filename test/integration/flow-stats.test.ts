/**
 * Issue 12, acceptance 1 (the stats API part): the cup-QR flow run for 5 new fans and 2 repeat
 * scans on the real stack; the stats API answers the exact per-step and per-port counts, 5
 * coupons, 5 + 2 messages sent, and a push skipped for lack of quota under its reason. The
 * counters are kept as journeys move; here they are also checked against a scan of the
 * records they summarise (the oracle), after WeChat's retries of the same pushes.
 */
import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handleEventsApi } from '../../app/lib/events-api.server';
import { handleFlowStatsApi } from '../../app/lib/read-api.server';
import { couponCodes, followers, journeySteps, journeys, messages } from '../../db/schema';
import { createApiKey } from '../../services/api-keys/store';
import type { FlowStats } from '../../services/analytics/stats';
import { buildPush } from '../../wechat/sandbox/push';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
let key: string;
beforeAll(async () => {
  rt = await startRuntime();
  await seedCupWorld(
    rt,
    Array.from({ length: 8 }, (_, i) => `CUP-S${i + 1}`),
  );
  key = (await createApiKey(rt.handle.db, rt.brand.id, 'stats')).key;
});
afterAll(() => rt?.close());

const FANS = ['o_s1', 'o_s2', 'o_s3', 'o_s4', 'o_s5'];

function get(path: string, flowId: string, bearer: string | null = key, slug = rt.brand.slug) {
  const request = new Request(`http://test/api/v1/brands/${slug}/flows/${flowId}/stats${path}`, {
    headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
  });
  return handleFlowStatsApi(rt.handle.db, slug, flowId, request);
}

async function stats(flowId: string, query = ''): Promise<FlowStats> {
  const res = await get(query, flowId);
  expect(res.status).toBe(200);
  return (await res.json()) as FlowStats;
}

it('counts each step, port and message of the cup-QR flow exactly, once', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/results/cup-qr-stats.json');
  const done = async (n: number) =>
    expect
      .poll(
        async () => (await journeyRows(rt, flowId)).filter((j) => j.status === 'completed').length,
        { timeout: 60_000, interval: 250 },
      )
      .toBe(n);

  await rt.running(async () => {
    const follows = [];
    for (const fan of FANS)
      follows.push(await rt.control.follow(rt.brand.appId, fan, { scene: 'cup-2012' }));
    await done(5);
    await rt.control.scan(rt.brand.appId, 'o_s1', 'cup-2012');
    await rt.control.scan(rt.brand.appId, 'o_s2', 'cup-2012');
    await done(7);

    // WeChat's retries of a follow, three at once: nothing more is counted.
    const again = buildPush(
      { token: rt.brand.token, appId: rt.brand.appId, mode: 'plaintext' },
      follows[0]!.fields,
    );
    const url = `${rt.callbackUrl}?${new URLSearchParams(again.query)}`;
    await Promise.all([1, 2, 3].map(() => fetch(url, { method: 'POST', body: again.body })));

    // A minute later o_s3's customer-service window has closed; a survey answer thanks them.
    const [fan3] = await rt.handle.db
      .update(followers)
      .set({ quotaExpiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, 'o_s3')))
      .returning({ id: followers.id });
    expect(fan3).toBeDefined();
    const survey = await handleEventsApi(
      rt.handle.db,
      rt.brand.slug,
      new Request(`http://test/api/v1/brands/${rt.brand.slug}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'custom', openid: 'o_s3', name: 'survey_done', id: 'sv-1' }),
      }),
    );
    expect(survey.status).toBe(202);
    await done(8);
    await new Promise((r) => setTimeout(r, 1_000));
  });

  const s = await stats(flowId);
  expect(s.flowId).toBe(flowId);
  expect(s.journeys).toEqual({
    entered: 8,
    active: 0,
    completed: 8,
    exited: 0,
    converted: 0,
    failed: 0,
  });
  const step = (entered: number, ports: Record<string, number>, messages?: object) => ({
    entered,
    waiting: 0,
    completed: entered,
    exited: 0,
    failed: 0,
    ports,
    messages: { sent: 0, failed: 0, skipped: {}, ...messages },
  });
  expect(s.nodes).toEqual({
    new: step(5, { next: 5 }),
    tag: step(5, { next: 5 }),
    coupon: step(5, { next: 5 }),
    push: step(5, { next: 5 }, { sent: 5 }),
    end: step(5, {}),
    again: step(2, { next: 2 }),
    welcome: step(2, { next: 2 }, { sent: 2 }),
    end2: step(2, {}),
    survey: step(1, { next: 1 }),
    thanks: step(1, { next: 1 }, { skipped: { quota_closed: 1 } }),
    end3: step(1, {}),
  });

  // The oracle: what the records say.
  const ids = (await journeyRows(rt, flowId)).map((j) => j.id);
  const coupons = await rt.handle.db
    .select()
    .from(couponCodes)
    .where(sql`${couponCodes.journeyId} in ${ids}`);
  expect(coupons).toHaveLength(5);
  const sent = await rt.handle.db
    .select({ outcome: messages.outcome, reason: messages.reason })
    .from(messages)
    .where(sql`${messages.journeyId} in ${ids}`);
  expect(sent.filter((m) => m.outcome === 'sent')).toHaveLength(7);
  expect(sent.filter((m) => m.outcome === 'skipped').map((m) => m.reason)).toEqual([
    'quota_closed',
  ]);
  const [steps] = await rt.handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(journeySteps)
    .innerJoin(journeys, eq(journeys.id, journeySteps.journeyId))
    .where(eq(journeys.flowId, flowId));
  const counted = Object.entries(s.nodes)
    .filter(([id]) => !['new', 'again', 'survey'].includes(id))
    .reduce((sum, [, n]) => sum + n.entered, 0);
  expect(counted).toBe(steps!.n);

  await expectBackfillAgrees(flowId, ['new', 'again', 'survey']);

  // The same through a version and a range: today counts, a day long past does not.
  expect((await stats(flowId, '?version=1')).nodes.push!.messages.sent).toBe(5);
  expect((await stats(flowId, '?version=live')).journeys.entered).toBe(8);
  const past = await stats(flowId, '?from=2020-01-01&to=2020-01-31');
  expect(past.journeys.entered).toBe(0);
  expect(past.nodes.push).toEqual(step(0, { next: 0 }));
});

it('counts a wait: who waits there now, which port they left by, who left the flow there', async () => {
  const doc = {
    format: 'fanfare.flow/v1',
    name: '关注后等待回复',
    settings: {
      timezone: 'Asia/Shanghai',
      entry: { reentry: 'once' },
      quietHours: null,
      frequencyCap: null,
      exitOn: [],
      goal: null,
    },
    nodes: [
      {
        id: 'follow',
        kind: 'trigger.follow',
        position: { x: 0, y: 0 },
        config: { firstTimeOnly: true },
      },
      {
        id: 'wait',
        kind: 'wait.event',
        position: { x: 0, y: 150 },
        config: {
          event: { type: 'keyword', keywords: ['优惠'], match: 'contains' },
          timeout: '47h',
        },
      },
      {
        id: 'send',
        kind: 'action.push',
        position: { x: 0, y: 300 },
        config: { channel: 'customer_service', message: { type: 'text', text: '优惠来了' } },
      },
      { id: 'end1', kind: 'flow.end', position: { x: 0, y: 450 } },
      { id: 'end2', kind: 'flow.end', position: { x: 300, y: 300 } },
    ],
    edges: [
      { id: 'e1', from: 'follow', port: 'next', to: 'wait' },
      { id: 'e2', from: 'wait', port: 'matched', to: 'send' },
      { id: 'e3', from: 'send', port: 'next', to: 'end1' },
      { id: 'e4', from: 'wait', port: 'timeout', to: 'end2' },
    ],
  };
  const { flowId } = await rt.publish(doc);
  const waitingAt = async (n: number) =>
    expect.poll(async () => (await stats(flowId)).nodes.wait!.waiting, { timeout: 30_000 }).toBe(n);
  await rt.running(async () => {
    for (const fan of ['o_w1', 'o_w2', 'o_w3']) await rt.control.follow(rt.brand.appId, fan);
    await waitingAt(3);
    await rt.control.text(rt.brand.appId, 'o_w1', '我要优惠');
    await rt.control.unfollow(rt.brand.appId, 'o_w2');
    await waitingAt(1);
    await expect
      .poll(async () => (await stats(flowId)).journeys.completed, { timeout: 30_000 })
      .toBe(1);
  });
  const s = await stats(flowId);
  expect(s.journeys).toEqual({
    entered: 3,
    active: 1,
    completed: 1,
    exited: 1,
    converted: 0,
    failed: 0,
  });
  const none = { sent: 0, failed: 0, skipped: {} };
  expect(s.nodes).toEqual({
    follow: {
      entered: 3,
      waiting: 0,
      completed: 3,
      exited: 0,
      failed: 0,
      ports: { next: 3 },
      messages: none,
    },
    wait: {
      entered: 3,
      waiting: 1,
      completed: 1,
      exited: 1,
      failed: 0,
      ports: { matched: 1, timeout: 0 },
      messages: none,
    },
    send: {
      entered: 1,
      waiting: 0,
      completed: 1,
      exited: 0,
      failed: 0,
      ports: { next: 1 },
      messages: { ...none, sent: 1 },
    },
    end1: { entered: 1, waiting: 0, completed: 1, exited: 0, failed: 0, ports: {}, messages: none },
    end2: { entered: 0, waiting: 0, completed: 0, exited: 0, failed: 0, ports: {}, messages: none },
  });
  await expectBackfillAgrees(flowId, ['follow']);
});

it('refuses bad parameters, other brands and missing keys with a code and a sentence', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/results/cup-qr-stats.json');
  const problem = async (res: Response) => ({
    status: res.status,
    code: ((await res.json()) as { error: { code: string; message: string } }).error.code,
  });
  expect(await problem(await get('?version=abc', flowId))).toEqual({
    status: 400,
    code: 'E_VERSION',
  });
  expect(await problem(await get('?from=2026-02-30', flowId))).toEqual({
    status: 400,
    code: 'E_DATE',
  });
  expect(await problem(await get('?from=2026-03-02&to=2026-03-01', flowId))).toEqual({
    status: 400,
    code: 'E_RANGE',
  });
  expect(await problem(await get('?version=7', flowId))).toEqual({
    status: 404,
    code: 'E_NO_VERSION',
  });
  expect(await problem(await get('', 'not-a-flow'))).toEqual({ status: 404, code: 'E_NOT_FOUND' });
  expect(await problem(await get('', flowId, null))).toEqual({ status: 401, code: 'E_AUTH' });

  // Another brand's key, and this brand's flow asked for under another brand.
  const other = await rt.addBrand('st2');
  const otherKey = (await createApiKey(rt.handle.db, other.id, 'other')).key;
  expect(await problem(await get('', flowId, otherKey))).toEqual({
    status: 403,
    code: 'E_FORBIDDEN',
  });
  expect(await problem(await get('', flowId, otherKey, other.slug))).toEqual({
    status: 404,
    code: 'E_NOT_FOUND',
  });
});

/**
 * The migration's backfill, run over the flow's records into a scratch table, counts what the
 * live counters counted (but the triggers, which a journey's record does not name).
 */
async function expectBackfillAgrees(flowId: string, triggers: string[]): Promise<void> {
  const backfill = readFileSync('db/migrations/0017_flow_stats.sql', 'utf8')
    .split('--> statement-breakpoint')
    .find((st) => st.includes('INSERT INTO "flow_stats"'))!
    .replace('INSERT INTO "flow_stats"', 'INSERT INTO "backfill"');
  const countedIn = async (
    table: string,
    db: Pick<typeof rt.handle.db, 'execute'> = rt.handle.db,
  ) =>
    (
      await db.execute<{ node_id: string; metric: string; n: string }>(
        sql`select node_id, metric, sum(n)::text as n from ${sql.raw(table)}
             where flow_id = ${flowId} and node_id not in ${triggers}
             group by 1, 2 having sum(n) <> 0 order by 1, 2`,
      )
    ).map((r) => `${r.node_id}/${r.metric}=${r.n}`);
  const live = await countedIn('flow_stats');
  await rt.handle.db.transaction(async (tx) => {
    await tx.execute(sql`create temp table "backfill" (like flow_stats) on commit drop`);
    await tx.execute(sql.raw(backfill));
    expect(await countedIn('backfill', tx)).toEqual(live);
  });
}
