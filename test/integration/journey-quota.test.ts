/**
 * Issue 10, acceptance 1–3: pushes go out through a channel WeChat accepts now, by the real
 * customer-service quota (engine/quota.ts) — a follow opens 3 within a minute, a fan's
 * message 5 within 48 hours — with the node's template fallback, or are recorded skipped
 * with the reason. Real Temporal (the time-skipping server for the 2-hour wait), Postgres
 * and the WeChat sandbox, which answers 45015/45047 like WeChat would.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { asc, eq, inArray } from 'drizzle-orm';
import { replayOnCurrentBundle } from '../support/replay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleEventsApi } from '../../app/lib/events-api.server';
import { createApiKey } from '../../services/api-keys/store';
import { flows, followers, messages } from '../../db/schema';
import { validate } from '../../engine/validate/index';
import { currentStepQuery } from '../../workflows/workflows/journey';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';
import { startTimeSkipping } from '../support/time-skipping';

const settings = {
  timezone: 'Asia/Shanghai',
  entry: { reentry: 'once' },
  quietHours: null,
  frequencyCap: null,
  exitOn: [],
  goal: null,
};
const fallback = {
  type: 'template',
  templateId: 'order-notice',
  data: { thing1: '{{follower.openid}} 的通知' },
};
const push = (id: string, text: string, withFallback = true) => ({
  id,
  kind: 'action.push',
  config: {
    channel: 'auto',
    message: { type: 'text', text },
    ...(withFallback ? { fallback } : {}),
  },
});
/** trigger → steps… in a line. */
const flow = (name: string, trigger: object, steps: object[]) => {
  const nodes = [{ id: 'start', ...trigger }, ...steps] as { id: string }[];
  return {
    format: 'fanfare.flow/v1',
    name,
    settings,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({
      id: `e${i}`,
      from: nodes[i]!.id,
      port: 'next',
      to: n.id,
    })),
  };
};

/** The fallback's template, as the account has it on WeChat (the sandbox answers 40037 otherwise). */
const registerTemplate = (rt: Runtime) =>
  rt.control.addTemplate(rt.brand.appId, {
    templateId: 'order-notice',
    title: '订单通知',
    content: '通知：{{thing1.DATA}}',
  });

/** What the fan received on WeChat, in order: `cs:<text>` or `template:<id>`. */
const received = async (rt: Runtime, openid: string) =>
  (await rt.control.sentMessages(rt.brand.appId, openid)).map((m) =>
    m.channel === 'template'
      ? `template:${String(m.body.template_id)}`
      : `cs:${(m.body.text as { content: string }).content}`,
  );

/** Our records of a flow's pushes: step, outcome, channel, reason. */
const recorded = async (rt: Runtime, flowId: string) => {
  const ids = (await journeyRows(rt, flowId)).map((j) => j.id);
  if (ids.length === 0) return [];
  const rows = await rt.handle.db
    .select()
    .from(messages)
    .where(inArray(messages.journeyId, ids))
    .orderBy(asc(messages.id));
  return rows.map((m) => [m.idempotencyKey.split(':').at(-2), m.outcome, m.channel, m.reason]);
};

const customSendErrcodes = async (rt: Runtime) =>
  (await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/message/custom/send' })).map(
    (c) => c.errcode,
  );

const completed = (rt: Runtime, flowId: string, n = 1) =>
  expect
    .poll(async () => (await journeyRows(rt, flowId)).filter((j) => j.status === 'completed'), {
      timeout: 30_000,
      interval: 200,
    })
    .toHaveLength(n);

describe('quota after a follow (real Temporal server)', () => {
  let rt: Runtime;
  let first: string;
  beforeAll(async () => {
    rt = await startRuntime();
    await registerTemplate(rt);
  });
  afterAll(() => rt?.close());

  it('acceptance 1: four auto pushes right after a follow — three customer-service, the fourth its template; never 45047', async () => {
    const doc = flow('four after follow', { kind: 'trigger.follow' }, [
      push('p1', '一'),
      push('p2', '二'),
      push('p3', '三'),
      push('p4', '四'),
    ]);
    expect(validate(doc)).toEqual([]);
    const { flowId } = await rt.publish(doc);
    first = flowId;
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_four');
      await completed(rt, flowId);
    });
    expect(await received(rt, 'o_four')).toEqual([
      'cs:一',
      'cs:二',
      'cs:三',
      'template:order-notice',
    ]);
    expect(await recorded(rt, flowId)).toEqual([
      ['p1', 'sent', 'customer_service', null],
      ['p2', 'sent', 'customer_service', null],
      ['p3', 'sent', 'customer_service', null],
      ['p4', 'sent', 'template', 'quota_used'],
    ]);
    expect(await customSendErrcodes(rt)).toEqual([0, 0, 0]);
    const [fan] = await rt.handle.db.select().from(followers).where(eq(followers.openid, 'o_four'));
    expect(fan).toMatchObject({ quotaKind: 'event', quotaLeft: 0 });
    // The journey (its fallback behind patched('push-template-fallback')) replays as it ran.
    const [journey] = await journeyRows(rt, flowId);
    const history = await rt.temporal.workflow.getHandle(journey!.workflowId).fetchHistory();
    await expect(replayOnCurrentBundle(history, journey!.workflowId)).resolves.toBeUndefined();
  });

  it('two journeys of one fan never both take the last message', async () => {
    await rt.control.clearCalls();
    // A menu click opens 3 within a minute, like a follow; both flows start from it at once.
    const click = { kind: 'trigger.menu_click', config: { keys: ['RACE'] } };
    const a = await rt.publish(flow('race a', click, [push('a1', 'a1'), push('a2', 'a2')]));
    const b = await rt.publish(flow('race b', click, [push('b1', 'b1'), push('b2', 'b2')]));
    // (the follow flow of the test before is archived, so the follow starts nothing)
    await rt.handle.db.update(flows).set({ status: 'archived' }).where(eq(flows.id, first));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_race');
      await rt.control.click(rt.brand.appId, 'o_race', 'RACE');
      await completed(rt, a.flowId);
      await completed(rt, b.flowId);
    });
    const got = await received(rt, 'o_race');
    expect(got.filter((m) => m.startsWith('cs:'))).toHaveLength(3);
    expect(got.filter((m) => m === 'template:order-notice')).toHaveLength(1);
    expect(await customSendErrcodes(rt)).toEqual([0, 0, 0]);
  });

  it('a send WeChat did not process gives its message back; a 45047 it answers sends the fallback', async () => {
    const click = (key: string) => ({ kind: 'trigger.menu_click', config: { keys: [key] } });
    const retried = await rt.publish(flow('retried', click('RETRY'), [push('once', '只一次')]));
    const refused = await rt.publish(flow('refused', click('REFUSED'), [push('cs', '客服')]));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_retry');
      await rt.control.injectFault({
        path: '/cgi-bin/message/custom/send',
        appId: rt.brand.appId,
        httpStatus: 500,
        count: 2,
      });
      await rt.control.click(rt.brand.appId, 'o_retry', 'RETRY');
      await completed(rt, retried.flowId);
      // two sends WeChat answered with HTTP 500 and one it took: one message spent, not three
      const [afterRetry] = await rt.handle.db
        .select()
        .from(followers)
        .where(eq(followers.openid, 'o_retry'));
      expect(afterRetry).toMatchObject({ quotaKind: 'event', quotaLeft: 2 });
      expect(
        (
          await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/message/custom/send' })
        ).filter((c) => c.status === 500),
      ).toHaveLength(2);
      await rt.control.injectFault({
        path: '/cgi-bin/message/custom/send',
        appId: rt.brand.appId,
        errcode: 45047,
        count: 1,
      });
      await rt.control.click(rt.brand.appId, 'o_retry', 'REFUSED');
      await completed(rt, refused.flowId);
    });
    expect(await recorded(rt, retried.flowId)).toEqual([
      ['once', 'sent', 'customer_service', null],
    ]);
    expect(await recorded(rt, refused.flowId)).toEqual([['cs', 'sent', 'template', 'quota_used']]);
    expect(await received(rt, 'o_retry')).toEqual(['cs:只一次', 'template:order-notice']);
    // WeChat's 45047 closed our count
    const [fan] = await rt.handle.db
      .select()
      .from(followers)
      .where(eq(followers.openid, 'o_retry'));
    expect(fan).toMatchObject({ quotaKind: 'event', quotaLeft: 0 });
  });
});

describe('a purchase long after the follow (real Temporal server)', () => {
  let rt: Runtime;
  let apiKey: string;
  beforeAll(async () => {
    rt = await startRuntime();
    await registerTemplate(rt);
    apiKey = (await createApiKey(rt.handle.db, rt.brand.id, 'pos')).key;
  });
  afterAll(() => rt?.close());

  it('acceptance 2: an auto push with a fallback goes out as a template; without one it is skipped / quota_closed, and the editor warned', async () => {
    const withFallback = flow('thanks (fallback)', { kind: 'trigger.purchase', config: {} }, [
      push('thanks', '谢谢惠顾'),
    ]);
    const without = flow('thanks (no fallback)', { kind: 'trigger.purchase', config: {} }, [
      push('thanks', '谢谢惠顾', false),
    ]);
    expect(validate(withFallback)).toEqual([]);
    const warning = validate(without);
    expect(warning).toMatchObject([{ code: 'W_CS_WINDOW', nodeId: 'thanks' }]);
    expect(warning[0]!.message.en).toMatch(/can never go out as a customer-service message/);

    const a = await rt.publish(withFallback);
    const b = await rt.publish(without);
    // The fan followed two minutes ago: the follow's 1-minute quota has run out.
    await rt.control.setClockOffset(-120_000);
    await rt.control.follow(rt.brand.appId, 'o_buyer');
    await rt.control.setClockOffset(0);

    await rt.running(async () => {
      const reply = await handleEventsApi(
        rt.handle.db,
        rt.brand.slug,
        new Request(`http://test/api/v1/brands/${rt.brand.slug}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({
            type: 'purchase',
            openid: 'o_buyer',
            orderId: 'order-quota-1',
            amount: 59,
          }),
        }),
      );
      expect(reply.status).toBe(202);
      await completed(rt, a.flowId);
      await completed(rt, b.flowId);
    });
    expect(await received(rt, 'o_buyer')).toEqual(['template:order-notice']);
    expect(await recorded(rt, a.flowId)).toEqual([['thanks', 'sent', 'template', 'quota_closed']]);
    expect(await recorded(rt, b.flowId)).toEqual([
      ['thanks', 'skipped', 'customer_service', 'quota_closed'],
    ]);
    expect(await customSendErrcodes(rt)).toEqual([]);
  });
});

describe('a keyword opens 48 hours (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;
  beforeAll(async () => {
    env = await startTimeSkipping();
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
    await registerTemplate(rt);
  });
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  it('acceptance 3: a push 2 hours after the keyword goes out as customer service; the 6th falls back', async () => {
    const doc = flow(
      'keyword then later',
      { kind: 'trigger.keyword', config: { keywords: ['会员'] } },
      [
        { id: 'wait', kind: 'wait.delay', config: { duration: '2h' } },
        ...[1, 2, 3, 4, 5, 6].map((n) => push(`p${n}`, `第${n}条`)),
      ],
    );
    expect(validate(doc)).toEqual([]);
    const { flowId } = await rt.publish(doc);
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_member');
      await rt.control.text(rt.brand.appId, 'o_member', '会员');
      // The journey sits on its 2-hour timer (asked of the workflow itself), then time skips.
      await expect
        .poll(
          async () => {
            const [row] = await journeyRows(rt, flowId);
            if (!row) return null;
            const state = await rt.temporal.workflow
              .getHandle(row.workflowId)
              .query(currentStepQuery);
            return state.waiting;
          },
          { timeout: 20_000, interval: 200 },
        )
        .toBe('wait');
      await env.sleep('3h');
      await completed(rt, flowId);
    });
    expect(await received(rt, 'o_member')).toEqual([
      'cs:第1条',
      'cs:第2条',
      'cs:第3条',
      'cs:第4条',
      'cs:第5条',
      'template:order-notice',
    ]);
    expect((await recorded(rt, flowId)).at(-1)).toEqual(['p6', 'sent', 'template', 'quota_used']);
    expect(await customSendErrcodes(rt)).toEqual([0, 0, 0, 0, 0]);
  });
});
