/**
 * `npm run bench -- soak` (docs/quality.md: heap after GC of the web process and of the worker
 * within 10 % of its start after 10 minutes of callbacks).
 *
 * Two real processes, each with its own heap: the production web server (`npm start`:
 * server/serve.js over the Remix build, test/support/web-process.ts) and the production worker
 * (`fanfare worker`: Temporal worker + outbox dispatcher + router, test/support/worker-process.ts),
 * both run with `--expose-gc` and heap-probe.js, which answers "heap used after full GCs" over
 * the IPC channel. The WeChat sandbox (in this process) posts signed callbacks to the web
 * process at a steady rate — per follower: follow, text, scan, text, text, each follower new —
 * and two live flows answer the follows and the scans with a customer-service message through
 * the sandbox, so the whole path runs: callback → outbox → dispatcher → router → journey →
 * push activity → sandbox.
 *
 * After a warm-up, and then every sampling interval, the feed pauses until the outbox and the
 * journeys have drained, and each process's retained heap is read (the least of three
 * readings a second apart, each after full GCs). growthPct = (end − start) / start. The
 * baseline is the heap at the start; ratio = the larger end / start of the two.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { SecretBox } from '../services/secrets';
import { SandboxControl } from '../wechat/sandbox/control';
import { startSandbox, type CallRecord } from '../wechat/sandbox';
import { buildWorkflowBundle } from '../workflows/bundle';
import { retainedHeap, type HeapReading } from '../test/support/heap-probe-client';
import { spawnWeb } from '../test/support/web-process';
import { spawnWorker } from '../test/support/worker-process';
import { scanFlow } from './latency';
import type { BenchResult } from './run';
import {
  benchDatabase,
  benchDbHandle,
  benchTemporal,
  createBrand,
  log,
  publishFlow,
  round,
  sleep,
  until,
  withCleanup,
} from './support';
import { SHORT, knob } from './knobs';

const SECONDS = knob('BENCH_SOAK_SECONDS', 600, 10);
const RATE_PER_SEC = knob('BENCH_SOAK_RATE', 50, 50);
const WARMUP_SEC = SHORT ? 5 : 60;
/** Heap samples: ten over a full run, two in short mode. */
const SAMPLE_EVERY_SEC = Math.max(5, SECONDS / 10);
/** What each new follower sends, in order: two of the five start a journey. */
const PATTERN = ['follow', 'text', 'scan', 'text', 'text'] as const;
/** Callbacks in flight at most (the feed waits beyond that rather than piling up). */
const MAX_IN_FLIGHT = 200;
const DRAIN_TIMEOUT_MS = 120_000;
const TARGET_GROWTH_PCT = 10;

const followFlow = {
  format: 'fanfare.flow/v1',
  name: 'bench: follow → welcome message',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'once' } },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'push',
      kind: 'action.push',
      position: { x: 240, y: 0 },
      config: {
        channel: 'customer_service',
        message: { type: 'text', text: 'Welcome!' },
      },
    },
    { id: 'end', kind: 'flow.end', position: { x: 480, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'push' },
    { id: 'e2', from: 'push', port: 'next', to: 'end' },
  ],
};

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

interface HeapTrack {
  startMb: number;
  endMb: number;
  growthPct: number;
  /** Heap after GC at each sample (the first is the start), MB. */
  samples: number[];
  /** The resident set at each sample, MB (every thread and native memory: information). */
  rssSamples: number[];
}

function track(readings: HeapReading[]): HeapTrack {
  const start = readings[0]!.heapUsed;
  const end = readings.at(-1)!.heapUsed;
  return {
    startMb: mb(start),
    endMb: mb(end),
    growthPct: round(((end - start) / start) * 100, 1),
    samples: readings.map((r) => mb(r.heapUsed)),
    rssSamples: readings.map((r) => mb(r.rss)),
  };
}

/** Events not yet dispatched and journeys still running. */
async function backlog(db: Db): Promise<{ pending: number; active: number }> {
  const [row] = await db.execute<{ pending: number; active: number }>(sql`
    select (select count(*)::int from events where dispatched_at is null) as pending,
           (select count(*)::int from journeys where status = 'active') as active`);
  return row!;
}

export interface SoakResult extends BenchResult {
  web: HeapTrack;
  worker: HeapTrack;
}

export default function bench(): Promise<SoakResult> {
  return withCleanup((SECONDS + WARMUP_SEC) * 1000 + 10 * 60_000, async (cleanup) => {
    const url = await benchDatabase(cleanup);
    const address = await benchTemporal(cleanup);
    const db = benchDbHandle(cleanup, url, 2).db;
    const secretKeyHex = randomBytes(32).toString('hex');
    const box = new SecretBox(secretKeyHex);

    const dir = mkdtempSync(join(tmpdir(), 'fanfare-bench-soak-'));
    cleanup.add(`remove ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
    const workflowBundlePath = join(dir, 'workflow-bundle.js');
    writeFileSync(workflowBundlePath, (await buildWorkflowBundle()).code);

    let messages = 0;
    const sandbox = await startSandbox({
      port: 0,
      onCall: (call: CallRecord) => {
        if (call.path === '/cgi-bin/message/custom/send' && call.errcode === 0) messages++;
      },
    });
    cleanup.add('stop sandbox', () => sandbox.stop());
    const control = new SandboxControl(sandbox.url);

    log('web process: the production server build (npm start), --expose-gc');
    const web = await spawnWeb({ databaseUrl: url, secretKeyHex, npmStart: true });
    cleanup.add('stop web process', () => web.stop());
    const brand = await createBrand(db, box, {
      apiBase: sandbox.url,
      control,
      callbackBase: web.url,
    });
    await publishFlow(db, brand.id, followFlow);
    await publishFlow(db, brand.id, scanFlow);

    log('worker process: fanfare worker (Temporal worker, dispatcher, router), --expose-gc');
    const worker = await spawnWorker({
      databaseUrl: url,
      temporalAddress: address,
      workflowBundlePath,
      secretKeyHex,
      taskQueue: `bench-soak-${randomUUID()}`,
      keepOutput: 64 * 1024,
    });
    cleanup.add('stop worker process', () => worker.kill());

    // ---- The feed: callback i at start + i / rate, from follower i / 5 (PATTERN).
    let sent = 0;
    /** Follows and scans answered `success` (each must become a journey and a message). */
    let journeysExpected = 0;
    /** Callbacks WeChat would have sent again (no `success` within 5 s), and never answered. */
    let retried = 0;
    const failures = new Map<string, number>();
    const inFlight = new Set<Promise<void>>();
    const callback = async (i: number) => {
      const kind = PATTERN[i % PATTERN.length]!;
      const openid = `o_soak_${Math.floor(i / PATTERN.length)}`;
      try {
        const result =
          kind === 'follow'
            ? await control.follow(brand.appId, openid)
            : kind === 'scan'
              ? await control.scan(brand.appId, openid, `store_${i % 20}`)
              : await control.text(brand.appId, openid, `hello ${i}`);
        const last = result.attempts.at(-1);
        if (result.attempts.length > 1) retried++;
        if (last?.status === 200 && last.body === 'success') {
          if (kind !== 'text') journeysExpected++;
        } else {
          const key = `${kind} ${result.attempts.length}× ${last?.status} ${last?.body}`;
          failures.set(key, (failures.get(key) ?? 0) + 1);
        }
      } catch (error) {
        const key = `${kind} ${(error as Error).message}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
      }
    };
    /** Feeds `seconds` of callbacks on a schedule of its own (a pause is not a backlog). */
    const feed = async (seconds: number) => {
      const t0 = Date.now();
      const first = sent;
      const last = first + Math.round(seconds * RATE_PER_SEC);
      for (; sent < last; sent++) {
        await sleep(Math.max(0, t0 + ((sent - first) * 1000) / RATE_PER_SEC - Date.now()));
        while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        const p: Promise<void> = callback(sent).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await Promise.all(inFlight);
    };

    // ---- A sample: drain, then each process's retained heap.
    const webReadings: HeapReading[] = [];
    const workerReadings: HeapReading[] = [];
    let maxDrainSec = 0;
    const sample = async (label: string) => {
      const t0 = Date.now();
      let last = { pending: -1, active: -1 };
      await until(
        'the outbox and the journeys drained',
        async () => {
          last = await backlog(db);
          return last.pending === 0 && last.active === 0 ? true : undefined;
        },
        { timeoutMs: DRAIN_TIMEOUT_MS, intervalMs: 250 },
      ).catch((error: Error) => {
        throw new Error(
          `${error.message} (${last.pending} events pending, ${last.active} journeys active, ` +
            `${messages} messages sent)\n${worker.output().slice(-4000)}`,
        );
      });
      maxDrainSec = Math.max(maxDrainSec, (Date.now() - t0) / 1000);
      if (!web.running() || !worker.running())
        throw new Error(`a process exited:\n${web.output()}\n${worker.output()}`);
      const [w, k] = await Promise.all([
        retainedHeap(web.heapAfterGc),
        retainedHeap(worker.heapAfterGc),
      ]);
      webReadings.push(w);
      workerReadings.push(k);
      log(
        `${label}: ${sent} callbacks, ${messages} messages; heap after GC web ${mb(w.heapUsed)} MB, ` +
          `worker ${mb(k.heapUsed)} MB (drained in ${round((Date.now() - t0) / 1000, 1)} s)`,
      );
    };

    log(`warm-up: ${WARMUP_SEC} s at ${RATE_PER_SEC} callbacks/s`);
    await feed(WARMUP_SEC);
    await sample('start');
    const warmupSent = sent;
    log(`soak: ${SECONDS} s at ${RATE_PER_SEC} callbacks/s, a sample every ${SAMPLE_EVERY_SEC} s`);
    let soakedSec = 0;
    let feedingMs = 0;
    while (soakedSec < SECONDS) {
      const step = Math.min(SAMPLE_EVERY_SEC, SECONDS - soakedSec);
      const t0 = Date.now();
      await feed(step);
      feedingMs += Date.now() - t0;
      soakedSec += step;
      await sample(`${soakedSec} s`);
    }

    const webTrack = track(webReadings);
    const workerTrack = track(workerReadings);
    const soakCallbacks = sent - warmupSent;
    const [journeyRow] = await db.execute<{ completed: number; other: string | null }>(sql`
      select (count(*) filter (where status = 'completed'))::int as completed,
             (select string_agg(s || ' ' || n, ', ') from (
                select coalesce(m.outcome, 'no message') as s, count(*)::int as n
                from journeys j left join messages m on m.journey_id = j.id
                where coalesce(m.outcome, '') <> 'sent' group by 1) o) as other
      from journeys`);
    if (journeyRow?.other) log(`journeys without a sent message: ${journeyRow.other}`);
    const failed = [...failures.values()].reduce((a, b) => a + b, 0);
    if (failed) log(`unanswered callbacks: ${JSON.stringify(Object.fromEntries(failures))}`);
    const worst = Math.max(
      webReadings.at(-1)!.heapUsed / webReadings[0]!.heapUsed,
      workerReadings.at(-1)!.heapUsed / workerReadings[0]!.heapUsed,
    );
    return {
      scenario: 'soak',
      n: soakCallbacks,
      ours: {
        webEndMb: webTrack.endMb,
        webGrowthPct: webTrack.growthPct,
        workerEndMb: workerTrack.endMb,
        workerGrowthPct: workerTrack.growthPct,
        soakSec: SECONDS,
        callbacks: soakCallbacks,
        callbacksPerSec: round(soakCallbacks / (feedingMs / 1000), 1),
        retriedCallbacks: retried,
        unansweredCallbacks: failed,
        journeysCompleted: journeyRow?.completed ?? 0,
        messagesSent: messages,
        maxDrainSec: round(maxDrainSec, 1),
        samples: webReadings.length,
      },
      baseline: { webStartMb: webTrack.startMb, workerStartMb: workerTrack.startMb },
      ratio: round(worst, 3),
      unit: 'heap MB after GC (end / start)',
      target: `heap after GC within ${TARGET_GROWTH_PCT} % of its start, web and worker`,
      pass:
        webTrack.growthPct <= TARGET_GROWTH_PCT &&
        workerTrack.growthPct <= TARGET_GROWTH_PCT &&
        // Every journey ran to its end and sent its message; none is missing for a follow or
        // a scan answered `success` (one never answered may still have been stored).
        messages === journeyRow?.completed &&
        messages >= journeysExpected,
      web: webTrack,
      worker: workerTrack,
    };
  });
}
