/**
 * The shared table of journey cases (test/cases/journey-cases.ts) on Temporal — the real
 * worker, Postgres, the callback route and the WeChat sandbox, on the time-skipping test
 * server — asserting the same steps, messages and endings as the simulator's test
 * (engine/simulate/simulate.test.ts). Each flow gets a brand of its own, so a follow enters
 * one flow only; each case drives its scenario's events at their offsets.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followers, journeySteps, journeys, messageTemplates, messages } from '../../db/schema';
import { parseScenario, scenarioTime } from '../../engine/simulate';
import { wallTime } from '../../engine/time';
import { addCodes, createPool } from '../../services/coupons/codes';
import { currentStepQuery } from '../../workflows/workflows/journey';
import {
  JOURNEY_CASES,
  REMINDER_TEMPLATE,
  WELCOME_POOL,
  stepLine,
  type JourneyCase,
} from '../cases/journey-cases';
import { startRuntime, type Runtime } from '../support/runtime';
import { startTimeSkipping } from '../support/time-skipping';

const MINUTE = 60_000;

describe('the shared journey cases on Temporal (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;
  /** One brand and one published flow per distinct flow document. */
  const brands = new Map<object, { id: string; appId: string; flowId: string }>();

  beforeAll(async () => {
    env = await startTimeSkipping();
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
    for (const c of JOURNEY_CASES) {
      if (brands.has(c.flow)) continue;
      const brand = await rt.addBrand(`case${brands.size}`);
      const pool = await createPool(rt.handle.db, brand.id, WELCOME_POOL);
      await addCodes(rt.handle.db, pool!, ['W-1', 'W-2', 'W-3']);
      await rt.handle.db.insert(messageTemplates).values({
        brandId: brand.id,
        name: REMINDER_TEMPLATE.name,
        wechatTemplateId: REMINDER_TEMPLATE.wechatTemplateId,
        fields: REMINDER_TEMPLATE.fields,
      });
      await rt.control.addTemplate(brand.appId, {
        templateId: REMINDER_TEMPLATE.wechatTemplateId,
        title: REMINDER_TEMPLATE.title,
        content: REMINDER_TEMPLATE.content,
      });
      const { flowId } = await rt.publish(c.flow, { brandId: brand.id });
      brands.set(c.flow, { id: brand.id, appId: brand.appId, flowId });
    }
  }, 120_000);
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  /** Sleeps the test server's clock to `at` (epoch ms), if it is still ahead. */
  const sleepTo = async (at: number) => {
    const now = await env.currentTimeMs();
    if (at > now) await env.sleep(at - now);
  };

  /** The next moment whose wall time in Asia/Shanghai is the scenario start's (hh:mm). */
  const alignedStart = async (start: number) => {
    const want = wallTime(start, 'Asia/Shanghai');
    let at = (await env.currentTimeMs()) + MINUTE;
    at -= at % MINUTE;
    for (let i = 0; i < 24 * 60 + 1; i++, at += MINUTE) {
      const w = wallTime(at, 'Asia/Shanghai');
      if (w.hour === want.hour && w.minute === want.minute) return at;
    }
    throw new Error('no aligned start');
  };

  async function drive(c: JourneyCase, index: number) {
    const { appId, flowId } = brands.get(c.flow)!;
    const openid = `o_case_${index}`;
    const scenario = parseScenario(c.scenario);
    const start = Date.parse(scenario.start);
    const t0 = await alignedStart(start);
    await sleepTo(t0);

    /** This case's journey: its follower is the case's openid in the flow's brand. */
    const journey = async () => {
      const [row] = await rt.handle.db
        .select({ j: journeys })
        .from(journeys)
        .innerJoin(followers, eq(followers.id, journeys.followerId))
        .where(and(eq(journeys.flowId, flowId), eq(followers.openid, openid)));
      return row?.j ?? null;
    };
    const settled = async () => {
      await expect
        .poll(
          async () => {
            const j = await journey();
            if (!j) return false;
            if (j.status !== 'active') return true;
            const s = await rt.temporal.workflow.getHandle(j.workflowId).query(currentStepQuery);
            return s.waiting !== null;
          },
          { timeout: 30_000, interval: 100 },
        )
        .toBe(true);
    };

    for (const e of scenario.events) {
      await sleepTo(t0 + (scenarioTime(e.at, start) - start));
      if (e.type === 'follow') await rt.control.follow(appId, openid);
      else if (e.type === 'keyword') await rt.control.text(appId, openid, e.text ?? '');
      else if (e.type === 'unfollow') await rt.control.unfollow(appId, openid);
      else throw new Error(`this test cannot drive a ${e.type} event yet`);
      await settled();
    }

    const lastEvent = Math.max(...scenario.events.map((e) => scenarioTime(e.at, start) - start));
    const endsAt = t0 + (scenarioTime(`+${c.expect.endsAfter}`, start) - start);
    if (endsAt - MINUTE > t0 + lastEvent) {
      // A minute before the end it still runs; two minutes later it is over.
      await sleepTo(endsAt - MINUTE);
      expect((await journey())?.status).toBe('active');
      await sleepTo(endsAt + MINUTE);
    }
    await expect
      .poll(async () => (await journey())?.status, { timeout: 30_000, interval: 100 })
      .not.toBe('active');
    const j = (await journey())!;

    const rows = await rt.handle.db
      .select()
      .from(journeySteps)
      .where(eq(journeySteps.journeyId, j.id))
      .orderBy(asc(journeySteps.id));
    const keys = rows.map((r) => r.stepKey);
    const msgs = keys.length
      ? await rt.handle.db
          .select()
          .from(messages)
          .where(inArray(messages.idempotencyKey, keys))
          .orderBy(asc(messages.id))
      : [];
    const msgOf = new Map(msgs.map((m) => [m.idempotencyKey, m]));
    const steps = rows
      .filter((r) => r.status !== 'entered')
      .map((r) => {
        const m = msgOf.get(r.stepKey);
        const port = typeof r.output?.port === 'string' ? r.output.port : null;
        return stepLine({
          nodeId: r.nodeId,
          kind: r.kind,
          port,
          outcome: m?.outcome ?? r.status,
          channel: m?.channel ?? null,
          reason: m?.reason ?? r.reason,
        });
      });
    const sent = msgs
      .filter((m) => m.outcome === 'sent')
      .map((m) => `${m.idempotencyKey.split(':').at(-2)} ${m.channel}`);
    return {
      steps,
      sent,
      end: { status: j.status, reason: j.exitReason },
      atSandbox: (await rt.control.sentMessages(appId, openid)).length,
    };
  }

  JOURNEY_CASES.forEach((c, index) => {
    it(
      c.name,
      async () => {
        const observed = await rt.running(() => drive(c, index));
        expect(observed.steps).toEqual(c.expect.steps);
        expect(observed.sent).toEqual(c.expect.messages);
        expect(observed.atSandbox).toBe(c.expect.messages.length);
        expect(observed.end).toEqual(c.expect.end);
      },
      180_000,
    );
  });
});
