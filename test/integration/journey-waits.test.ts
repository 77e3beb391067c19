/**
 * Acceptance 2 (golden 48 hours, on the time-skipping test server) and 4 (unfollow during a
 * wait ends the journey at once; nothing is pushed afterwards).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, flows, followers, messageTemplates, messages } from '../../db/schema';
import { recordEvent } from '../../services/events/outbox';
import { currentStepQuery } from '../../workflows/workflows/journey';
import { addCodes, createPool } from '../../services/coupons/codes';
import { archiveFlow } from '../../services/flows/lifecycle';
import { OPERATOR } from '../../services/deps';
import { edge, golden48, node, settings } from '../cases/journey-cases';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';
import { startTimeSkipping } from '../support/time-skipping';

/** Follow → wait → push → end: the shape most of these tests need. */
const waitThenPush = (
  name: string,
  duration: string,
  text: string,
  extra: Record<string, unknown> = {},
) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: { ...settings, ...extra },
  nodes: [
    node('follow', 'trigger.follow'),
    node('wait', 'wait.delay', { duration }),
    node('push', 'action.push', { channel: 'auto', message: { type: 'text', text } }),
    node('end', 'flow.end'),
  ],
  edges: [edge('follow', 'wait'), edge('wait', 'push'), edge('push', 'end')],
});

const sentTo = async (rt: Runtime, openid: string) =>
  (await rt.control.sentMessages(rt.brand.appId, openid)).map((m) =>
    m.channel === 'template'
      ? `template:${String(m.body.template_id)}`
      : `cs:${JSON.stringify(m.body)}`,
  );

describe('golden 48 hours (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;
  let flowId: string;

  beforeAll(async () => {
    env = await startTimeSkipping();
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
    const pool = await createPool(rt.handle.db, rt.brand.id, 'welcome');
    await addCodes(rt.handle.db, pool!, ['W-1', 'W-2']);
    await rt.handle.db.insert(messageTemplates).values({
      brandId: rt.brand.id,
      name: 'welcome-reminder',
      wechatTemplateId: 'TPL-REMIND-1',
      fields: ['thing1'],
    });
    await rt.control.addTemplate(rt.brand.appId, {
      templateId: 'TPL-REMIND-1',
      title: '会员提醒',
      content: '提醒：{{thing1.DATA}}',
    });
    ({ flowId } = await rt.publish(golden48));
  });
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  it('welcomes at once, answers a keyword within the wait, and nudges the silent with a template after 48 h', async () => {
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_talker');
      await rt.control.follow(rt.brand.appId, 'o_silent');
      await expect
        .poll(async () => (await sentTo(rt, 'o_talker')).length, { timeout: 20_000 })
        .toBe(1);
      await expect
        .poll(async () => (await sentTo(rt, 'o_silent')).length, { timeout: 20_000 })
        .toBe(1);

      // The talker answers once their journey waits (the query is answered by the workflow, so
      // it is at the wait step by then, whatever the database says).
      await expect
        .poll(
          async () => {
            const rows = await journeyRows(rt, flowId);
            const states = await Promise.all(
              rows.map((j) => rt.temporal.workflow.getHandle(j.workflowId).query(currentStepQuery)),
            );
            return states.filter((s) => s.waiting === 'wait').length;
          },
          { timeout: 20_000 },
        )
        .toBe(2);
      await rt.control.text(rt.brand.appId, 'o_talker', '有优惠吗');
      await expect
        .poll(async () => (await sentTo(rt, 'o_talker')).length, { timeout: 20_000 })
        .toBe(2);

      // Two days pass in a moment on the time-skipping server.
      await env.sleep('49h');
      await expect
        .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status).sort(), {
          timeout: 30_000,
        })
        .toEqual(['completed', 'completed']);
    });
    const talker = await sentTo(rt, 'o_talker');
    expect(talker[0]).toContain('欢迎关注');
    expect(talker[1]).toMatch(/新人券 W-\d/);
    expect(await sentTo(rt, 'o_silent')).toEqual([
      expect.stringContaining('欢迎关注'),
      'template:TPL-REMIND-1',
    ]);
  });
});

describe('a paused flow holds its pushes (time-skipping server)', () => {
  let env: TestWorkflowEnvironment;
  let rt: Runtime;

  beforeAll(async () => {
    env = await startTimeSkipping();
    rt = await startRuntime({
      temporal: { client: env.client, nativeConnection: env.nativeConnection },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await env?.teardown();
  });

  it('sends nothing while the flow is paused, and the held push once it is live again', async () => {
    const { flowId } = await rt.publish(waitThenPush('hold while paused', '1h', 'after the pause'));
    const setStatus = (status: 'live' | 'paused') =>
      rt.handle.db.update(flows).set({ status }).where(eq(flows.id, flowId));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_patient');
      await rt.control.text(rt.brand.appId, 'o_patient', 'hello'); // opens the 48-hour window
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.currentStep, { timeout: 20_000 })
        .toBe('wait');
      await setStatus('paused');
      await env.sleep('3h');
      expect(await rt.control.sentMessages(rt.brand.appId, 'o_patient')).toEqual([]);
      expect((await journeyRows(rt, flowId))[0]?.status).toBe('active');

      await setStatus('live');
      await env.sleep('20m');
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.status, { timeout: 20_000 })
        .toBe('completed');
    });
    const sent = await rt.control.sentMessages(rt.brand.appId, 'o_patient');
    expect(sent.map((m) => (m.body.text as { content: string }).content)).toEqual([
      'after the pause',
    ]);
  });
});

describe('unfollow during a wait', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startRuntime();
  });
  afterAll(() => rt?.close());

  it('ends the journey at once and pushes nothing afterwards', async () => {
    const { flowId } = await rt.publish(waitThenPush('wait then push', '2h', '两小时后的问候'));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_leaver');
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.currentStep, { timeout: 20_000 })
        .toBe('wait');
      await rt.control.unfollow(rt.brand.appId, 'o_leaver');
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.status, {
          timeout: 10_000,
          interval: 50,
        })
        .toBe('exited');
    });
    const [journey] = await journeyRows(rt, flowId);
    expect(journey).toMatchObject({ status: 'exited', exitReason: 'unfollowed' });
    expect(
      await rt.handle.db.select().from(messages).where(eq(messages.journeyId, journey!.id)),
    ).toEqual([]);
    expect(await rt.control.sentMessages(rt.brand.appId, 'o_leaver')).toEqual([]);
  });

  it('ends every journey of a flow when the flow is archived', async () => {
    const { flowId } = await rt.publish(waitThenPush('archived while waiting', '1d', 'later'));
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_arch_1');
      await rt.control.follow(rt.brand.appId, 'o_arch_2');
      await expect
        .poll(
          async () =>
            (await journeyRows(rt, flowId)).filter((j) => j.currentStep === 'wait').length,
          { timeout: 20_000 },
        )
        .toBe(2);
      expect(await archiveFlow(rt.handle.db, rt.brand.id, flowId, OPERATOR)).toBe(true);
      await expect
        .poll(
          async () => (await journeyRows(rt, flowId)).map((j) => `${j.status}:${j.exitReason}`),
          { timeout: 10_000 },
        )
        .toEqual(['exited:archived', 'exited:archived']);
    });
    expect(await archiveFlow(rt.handle.db, rt.brand.id, flowId, OPERATOR)).toBe(false);
  });

  it('counts a goal event within the window as a conversion, ending the journey', async () => {
    const { flowId } = await rt.publish(
      waitThenPush('welcome until first order', '3d', 'still thinking?', {
        goal: { event: { type: 'purchase', minAmount: 50 }, within: '7d' },
      }),
    );
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_buyer');
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.currentStep, { timeout: 20_000 })
        .toBe('wait');
      const [journey] = await journeyRows(rt, flowId);
      const handle = rt.temporal.workflow.getHandle(journey!.workflowId);
      expect(await handle.query(currentStepQuery)).toEqual({ stepId: 'wait', waiting: 'wait' });

      const [fan] = await rt.handle.db
        .select()
        .from(followers)
        .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, 'o_buyer')));
      const purchase = (orderId: string, amount: number) =>
        recordEvent(rt.handle.db, {
          brandId: rt.brand.id,
          followerId: fan!.id,
          openid: 'o_buyer',
          type: 'purchase',
          dedupeKey: `purchase:${orderId}`,
          payload: { orderId, amount, items: [] },
        });
      await purchase('small', 20); // below minAmount: not the goal
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await journeyRows(rt, flowId))[0]?.status).toBe('active');
      await purchase('big', 88);
      await expect
        .poll(
          async () => (await journeyRows(rt, flowId)).map((j) => `${j.status}:${j.exitReason}`),
          // The file's other journeys get 20–30 s too: in CI the unit project runs beside this
          // one on two cores, and this path (outbox → router → signal → two activities) timed
          // out at 10 s there three times while passing in 4 s alone.
          { timeout: 30_000 },
        )
        .toEqual(['converted:goal']);
    });
  });

  it('does not hear its own entry event again when the outbox replays it', async () => {
    // A goal that the entry event itself matches: a replay reaching the journey would convert it.
    const { flowId } = await rt.publish(
      waitThenPush('replayed entry', '3d', 'hello again', {
        goal: { event: { type: 'follow' }, within: '7d' },
      }),
    );
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_replayed');
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.currentStep, { timeout: 20_000 })
        .toBe('wait');
      // The dispatcher crashed before marking the follow dispatched: it routes it again.
      const replayed = await rt.handle.db
        .update(events)
        .set({ dispatchedAt: null })
        .where(and(eq(events.openid, 'o_replayed'), eq(events.type, 'follow')))
        .returning({ id: events.id });
      expect(replayed).toHaveLength(1);
      await expect
        .poll(
          async () =>
            (await rt.handle.db.select().from(events).where(eq(events.id, replayed[0]!.id)))[0]
              ?.dispatchedAt ?? null,
          { timeout: 10_000 },
        )
        .not.toBeNull();
      await new Promise((r) => setTimeout(r, 1_000));
      const rows = await journeyRows(rt, flowId);
      expect(rows.map((j) => `${j.status}:${j.currentStep}`)).toEqual(['active:wait']);
    });
  });

  it('enters a location flow inside its circle only, and not again within the cooldown', async () => {
    const { flowId } = await rt.publish({
      format: 'fanfare.flow/v1',
      name: 'near the store',
      settings: { ...settings, entry: { reentry: 'always' } },
      nodes: [
        node('near', 'trigger.location', {
          center: { lat: 31.2304, lng: 121.4737 },
          radiusM: 500,
          cooldown: '1d',
        }),
        node('end', 'flow.end'),
      ],
      edges: [edge('near', 'end')],
    });
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, 'o_walker');
      // WeChat dedupes events by sender + CreateTime (seconds): a second apart, as phones report.
      const nextSecond = () => new Promise((r) => setTimeout(r, 1_100));
      await rt.control.location(rt.brand.appId, 'o_walker', { latitude: 31.25, longitude: 121.5 }); // ~3 km away
      await nextSecond();
      await rt.control.location(rt.brand.appId, 'o_walker', {
        latitude: 31.2306,
        longitude: 121.474,
      }); // inside
      await expect
        .poll(async () => (await journeyRows(rt, flowId)).length, { timeout: 20_000 })
        .toBe(1);
      await rt.control.location(rt.brand.appId, 'o_walker', {
        latitude: 31.2305,
        longitude: 121.4738,
      }); // inside again
      await new Promise((r) => setTimeout(r, 1_500));
    });
    expect(await journeyRows(rt, flowId)).toHaveLength(1);
  });
});
