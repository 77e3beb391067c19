/**
 * Records the event histories of real journeys, to be committed as fixtures and replayed in CI
 * (test/integration/journey-replay-recorded.test.ts; the rules: docs/decisions/007-changing-journeys.md).
 *
 *   npm run record:histories
 *
 * runs each scenario below on the real stack (sandbox, callback route, worker with the current
 * bundle, Temporal) and writes test/fixtures/workflows/histories/<name>.json. Re-record only
 * when the journey workflow changed on purpose: a fixture is a journey *already running* in
 * production, so replacing one hides exactly the breakage the replay test exists to catch —
 * add new fixtures beside the old ones instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { followers, journeys, messageTemplates } from '../../db/schema';
import { addCodes, createPool } from '../../services/coupons/codes';
import { dateSweep } from '../../workflows/workflows/date-sweep';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';

const OUT = new URL('../fixtures/workflows/histories/', import.meta.url);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();

/** Saves one run's history (the last run of `workflowId` unless `runId` names another). */
async function save(
  client: Client,
  name: string,
  scenario: string,
  workflowId: string,
  runId?: string,
): Promise<void> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const encoded = temporal.api.history.v1.History.encode(history).finish();
  const first = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    new URL(`${name}.json`, OUT),
    `${JSON.stringify(
      {
        name,
        scenario,
        workflowType: first?.workflowType?.name ?? null,
        workflowId,
        recordedAt: new Date().toISOString().slice(0, 10),
        recordedWith: commit,
        events: history.events?.length ?? 0,
        history: Buffer.from(encoded).toString('base64'),
      },
      null,
      2,
    )}\n`,
  );
}

const workflowIdOf = async (rt: Runtime, flowId: string, openid: string) => {
  const [row] = await rt.handle.db
    .select({ workflowId: journeys.workflowId })
    .from(journeys)
    .innerJoin(followers, eq(followers.id, journeys.followerId))
    .where(and(eq(journeys.flowId, flowId), eq(followers.openid, openid)));
  if (!row) throw new Error(`no journey for ${openid}`);
  return row.workflowId;
};

const finished = (rt: Runtime, flowId: string, count: number) =>
  expect
    .poll(async () => (await journeyRows(rt, flowId)).filter((j) => j.status !== 'active').length, {
      timeout: 60_000,
      interval: 250,
    })
    .toBe(count);

describe('journeys on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;

  beforeAll(async () => {
    const path = execFileSync('sh', ['-c', 'command -v temporal-test-server'], {
      encoding: 'utf8',
    }).trim();
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path } },
    });
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
    await seedCupWorld(rt);
    await addCodes(rt.handle.db, (await createPool(rt.handle.db, rt.brand.id, 'welcome-coupon'))!, [
      'W-1',
      'W-2',
    ]);
    await addCodes(rt.handle.db, (await createPool(rt.handle.db, rt.brand.id, 'birthday-gift'))!, [
      'B-1',
    ]);
    await rt.handle.db.insert(messageTemplates).values({
      brandId: rt.brand.id,
      name: '生日提醒',
      wechatTemplateId: 'TPL_BIRTHDAY',
      fields: ['thing1', 'character_string2', 'time3'],
    });
    await rt.control.addTemplate(rt.brand.appId, {
      templateId: 'TPL_BIRTHDAY',
      title: '生日提醒',
      content: '{{thing1.DATA}} {{character_string2.DATA}} {{time3.DATA}}',
    });
  });
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  it('birthday: the date sweep enters a follower three days ahead', async () => {
    const { flowId } = await rt.publish('test/fixtures/flows/valid/birthday-gift.json');
    await rt.handle.db
      .insert(followers)
      .values({ brandId: rt.brand.id, openid: 'o_bday', subscribed: true, birthday: '11-25' });
    await rt.control.follow(rt.brand.appId, 'o_bday');
    const sweepId = 'sweep-record-2026-11-22';
    await rt.running(async () => {
      await rt.temporal.workflow.execute(dateSweep, {
        taskQueue: rt.taskQueue,
        workflowId: sweepId,
        args: [{ brandId: rt.brand.id, now: Date.parse('2026-11-22T02:30:00Z') }],
      });
      await finished(rt, flowId, 1);
    });
    await save(rt.temporal, 'birthday-sweep', 'birthday-gift.json: the sweep of 22 Nov', sweepId);
    await save(
      rt.temporal,
      'birthday-journey',
      'birthday-gift.json: entered by the sweep, coupon, template message',
      await workflowIdOf(rt, flowId, 'o_bday'),
    );
  });

  it('golden 48 hours: a keyword, silence until the timeout, an unfollow during the wait', async () => {
    // Without its quiet hours, so that the recording does not depend on the hour it is made.
    const golden = JSON.parse(
      readFileSync('test/fixtures/flows/valid/golden-48h-welcome.json', 'utf8'),
    );
    const { flowId } = await rt.publish({
      ...golden,
      settings: { ...golden.settings, quietHours: null },
    });
    await rt.running(async () => {
      for (const openid of ['o_talker', 'o_silent', 'o_leaver']) {
        await rt.control.follow(rt.brand.appId, openid);
      }
      await expect
        .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.currentStep), {
          timeout: 30_000,
        })
        .toEqual(['wait', 'wait', 'wait']);
      await rt.control.text(rt.brand.appId, 'o_talker', '有优惠券吗');
      await rt.control.unfollow(rt.brand.appId, 'o_leaver');
      // Both signals in before time jumps: otherwise the timeout could win the race.
      await finished(rt, flowId, 2);
      await env.sleep('48h');
      await finished(rt, flowId, 3);
    });
    const scenario = 'golden-48h-welcome.json without quiet hours';
    await save(
      rt.temporal,
      'golden48-keyword',
      `${scenario}: follow, keyword at once`,
      await workflowIdOf(rt, flowId, 'o_talker'),
    );
    await save(
      rt.temporal,
      'golden48-timeout',
      `${scenario}: follow, silent 47 h`,
      await workflowIdOf(rt, flowId, 'o_silent'),
    );
    await save(
      rt.temporal,
      'golden48-unfollow',
      `${scenario}: follow, unfollow in the wait`,
      await workflowIdOf(rt, flowId, 'o_leaver'),
    );
  });

  it('cup QR: a scan follow issues a coupon, pushes it, swaps the menu', async () => {
    const { flowId } = await rt.publish('test/fixtures/flows/valid/cup-qr-coupon-vip.json');
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_cup', { scene: 'cup-2012' });
      await finished(rt, flowId, 1);
    });
    await save(
      rt.temporal,
      'cup-qr',
      'cup-qr-coupon-vip.json: subscribe with qrscene_cup-2012',
      await workflowIdOf(rt, flowId, 'o_cup'),
    );
  });

  it('channel QR: two conditions judged in local activities (journey-local-condition)', async () => {
    const { flowId } = await rt.publish('test/fixtures/flows/valid/channel-qr-source.json');
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_poster', { scene: 'poster_7' });
      await finished(rt, flowId, 1);
    });
    await save(
      rt.temporal,
      'channel-qr-local-condition',
      'channel-qr-source.json: subscribe with qrscene_poster_7 (store? no, poster? yes)',
      await workflowIdOf(rt, flowId, 'o_poster'),
    );
  });
});

describe('a journey that continues as new', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;

  beforeAll(async () => {
    const path = execFileSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' }).trim();
    // The server suggests continue-as-new after 20 events instead of thousands, so a short
    // flow shows what a long-lived one does.
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path },
        extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=20'],
      },
    });
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  it('ten profile steps in a row cross the suggestion and continue as new', async () => {
    const steps = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const { flowId } = await rt.publish({
      format: 'fanfare.flow/v1',
      name: 'long profile chain',
      settings: {
        timezone: 'Asia/Shanghai',
        entry: { reentry: 'once' },
        quietHours: null,
        frequencyCap: null,
        exitOn: [],
        goal: null,
      },
      nodes: [
        { id: 'follow', kind: 'trigger.follow' },
        ...steps.map((id, i) => ({
          id,
          kind: 'action.update_profile',
          config: { addPoints: i + 1 },
        })),
        { id: 'end', kind: 'flow.end' },
      ],
      edges: ['follow', ...steps].map((from, i) => ({
        id: `e${i}`,
        from,
        port: 'next',
        to: steps[i] ?? 'end',
      })),
    });
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_long');
      await finished(rt, flowId, 1);
    });
    const workflowId = await workflowIdOf(rt, flowId, 'o_long');
    const last = await rt.temporal.workflow.getHandle(workflowId).describe();
    const firstRunId = last.raw.workflowExecutionInfo?.firstRunId ?? undefined;
    expect(firstRunId).toBeTruthy();
    expect(firstRunId).not.toBe(last.runId);
    await save(
      rt.temporal,
      'continued-first-run',
      'a 10-step chain: the run that continued as new',
      workflowId,
      firstRunId,
    );
    await save(
      rt.temporal,
      'continued-last-run',
      'a 10-step chain: the run that finished',
      workflowId,
    );
  });
});
