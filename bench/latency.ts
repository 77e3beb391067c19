/**
 * `npm run bench -- latency` (docs/quality.md: p95 < 150 ms, p99 < 300 ms, at 10 and 100 scans/s).
 *
 * A follower scans a store QR code; the flow trigger.qr_scan → action.push answers with a
 * customer-service message. Latency: from asking the WeChat sandbox to deliver the SCAN (it
 * POSTs the signed callback to our route at once) to the sandbox recording the
 * customer-service message (its in-process `onCall` hook), at a steady 10 scans/s for 20 s,
 * then at 100 scans/s for 20 s, each scan by a different follower. Every part is real: callback route over HTTP, PostgreSQL,
 * the outbox dispatcher (LISTEN/NOTIFY), the router, Temporal, the worker, the sandbox API.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { createLogger } from '../config/logger';
import { SandboxControl } from '../wechat/sandbox/control';
import { startSandbox, type CallRecord } from '../wechat/sandbox';
import { createActivities } from '../workflows/activities';
import { createWechatClients } from '../services/wechat/clients';
import { buildWorkflowBundle } from '../workflows/bundle';
import { startDispatcher } from '../workflows/dispatch/dispatcher';
import { createRouter } from '../workflows/dispatch/router';
import type { BenchResult } from './run';
import {
  DB_POOL_MAX,
  WORKER_SETTINGS,
  benchDatabase,
  benchDbHandle,
  benchTemporal,
  createBrand,
  log,
  mapLimit,
  newSecretBox,
  percentile,
  publishFlow,
  round,
  serveCallbacks,
  sleep,
  until,
  withCleanup,
} from './support';
import { SHORT, knob } from './knobs';

/** Scans per second of each timed run: a store's steady trickle, and a campaign's peak. */
const RATES = [10, 100] as const;
const SECONDS = knob('BENCH_LATENCY_SECONDS', 20, 3);
const WARMUP = SHORT ? 3 : 10;
const DRAIN_TIMEOUT_MS = 60_000;
const TARGET = { p95Ms: 150, p99Ms: 300 };

export const scanFlow = {
  format: 'fanfare.flow/v1',
  name: 'bench: store QR scan → customer-service message',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'always' } },
  nodes: [
    {
      id: 'scan',
      kind: 'trigger.qr_scan',
      position: { x: 0, y: 0 },
      config: { scenes: ['store_*'], who: 'existing' },
    },
    {
      id: 'push',
      kind: 'action.push',
      position: { x: 240, y: 0 },
      config: {
        channel: 'customer_service',
        message: { type: 'text', text: 'Thanks for visiting {{event.scene}}!' },
      },
    },
    { id: 'end', kind: 'flow.end', position: { x: 480, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: 'scan', port: 'next', to: 'push' },
    { id: 'e2', from: 'push', port: 'next', to: 'end' },
  ],
};

export default function bench(): Promise<BenchResult> {
  // Full mode: ~2,200 follows first, then 20 s at each rate and the drains.
  return withCleanup(15 * 60_000, async (cleanup) => {
    const logger = createLogger('bench', 'silent');
    const url = await benchDatabase(cleanup);
    const address = await benchTemporal(cleanup);
    const bundle = await buildWorkflowBundle();
    const web = benchDbHandle(cleanup, url, DB_POOL_MAX);
    const work = benchDbHandle(cleanup, url, DB_POOL_MAX);
    const box = newSecretBox();

    // openid → when its scan was sent / when its message reached the sandbox.
    const sentAt = new Map<string, number>();
    const receivedAt = new Map<string, number>();
    const sandbox = await startSandbox({
      port: 0,
      onCall: (call: CallRecord) => {
        if (call.path !== '/cgi-bin/message/custom/send' || call.errcode !== 0) return;
        const touser = (call.body as { touser?: string } | null)?.touser;
        if (touser && !receivedAt.has(touser)) receivedAt.set(touser, Date.now());
      },
    });
    cleanup.add('stop sandbox', () => sandbox.stop());
    const control = new SandboxControl(sandbox.url);
    const app = await serveCallbacks({ db: web.db, box, logger }, cleanup);
    const brand = await createBrand(web.db, box, {
      apiBase: sandbox.url,
      control,
      callbackBase: app.url,
    });
    await publishFlow(work.db, brand.id, scanFlow);

    const connection = await Connection.connect({ address });
    cleanup.add('close temporal client', () => connection.close());
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address });
    cleanup.add('close worker connection', () => native.close());
    const taskQueue = `bench-latency-${randomUUID()}`;
    const router = createRouter({ db: work.db, temporal: client, taskQueue, logger });
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: { code: bundle.code },
      activities: createActivities({
        db: work.db,
        box,
        wechat: createWechatClients({ db: work.db, box }),
        enterMany: router.enterMany,
      }),
      ...WORKER_SETTINGS,
    });

    const scan = async (openid: string) => {
      sentAt.set(openid, Date.now());
      const result = await control.scan(brand.appId, openid, `store_${sentAt.size % 20}`);
      const last = result.attempts.at(-1);
      if (last?.status !== 200) throw new Error(`scan ${openid}: ${last?.status} ${last?.body}`);
    };
    const arrived = (openids: string[], timeoutMs: number) =>
      until(
        `${openids.length} customer-service messages`,
        async () => (openids.every((o) => receivedAt.has(o)) ? true : undefined),
        { timeoutMs, intervalMs: 50 },
      ).catch(() => false);

    const result = await worker.runUntil(async () => {
      const dispatcher = await startDispatcher({ db: work, logger, route: router });
      try {
        // The followers exist and follow (no scene: no journey) before anything is timed.
        const fansAt = new Map(
          RATES.map((rate) => [
            rate,
            Array.from({ length: rate * SECONDS }, (_, i) => `o_scan${rate}_${i}`),
          ]),
        );
        const warm = Array.from({ length: WARMUP }, (_, i) => `o_warm_${i}`);
        await mapLimit([...warm, ...[...fansAt.values()].flat()], 10, async (openid) => {
          await control.follow(brand.appId, openid);
        });
        await until(
          'the follows dispatched',
          async () => {
            const [row] = await work.db.execute<{ n: number }>(
              sql`select count(*)::int as n from events where dispatched_at is null`,
            );
            return row?.n === 0 ? true : undefined;
          },
          { timeoutMs: 60_000 },
        );
        for (const openid of warm) await scan(openid);
        await arrived(warm, DRAIN_TIMEOUT_MS);

        const runs: Record<number, RateResult> = {};
        for (const rate of RATES) {
          const fans = fansAt.get(rate)!;
          log(`ours: ${fans.length} QR scans at ${rate}/s`);
          const start = Date.now();
          const inFlight: Promise<void>[] = [];
          const failures: string[] = [];
          for (let i = 0; i < fans.length; i++) {
            const due = start + (i * 1000) / rate;
            await sleep(Math.max(0, due - Date.now()));
            const openid = fans[i]!;
            inFlight.push(
              scan(openid).catch((e: unknown) => void failures.push((e as Error).message)),
            );
          }
          const sendSeconds = (Date.now() - start) / 1000;
          await Promise.all(inFlight);
          await arrived(fans, DRAIN_TIMEOUT_MS);
          const latencies = fans.flatMap((o) =>
            receivedAt.has(o) ? [receivedAt.get(o)! - sentAt.get(o)!] : [],
          );
          runs[rate] = summarise(latencies, fans.length, failures, sendSeconds);
        }
        return runs;
      } finally {
        await dispatcher.stop();
      }
    });

    const n = Object.values(result).reduce((sum, r) => sum + r.received + r.missing, 0);
    return {
      scenario: 'latency',
      n,
      // Flat, as every result line: p95MsAt10, p95MsAt100, …
      ours: Object.fromEntries(
        Object.entries(result).flatMap(([rate, r]) =>
          Object.entries(r).map(([key, value]) => [`${key}At${rate}`, value]),
        ),
      ),
      baseline: null,
      ratio: null,
      unit: 'ms',
      target: `at ${RATES.join(' and ')} scans/s: p95 < ${TARGET.p95Ms} ms, p99 < ${TARGET.p99Ms} ms`,
      pass: Object.values(result).every(
        (r) => r.missing === 0 && r.p95Ms < TARGET.p95Ms && r.p99Ms < TARGET.p99Ms,
      ),
    };
  });
}

interface RateResult {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  received: number;
  missing: number;
  scanFailures: number;
  ratePerSec: number;
  sendSeconds: number;
}

function summarise(
  latencies: number[],
  sent: number,
  failures: string[],
  sendSeconds: number,
): RateResult {
  return {
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.length ? Math.max(...latencies) : 0,
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), 1),
    received: latencies.length,
    missing: sent - latencies.length,
    scanFailures: failures.length,
    ratePerSec: round((sent - 1) / sendSeconds, 2),
    sendSeconds: round(sendSeconds, 2),
  };
}
