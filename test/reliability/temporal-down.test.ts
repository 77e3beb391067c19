/**
 * Injected: the Temporal dev server is stopped (the worker process and its outbox dispatcher
 * keep running) while followers scan the cup QR code; then it is restarted on its database
 * file.
 * Asserted: while Temporal is down, every signed callback is answered `success` in under 1 s,
 * each event is stored once in Postgres and left undispatched, and no journey does anything;
 * after Temporal returns, every follower's journey runs to completion, with one coupon and one
 * message each (counted by the WeChat sandbox).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { couponCodes, events } from '../../db/schema';
import {
  findTemporalCli,
  freePort,
  startDevServer,
  type DevServer,
} from '../../workflows/temporal-cli';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

const FOLLOWERS = ['o_down_a', 'o_down_b', 'o_down_c', 'o_down_d', 'o_down_e'];
/** The spec's bound on a callback answer while Temporal is down (WeChat itself allows 5 s). */
const ANSWER_WITHIN_MS = 1_000;
/** The worker's warning when a dispatch attempt fails and the events are kept for a retry. */
const DISPATCH_FAILED = 'dispatch failed; events kept for retry';

const dbFile = join(mkdtempSync(join(tmpdir(), 'fanfare-down-')), 'temporal.db');
let port: number;
let server: DevServer | undefined;
let rt: Runtime;
let temporal: { client: Client; nativeConnection: NativeConnection } | undefined;
let worker: WorkerProcess | undefined;

async function startServer(): Promise<void> {
  server = await startDevServer({
    cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port,
    dbFile,
  });
}

const brandEvents = () => rt.handle.db.select().from(events).where(eq(events.brandId, rt.brand.id));

beforeAll(async () => {
  port = await freePort();
  await startServer();
  const address = `127.0.0.1:${port}`;
  temporal = {
    client: new Client({ connection: await Connection.connect({ address }) }),
    nativeConnection: await NativeConnection.connect({ address }),
  };
  rt = await startRuntime({ temporal });
  await seedCupWorld(
    rt,
    FOLLOWERS.map((_, i) => `CUP-DOWN-${i}`),
  );
});

afterAll(async () => {
  await worker?.kill();
  await rt?.close();
  await temporal?.client.connection.close();
  await temporal?.nativeConnection.close();
  await server?.stop();
});

it('answers callbacks fast while Temporal is down, keeps the events and acts on them once it is back', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/valid/cup-qr-coupon-vip.json');
  worker = await spawnWorker({
    databaseUrl: inject('databaseUrl'),
    workflowBundlePath: inject('workflowBundlePath'),
    temporalAddress: `127.0.0.1:${port}`,
    secretKeyHex: rt.secretKeyHex,
  });

  await server!.stop();
  server = undefined;

  // Followers scan the cup QR code, one delivery each (the first is also retried, as WeChat
  // does); `durationMs` is the sandbox's — WeChat's side — measure of each HTTP request.
  const answers = [];
  for (const [i, openid] of FOLLOWERS.entries()) {
    const result = await rt.control.follow(rt.brand.appId, openid, {
      scene: 'cup-2012',
      attempts: 1,
      ...(i === 0 ? { duplicate: true } : {}),
    });
    answers.push(...result.attempts.map((a) => ({ openid, ...a })));
  }
  const latencies = answers.map((a) => a.durationMs);
  console.info(`callback latencies while Temporal was down (ms): ${latencies.join(', ')}`);
  expect(answers).toHaveLength(FOLLOWERS.length + 1);
  for (const answer of answers) {
    expect(answer, answer.openid).toMatchObject({ status: 200, body: 'success', error: null });
    expect(answer.durationMs, answer.openid).toBeLessThan(ANSWER_WITHIN_MS);
  }

  // Temporal stays down until the dispatcher has given up on an attempt (the client's own
  // retries take ~20 s), so what delivers the events later is its retry with backoff.
  await expect
    .poll(() => worker!.output().includes(DISPATCH_FAILED), { timeout: 90_000, interval: 500 })
    .toBe(true);

  // Stored once each and kept in the outbox; no journey has done anything while it is down.
  const kept = await brandEvents();
  expect(kept.map((e) => e.openid).sort()).toEqual([...FOLLOWERS].sort());
  expect(kept.map((e) => [e.type, e.payload.scene, e.dispatchedAt])).toEqual(
    FOLLOWERS.map(() => ['follow', 'cup-2012', null]),
  );
  expect((await journeyRows(rt, flowId)).filter((j) => j.status !== 'active')).toEqual([]);
  expect(await rt.control.sentMessages(rt.brand.appId)).toEqual([]);
  expect(
    (await rt.handle.db.select().from(couponCodes)).filter((c) => c.code.startsWith('CUP-DOWN-')),
  ).toEqual(FOLLOWERS.map(() => expect.objectContaining({ status: 'available' })));

  // Temporal returns on its database file: the same worker process and dispatcher carry on.
  await startServer();
  expect(worker!.running(), worker!.output().slice(-4_000)).toBe(true);

  await expect
    .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), {
      timeout: 120_000,
      interval: 500,
    })
    .toEqual(FOLLOWERS.map(() => 'completed'));
  // The journeys' own events (tag_added) go through the outbox too: it drains to empty.
  await expect
    .poll(async () => (await brandEvents()).filter((e) => e.dispatchedAt === null).length, {
      timeout: 30_000,
      interval: 500,
    })
    .toBe(0);
  const journeys = await journeyRows(rt, flowId);
  for (const openid of FOLLOWERS) {
    const sent = await rt.control.sentMessages(rt.brand.appId, openid);
    expect(sent, openid).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.body), openid).toMatch(/CUP-DOWN-\d/);
  }
  const issued = (await rt.handle.db.select().from(couponCodes)).filter(
    (c) => c.status === 'issued' && c.code.startsWith('CUP-DOWN-'),
  );
  expect(issued.map((c) => c.journeyId).sort()).toEqual(journeys.map((j) => j.id).sort());
  expect(worker!.running(), worker!.output().slice(-4_000)).toBe(true);
});
