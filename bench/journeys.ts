/**
 * `npm run bench -- journeys` (docs/quality.md: ratio ≥ 0.8).
 *
 * Ours: N followers follow the account in the WeChat sandbox (its simulator POSTs the signed
 * subscribe to our callback route), the outbox dispatcher and router start their journeys, and
 * the worker runs the 5-step flow trigger.follow → condition.rules → action.tag →
 * action.coupon → action.push (customer-service message with the coupon code) against the
 * sandbox. Completed journeys/s from the first follow to the last journey's end (ended_at).
 * Five steps per journey: evaluateCondition (a local activity since `journey-local-condition`),
 * then the activities tagFollower, issueCoupon, pushMessage, finishJourney; the result counts
 * both kinds from a journey's history.
 *
 * Baseline, same run: N bare workflows (bench/workflows/noop.ts, own bundle, own worker, own
 * task queue) each running 5 no-op activities, started by the client with the same
 * concurrency as ours sends follows, on the same Temporal server with the same worker
 * settings. Baseline first (the server's history only grows), each side after a small warm-up.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { createLogger } from '../config/logger';
import type { Db } from '../db/client';
import { addCodes, createPool } from '../services/coupons/codes';
import { SandboxControl } from '../wechat/sandbox/control';
import { startSandbox } from '../wechat/sandbox';
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
  buildNoopBundle,
  createBrand,
  log,
  mapLimit,
  newSecretBox,
  noopActivities,
  percentile,
  publishFlow,
  round,
  serveCallbacks,
  until,
  withCleanup,
} from './support';
import { SHORT, knob } from './knobs';

const N = knob('BENCH_JOURNEYS_N', 200, 30);
const WARMUP = SHORT ? 3 : 10;
/** Follows in flight through the sandbox (ours) = workflow starts in flight (baseline). */
const CONCURRENCY = 10;
const STEPS = 5;
const { EventType } = proto.temporal.api.enums.v1;
const TARGET_RATIO = 0.8;
const COMPLETION_TIMEOUT_MS = 240_000;

export const fiveStepFlow = {
  format: 'fanfare.flow/v1',
  name: 'bench: follow → condition → tag → coupon → push',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'once' } },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'check',
      kind: 'condition.rules',
      position: { x: 240, y: 0 },
      config: {
        rules: {
          all: [
            { fact: 'follower', path: '$.subscribed', operator: 'equal', value: true },
            { fact: 'event', path: '$.type', operator: 'equal', value: 'follow' },
          ],
        },
      },
    },
    {
      id: 'tag',
      kind: 'action.tag',
      position: { x: 480, y: 0 },
      config: { add: ['bench_vip'], remove: [] },
    },
    { id: 'coupon', kind: 'action.coupon', position: { x: 720, y: 0 }, config: { pool: 'bench' } },
    {
      id: 'push',
      kind: 'action.push',
      position: { x: 960, y: 0 },
      config: {
        channel: 'customer_service',
        message: { type: 'text', text: 'Welcome! Your coupon: {{coupon.code}}' },
      },
    },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'check' },
    { id: 'e2', from: 'check', port: 'yes', to: 'tag' },
    { id: 'e3', from: 'tag', port: 'next', to: 'coupon' },
    { id: 'e4', from: 'coupon', port: 'next', to: 'push' },
  ],
};

async function progress(db: Db, flowId: string, prefix: string) {
  const [row] = await db.execute<{
    total: number;
    active: number;
    completed: number;
    first_entered: string | null;
    last_ended: string | null;
  }>(sql`
    select count(*)::int as total,
           (count(*) filter (where j.status = 'active'))::int as active,
           (count(*) filter (where j.status = 'completed'))::int as completed,
           min(j.entered_at) as first_entered,
           max(j.ended_at) as last_ended
    from journeys j join followers f on f.id = j.follower_id
    where j.flow_id = ${flowId} and f.openid like ${`${prefix}%`}`);
  return row!;
}

export default function bench(): Promise<BenchResult> {
  return withCleanup(8 * 60_000, async (cleanup) => {
    const logger = createLogger('bench', 'silent');
    const url = await benchDatabase(cleanup);
    const address = await benchTemporal(cleanup);
    const [bundle, noopBundle] = await Promise.all([buildWorkflowBundle(), buildNoopBundle()]);

    // As in production: the web process and the worker process each have their own pool.
    const web = benchDbHandle(cleanup, url, DB_POOL_MAX);
    const work = benchDbHandle(cleanup, url, DB_POOL_MAX);
    const box = newSecretBox();
    const sandbox = await startSandbox({ port: 0 });
    cleanup.add('stop sandbox', () => sandbox.stop());
    const control = new SandboxControl(sandbox.url);
    const app = await serveCallbacks({ db: web.db, box, logger }, cleanup);
    const brand = await createBrand(web.db, box, {
      apiBase: sandbox.url,
      control,
      callbackBase: app.url,
    });
    const poolId = await createPool(work.db, brand.id, 'bench');
    await addCodes(
      work.db,
      poolId!,
      Array.from({ length: N + WARMUP }, (_, i) => `BENCH-${String(i).padStart(6, '0')}`),
    );
    const { flowId } = await publishFlow(work.db, brand.id, fiveStepFlow);

    const connection = await Connection.connect({ address });
    cleanup.add('close temporal client', () => connection.close());
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address });
    cleanup.add('close worker connection', () => native.close());

    // ---- Baseline: N bare workflows × 5 no-op activities.
    const noopQueue = `bench-noop-${randomUUID()}`;
    const noopWorker = await Worker.create({
      connection: native,
      taskQueue: noopQueue,
      workflowBundle: noopBundle,
      activities: noopActivities,
      ...WORKER_SETTINGS,
    });
    let sampleNoopId = '';
    const runNoops = async (prefix: string, count: number) => {
      const done: Promise<number>[] = [];
      await mapLimit(
        Array.from({ length: count }, (_, i) => i),
        CONCURRENCY,
        async (i) => {
          const handle = await client.workflow.start('noopWorkflow', {
            taskQueue: noopQueue,
            workflowId: `${prefix}-${i}`,
            args: [STEPS],
          });
          sampleNoopId = handle.workflowId;
          done.push(handle.result().then(() => Date.now()));
        },
      );
      return Promise.all(done);
    };
    const baseline = await noopWorker.runUntil(async () => {
      await runNoops(`warm-${randomUUID()}`, WARMUP);
      log(`baseline: ${N} bare workflows × ${STEPS} no-op activities`);
      const t0 = Date.now();
      const ends = await Promise.race([
        runNoops(`noop-${randomUUID()}`, N),
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error('baseline workflows did not finish')),
            COMPLETION_TIMEOUT_MS,
          ).unref(),
        ),
      ]);
      const seconds = (Math.max(...ends) - t0) / 1000;
      return { seconds, perSec: N / seconds, p50DoneSec: (percentile(ends, 50) - t0) / 1000 };
    });

    // ---- Ours: follows through the sandbox → callback → outbox → router → journeys.
    const taskQueue = `bench-journeys-${randomUUID()}`;
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
    const follow = async (openid: string) => {
      const result = await control.follow(brand.appId, openid);
      const last = result.attempts.at(-1);
      if (last?.status !== 200 || last.body !== 'success')
        throw new Error(`follow ${openid}: ${last?.status} ${last?.body}`);
    };
    const runFollows = async (prefix: string, count: number) => {
      const t0 = Date.now();
      await mapLimit(
        Array.from({ length: count }, (_, i) => `${prefix}${i}`),
        CONCURRENCY,
        follow,
      );
      const followsSec = (Date.now() - t0) / 1000;
      const row = await until(
        `${count} journeys of ${prefix}* finished`,
        async () => {
          const p = await progress(work.db, flowId, prefix);
          return p.total === count && p.active === 0 ? p : undefined;
        },
        { timeoutMs: COMPLETION_TIMEOUT_MS, intervalMs: 250 },
      );
      return { t0, followsSec, row };
    };
    const ours = await worker.runUntil(async () => {
      const dispatcher = await startDispatcher({ db: work, logger, route: router });
      try {
        await runFollows('o_warm_', WARMUP);
        log(`ours: ${N} followers through the 5-step flow`);
        const { t0, followsSec, row } = await runFollows('o_fan_', N);
        const seconds = (new Date(row.last_ended!).getTime() - t0) / 1000;
        return {
          seconds,
          perSec: N / seconds,
          followsSec,
          completed: row.completed,
          firstEnteredSec: (new Date(row.first_entered!).getTime() - t0) / 1000,
        };
      } finally {
        await dispatcher.stop();
      }
    });

    // For the record: how much history one journey makes, against one bare workflow.
    const [sample] = await work.db.execute<{ workflow_id: string }>(
      sql`select workflow_id from journeys where flow_id = ${flowId} limit 1`,
    );
    // How long a history is, and how many of its steps were activity tasks / local activities.
    const historyOf = async (workflowId: string) => {
      const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const count = (type: number, marker?: string) =>
        events.filter(
          (e) =>
            e.eventType === type &&
            (!marker || e.markerRecordedEventAttributes?.markerName === marker),
        ).length;
      return {
        events: events.length,
        activities: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
        localActivities: count(EventType.EVENT_TYPE_MARKER_RECORDED, 'core_local_activity'),
      };
    };
    const oursHistory = sample
      ? await historyOf(sample.workflow_id)
      : { events: 0, activities: 0, localActivities: 0 };
    const baselineHistory = await historyOf(sampleNoopId);

    // Did the journeys do their work? One customer-service message per follower, with a code.
    const sent = (await control.sentMessages(brand.appId)).filter(
      (m) => m.touser.startsWith('o_fan_') && JSON.stringify(m.body).includes('BENCH-'),
    );
    const ratio = ours.perSec / baseline.perSec;
    return {
      scenario: 'journeys',
      n: N,
      ours: {
        journeysPerSec: round(ours.perSec),
        seconds: round(ours.seconds),
        followsAnsweredSec: round(ours.followsSec),
        firstJourneyEnteredSec: round(ours.firstEnteredSec),
        completed: ours.completed,
        messagesSent: sent.length,
        stepsPerJourney: STEPS,
        activitiesPerJourney: oursHistory.activities,
        localActivitiesPerJourney: oursHistory.localActivities,
        historyEventsPerJourney: oursHistory.events,
        concurrency: CONCURRENCY,
      },
      baseline: {
        workflowsPerSec: round(baseline.perSec),
        seconds: round(baseline.seconds),
        halfDoneSec: round(baseline.p50DoneSec),
        activitiesPerWorkflow: baselineHistory.activities,
        historyEventsPerWorkflow: baselineHistory.events,
        concurrency: CONCURRENCY,
      },
      ratio: round(ratio, 3),
      unit: 'journeys/s',
      target: `ratio ≥ ${TARGET_RATIO}`,
      pass: ratio >= TARGET_RATIO && ours.completed === N && sent.length === N,
    };
  });
}
