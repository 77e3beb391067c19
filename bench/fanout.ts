/**
 * `npm run bench -- fanout` (docs/quality.md: ratio ≥ 0.9).
 *
 * Ours: N followers (default 10,000) have their birthday in 3 days; a live flow
 * trigger.birthday (3 days before, 10:00 Shanghai) → flow.end, re-entry after_exit, as the
 * birthday-gift fixture. The `dateSweep` workflow runs with `now` = 22 Nov 10:30 Shanghai
 * and enters them page by page (its sweepPage activity: the birthday query, then per
 * follower the re-entry check, the journeys row and the workflow start). Starts/s = journeys
 * started / sweep wall time.
 *
 * Baseline, same run, same server: N bare workflows (bench/workflows/noop.ts) started by the
 * client with the same concurrency as the sweep starts journeys (ENTER_CONCURRENCY).
 *
 * Both sides start on task queues no worker polls: the benchmark measures starting, not
 * running, 10,000 workflows on two cores (docs/quality.md: "starts/s"). Baseline first (the
 * server's state only grows, which can only slow ours down).
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inArray, sql } from 'drizzle-orm';
import { createLogger } from '../config/logger';
import type { Db } from '../db/client';
import { followers, journeys } from '../db/schema';
import { createActivities } from '../workflows/activities';
import { buildWorkflowBundle } from '../workflows/bundle';
import { ENTER_CONCURRENCY } from '../workflows/activities/sweeps';
import { createRouter } from '../workflows/dispatch/router';
import { dateSweep } from '../workflows/workflows/date-sweep';
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
  publishFlow,
  round,
  withCleanup,
} from './support';
import { SHORT, knob } from './knobs';

const N = knob('BENCH_FANOUT_N', 10_000, 400);
const WARMUP = SHORT ? 10 : 50;
/** Baseline and ours alternate in this many rounds of N / ROUNDS each. */
const ROUNDS = 2;
/** dateSweep's sweepPage starts its page's journeys one after the other. */
// The same client concurrency as the sweep enters followers with.
const CLIENT_CONCURRENCY = ENTER_CONCURRENCY;
const TARGET_RATIO = 0.9;
/** 10:30 in Shanghai on 22 November 2026: birthdays on 25 November are due. */
const SWEEP_NOW = Date.parse('2026-11-22T02:30:00Z');
const BIRTHDAY = '11-25';

const birthdayFlow = {
  format: 'fanfare.flow/v1',
  name: 'bench: birthday (3 days before) → end',
  settings: { timezone: 'Asia/Shanghai', entry: { reentry: 'after_exit' } },
  nodes: [
    {
      id: 'bday',
      kind: 'trigger.birthday',
      position: { x: 0, y: 0 },
      config: { daysBefore: 3, at: '10:00' },
    },
    { id: 'end', kind: 'flow.end', position: { x: 240, y: 0 } },
  ],
  edges: [{ id: 'e1', from: 'bday', port: 'next', to: 'end' }],
};

async function seedFollowers(db: Db, brandId: string, prefix: string, count: number) {
  for (let from = 0; from < count; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, count - from) }, (_, k) => ({
      brandId,
      openid: `${prefix}${from + k}`,
      subscribed: true,
      birthday: BIRTHDAY,
    }));
    await db.insert(followers).values(rows);
  }
}

export default function bench(): Promise<BenchResult> {
  return withCleanup(8 * 60_000, async (cleanup) => {
    const logger = createLogger('bench', 'silent');
    const url = await benchDatabase(cleanup);
    const address = await benchTemporal(cleanup);
    const bundle = await buildWorkflowBundle();
    const work = benchDbHandle(cleanup, url, DB_POOL_MAX);
    const box = newSecretBox();

    const warmBrand = await createBrand(work.db, box, { apiBase: 'http://127.0.0.1:9' });
    await publishFlow(work.db, warmBrand.id, birthdayFlow);
    await seedFollowers(work.db, warmBrand.id, 'o_warm_', WARMUP);
    // One brand (and flow) per round, each with its share of the N followers.
    const perRound = Array.from(
      { length: ROUNDS },
      (_, r) => Math.floor(N / ROUNDS) + (r < N % ROUNDS ? 1 : 0),
    );
    log(`seeding ${N} followers born on ${BIRTHDAY}`);
    const rounds: { brandId: string; flowId: string; count: number }[] = [];
    for (const [r, count] of perRound.entries()) {
      const brand = await createBrand(work.db, box, { apiBase: 'http://127.0.0.1:9' });
      const { flowId } = await publishFlow(work.db, brand.id, birthdayFlow);
      await seedFollowers(work.db, brand.id, `o_bday_${r}_`, count);
      rounds.push({ brandId: brand.id, flowId, count });
    }

    const connection = await Connection.connect({ address });
    cleanup.add('close temporal client', () => connection.close());
    const client = new Client({ connection });
    const native = await NativeConnection.connect({ address });
    cleanup.add('close worker connection', () => native.close());

    // Baseline: bare workflow starts, as many at a time as the sweep, on a queue nobody polls.
    const parkedBare = `bench-parked-bare-${randomUUID()}`;
    const startBare = (prefix: string, count: number) =>
      mapLimit(
        Array.from({ length: count }, (_, i) => i),
        CLIENT_CONCURRENCY,
        (i) =>
          client.workflow.start('noopWorkflow', {
            taskQueue: parkedBare,
            workflowId: `${prefix}-${i}`,
            args: [0],
          }),
      );

    // Ours: the date sweep (its worker), its journeys started on a queue nobody polls.
    const parkedJourneys = `bench-parked-journeys-${randomUUID()}`;
    const sweepQueue = `bench-sweep-${randomUUID()}`;
    const router = createRouter({
      db: work.db,
      temporal: client,
      taskQueue: parkedJourneys,
      logger,
    });
    const worker = await Worker.create({
      connection: native,
      taskQueue: sweepQueue,
      workflowBundle: { code: bundle.code },
      activities: createActivities({
        db: work.db,
        box,
        enterMany: router.enterMany,
      }),
      ...WORKER_SETTINGS,
    });
    const sweep = (brandId: string) =>
      client.workflow.execute(dateSweep, {
        taskQueue: sweepQueue,
        workflowId: `bench-sweep-${randomUUID()}`,
        args: [{ brandId, now: SWEEP_NOW }],
        workflowExecutionTimeout: '6 minutes',
      });

    // Rounds alternate baseline and ours, so that a change in the machine's load between
    // the two halves of the run biases neither side.
    const timed = await worker.runUntil(async () => {
      await startBare(`warm-${randomUUID()}`, WARMUP);
      const warm = await sweep(warmBrand.id);
      if (warm.entered !== WARMUP) throw new Error(`warm-up sweep entered ${warm.entered}`);
      const out: { bareSec: number; sweepSec: number; entered: number }[] = [];
      for (const [r, round] of rounds.entries()) {
        log(
          `round ${r + 1}/${ROUNDS}: ${round.count} bare starts, then a sweep over ${round.count}`,
        );
        const b0 = Date.now();
        await startBare(`bare-${r}-${randomUUID()}`, round.count);
        const bareSec = (Date.now() - b0) / 1000;
        const s0 = Date.now();
        const result = await sweep(round.brandId);
        out.push({ bareSec, sweepSec: (Date.now() - s0) / 1000, entered: result.entered });
      }
      return out;
    });

    const [row] = await work.db
      .select({ n: sql<number>`count(*)::int` })
      .from(journeys)
      .where(
        inArray(
          journeys.flowId,
          rounds.map((r) => r.flowId),
        ),
      );
    const entered = timed.reduce((a, t) => a + t.entered, 0);
    const oursSec = timed.reduce((a, t) => a + t.sweepSec, 0);
    const baselineSec = timed.reduce((a, t) => a + t.bareSec, 0);
    const oursPerSec = entered / oursSec;
    const baselinePerSec = N / baselineSec;
    const ratio = oursPerSec / baselinePerSec;
    const roundRatios = timed.map((t, r) =>
      round(t.entered / t.sweepSec / (rounds[r]!.count / t.bareSec), 3),
    );
    return {
      scenario: 'fanout',
      n: N,
      ours: {
        startsPerSec: round(oursPerSec, 1),
        seconds: round(oursSec),
        entered,
        journeyRows: row?.n ?? 0,
        clientConcurrency: CLIENT_CONCURRENCY,
        rounds: ROUNDS,
      },
      baseline: {
        startsPerSec: round(baselinePerSec, 1),
        seconds: round(baselineSec),
        started: N,
        ...Object.fromEntries(roundRatios.map((x, r) => [`ratioRound${r + 1}`, x])),
        clientConcurrency: CLIENT_CONCURRENCY,
      },
      ratio: round(ratio, 3),
      unit: 'starts/s',
      target: `ratio ≥ ${TARGET_RATIO}`,
      pass: ratio >= TARGET_RATIO && entered === N && row?.n === N,
    };
  });
}
