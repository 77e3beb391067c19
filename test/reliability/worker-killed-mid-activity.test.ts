/**
 * Injected: the worker process is SIGKILLed while every journey of the cup-QR flow is inside
 * its push activity — WeChat (the sandbox) holds each customer-service send for a few seconds,
 * then takes it in although the caller is gone. A new worker starts; Temporal retries the
 * activities once their start-to-close timeout has passed.
 * Asserted: every journey completes; each follower received its message exactly once (the
 * retried activity finds the push it had begun and does not send again: it records it as
 * failed / delivery_unknown), with its own code; each coupon was issued once, to its journey.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { couponCodes, followers, messages } from '../../db/schema';
import { createFlowStats } from '../../services/analytics/stats';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const FOLLOWERS = ['o_mid_a', 'o_mid_b', 'o_mid_c'];
/** How long WeChat holds each send: long enough to kill the worker in the middle of it. */
const HOLD_MS = 8_000;
const taskQueue = `reliability-mid-activity-${randomUUID()}`;
let rt: Runtime;
const workers: WorkerProcess[] = [];

const startWorker = async () => {
  const worker = await spawnWorker({
    databaseUrl: inject('databaseUrl'),
    workflowBundlePath: inject('workflowBundlePath'),
    temporalAddress: inject('temporalAddress'),
    secretKeyHex: rt.secretKeyHex,
    taskQueue,
  });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  rt = await startRuntime();
  await seedCupWorld(
    rt,
    FOLLOWERS.map((_, i) => `CUP-MID-${i}`),
  );
});

afterAll(async () => {
  for (const w of workers) await w.kill();
  await rt?.close();
});

it('sends each message and issues each coupon once when the worker dies inside the push', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/valid/cup-qr-coupon-vip.json');
  await rt.control.injectFault({
    path: '/cgi-bin/message/custom/send',
    delayMs: HOLD_MS,
    count: FOLLOWERS.length,
  });
  const first = await startWorker();
  for (const openid of FOLLOWERS)
    await rt.control.follow(rt.brand.appId, openid, { scene: 'cup-2012' });

  // Every journey has begun its push (the row is written before the send) and WeChat holds it.
  const pushRows = () =>
    rt.handle.db.select().from(messages).where(eq(messages.brandId, rt.brand.id));
  await expect
    .poll(async () => (await pushRows()).filter((m) => m.outcome === 'pending').length, {
      timeout: 60_000,
      interval: 100,
    })
    .toBe(FOLLOWERS.length);
  // …and every send has reached WeChat (each took one use of the fault): on a loaded machine
  // the row can be written well before the request leaves, and a request that never left is
  // not a send "inside" WeChat.
  await expect
    .poll(async () => (await rt.control.faults()).length, { timeout: HOLD_MS, interval: 50 })
    .toBe(0);
  await first.kill();
  expect(await rt.control.sentMessages(rt.brand.appId)).toEqual([]);

  // WeChat takes the held sends in after all; a new worker picks the journeys up.
  await expect
    .poll(async () => (await rt.control.sentMessages(rt.brand.appId)).length, {
      timeout: HOLD_MS * 3,
      interval: 200,
    })
    .toBe(FOLLOWERS.length);
  await startWorker();
  await expect
    .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), {
      timeout: 150_000,
      interval: 1_000,
    })
    .toEqual(FOLLOWERS.map(() => 'completed'));

  const journeys = await journeyRows(rt, flowId);
  const issued = await rt.handle.db
    .select()
    .from(couponCodes)
    .where(
      and(
        eq(couponCodes.status, 'issued'),
        inArray(
          couponCodes.journeyId,
          journeys.map((j) => j.id),
        ),
      ),
    );
  expect(issued.map((c) => c.journeyId).sort()).toEqual(journeys.map((j) => j.id).sort());
  const fans = await rt.handle.db
    .select()
    .from(followers)
    .where(eq(followers.brandId, rt.brand.id));
  for (const openid of FOLLOWERS) {
    const fan = fans.find((f) => f.openid === openid)!;
    const journey = journeys.find((j) => j.followerId === fan.id)!;
    const code = issued.find((c) => c.journeyId === journey.id)!.code;
    const sent = await rt.control.sentMessages(rt.brand.appId, openid);
    expect(sent, openid).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.body), openid).toContain(code);
  }
  // The interrupted pushes are on record as such, one row each.
  const rows = await pushRows();
  expect(rows.map((m) => m.journeyId).sort()).toEqual(journeys.map((j) => j.id).sort());
  expect(rows.map((m) => `${m.outcome}:${m.reason}`)).toEqual(
    FOLLOWERS.map(() => 'failed:delivery_unknown'),
  );

  // The flow's counters, kept by the retried activities, count each step and push once.
  const stats = await createFlowStats({ db: rt.handle.db }).read(rt.brand.id, flowId);
  if (!stats.ok) throw new Error(stats.message);
  const n = FOLLOWERS.length;
  expect(stats.stats.journeys).toMatchObject({ entered: n, active: 0, completed: n });
  for (const node of ['tag', 'coupon', 'menu', 'end'])
    expect([node, stats.stats.nodes[node]!.entered, stats.stats.nodes[node]!.completed]).toEqual([
      node,
      n,
      n,
    ]);
  // A push whose delivery is unknown failed; the journey went on by its port all the same.
  expect(stats.stats.nodes.push).toMatchObject({
    entered: n,
    completed: 0,
    failed: n,
    ports: { next: n },
  });
  expect(stats.stats.nodes.push!.messages).toEqual({ sent: 0, failed: n, skipped: {} });
});
