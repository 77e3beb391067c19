/**
 * WeChat faults, injected by the sandbox on the customer-service send of a welcome journey
 * (follow → push → end), one follower per fault:
 * - HTTP 500 twice → Temporal retries the push with backoff; the message arrives exactly once.
 * - 45009 (quota) five times → the client backs off, then Temporal does; delivered exactly once.
 * - 40001 (the account's token revoked) → the token is refreshed with force_refresh and the send
 *   retried once with the new token; delivered exactly once.
 * - a 12 s stall (the client gives up after 10 s), after which WeChat delivers — or answers
 *   HTTP 500 → either way the push is recorded as failed / delivery_unknown and never sent again
 *   (push.ts is at most once): the follower holds the one message the sandbox took in, or none.
 * - 45015 (no customer-service quota open, though our record thought one was) → a text push
 *   without a template fallback is recorded as skipped / quota_closed with nothing sent and
 *   nothing repeated, and our record of the follower's quota is closed too.
 * Asserted every time: each fault actually hit the send, the follower received at most one
 * message, the `messages` row says what happened, and the journey completed (none lost).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { followers, journeySteps, journeys, messages } from '../../db/schema';
import { DEFAULT_TIMEOUT_MS } from '../../wechat/client';
import type { CallRecord } from '../../wechat/sandbox';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

const SEND = '/cgi-bin/message/custom/send';
/** The per-request timeout the worker's clients use. */
const CLIENT_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

let rt: Runtime;
let flowId: string;
/** Every follower this file sent through the flow. */
const followed: string[] = [];

beforeAll(async () => {
  rt = await startRuntime();
  ({ flowId } = await rt.publish({
    format: 'fanfare.flow/v1',
    name: 'welcome under WeChat faults',
    nodes: [
      { id: 'follow', kind: 'trigger.follow' },
      {
        id: 'welcome',
        kind: 'action.push',
        config: { channel: 'auto', message: { type: 'text', text: 'welcome' } },
      },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'a', from: 'follow', to: 'welcome' },
      { id: 'b', from: 'welcome', to: 'end' },
    ],
  }));
});

afterEach(async () => {
  await rt.control.clearFaults();
});

afterAll(() => rt?.close());

async function follow(openid: string): Promise<void> {
  followed.push(openid);
  const result = await rt.control.follow(rt.brand.appId, openid);
  expect(result.attempts.at(-1)?.body).toBe('success');
}

/** The follower's journey status once it left 'active' (one journey, never more). */
async function settled(openid: string, timeout = 60_000): Promise<string> {
  await expect
    .poll(async () => (await journeysOf(openid)).map((j) => j.status), { timeout, interval: 250 })
    .toEqual([expect.not.stringMatching(/^active$/)]);
  return (await journeysOf(openid))[0]!.status;
}

function journeysOf(openid: string) {
  return rt.handle.db
    .select({ id: journeys.id, status: journeys.status })
    .from(journeys)
    .innerJoin(followers, eq(followers.id, journeys.followerId))
    .where(and(eq(journeys.flowId, flowId), eq(followers.openid, openid)));
}

/** What the sandbox took in for this follower (its texts), whoever asked. */
async function delivered(openid: string): Promise<string[]> {
  return (await rt.control.sentMessages(rt.brand.appId, openid)).map(
    (m) => (m.body.text as { content: string }).content,
  );
}

/** Every customer-service send the sandbox saw for this follower, in order. */
async function sendCalls(openid: string): Promise<CallRecord[]> {
  return (await rt.control.calls({ appId: rt.brand.appId, path: SEND })).filter(
    (c) => (c.body as { touser?: string } | null)?.touser === openid,
  );
}

/** The follower's `messages` rows and the push step's recorded statuses. */
async function recorded(openid: string) {
  const [journey] = await journeysOf(openid);
  const rows = await rt.handle.db
    .select({
      outcome: messages.outcome,
      channel: messages.channel,
      errcode: messages.errcode,
      reason: messages.reason,
    })
    .from(messages)
    .where(eq(messages.journeyId, journey!.id));
  const steps = await rt.handle.db
    .select({ nodeId: journeySteps.nodeId, status: journeySteps.status })
    .from(journeySteps)
    .where(eq(journeySteps.journeyId, journey!.id));
  return { rows, steps: steps.map((s) => `${s.nodeId}:${s.status}`).sort() };
}

it('HTTP 500 twice on the send: retried with backoff, the welcome arrives exactly once', async () => {
  const openid = 'o_http500';
  await rt.control.injectFault({ path: SEND, appId: rt.brand.appId, httpStatus: 500, count: 2 });
  await rt.running(async () => {
    await follow(openid);
    expect(await settled(openid)).toBe('completed');
  });

  const calls = await sendCalls(openid);
  expect(calls.map((c) => c.status)).toEqual([500, 500, 200]);
  expect(calls.every((c, i) => (c.faultId !== null) === i < 2)).toBe(true);
  expect(await delivered(openid)).toEqual(['welcome']);
  expect(await recorded(openid)).toEqual({
    rows: [{ outcome: 'sent', channel: 'customer_service', errcode: null, reason: null }],
    steps: ['end:completed', 'welcome:completed'],
  });
});

it('45009 quota five times: the client and then Temporal back off, delivered exactly once', async () => {
  const openid = 'o_quota';
  // The client makes 4 attempts (jittered backoff) before the activity fails; Temporal's retry
  // (1 s initial interval) takes the 5th fault, and the 6th call goes through.
  await rt.control.injectFault({ path: SEND, appId: rt.brand.appId, errcode: 45009, count: 5 });
  await rt.running(async () => {
    await follow(openid);
    expect(await settled(openid)).toBe('completed');
  });

  const calls = await sendCalls(openid);
  expect(calls.map((c) => c.errcode)).toEqual([45009, 45009, 45009, 45009, 45009, 0]);
  // The activity retry waited (a lower bound, never a speed limit).
  expect(calls[4]!.time - calls[3]!.time).toBeGreaterThanOrEqual(500);
  expect(await delivered(openid)).toEqual(['welcome']);
  expect(await recorded(openid)).toEqual({
    rows: [{ outcome: 'sent', channel: 'customer_service', errcode: null, reason: null }],
    steps: ['end:completed', 'welcome:completed'],
  });
});

it('40001 after the token is revoked: refreshed, the send retried once, delivered exactly once', async () => {
  const openid = 'o_revoked';
  let tokenCallsBefore = 0;
  await rt.running(async () => {
    // A fault-free journey first, so the worker holds a token for the revoke to kill.
    await follow('o_before_revoke');
    expect(await settled('o_before_revoke')).toBe('completed');
    expect(await rt.control.invalidateTokens(rt.brand.appId, 'revoke')).toBeGreaterThan(0);
    tokenCallsBefore = (
      await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/stable_token' })
    ).length;
    await follow(openid);
    expect(await settled(openid)).toBe('completed');
  });
  expect(await delivered('o_before_revoke')).toEqual(['welcome']);

  const calls = await sendCalls(openid);
  expect(calls.map((c) => c.errcode)).toEqual([40001, 0]);
  expect(calls[1]!.query.access_token).not.toBe(calls[0]!.query.access_token);
  const refreshes = (
    await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/stable_token' })
  ).slice(tokenCallsBefore);
  expect(refreshes.map((c) => (c.body as { force_refresh?: boolean }).force_refresh)).toEqual([
    true,
  ]);
  expect(await delivered(openid)).toEqual(['welcome']);
  expect(await recorded(openid)).toEqual({
    rows: [{ outcome: 'sent', channel: 'customer_service', errcode: null, reason: null }],
    steps: ['end:completed', 'welcome:completed'],
  });
});

it.each([
  { then: 'delivers', openid: 'o_stall_delivered', answer: {}, arrived: ['welcome'] },
  { then: 'answers HTTP 500', openid: 'o_stall_lost', answer: { httpStatus: 500 }, arrived: [] },
])(
  'a send stalled past the client timeout (then WeChat $then): delivery_unknown, never re-sent',
  async ({ openid, answer, arrived }) => {
    // The sandbox stalls past the client's timeout, then delivers (or fails): either way the
    // worker cannot know whether WeChat took the message.
    const delayMs = CLIENT_TIMEOUT_MS + 2_000;
    await rt.control.injectFault({ path: SEND, appId: rt.brand.appId, delayMs, ...answer });
    await rt.running(async () => {
      await follow(openid);
      expect(await settled(openid)).toBe('completed');
      // The sandbox finishes the stalled call after the client gave up…
      await expect
        .poll(async () => (await sendCalls(openid)).length, { timeout: 60_000, interval: 250 })
        .toBeGreaterThan(0);
      // …and a (wrong) retry gets every chance to happen while the worker still runs.
      await new Promise((r) => setTimeout(r, 3_000));
    });

    const calls = await sendCalls(openid);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.faultId).not.toBeNull();
    expect(await delivered(openid)).toEqual(arrived);
    expect(await recorded(openid)).toEqual({
      rows: [
        {
          outcome: 'failed',
          channel: 'customer_service',
          errcode: null,
          reason: 'delivery_unknown',
        },
      ],
      steps: ['end:completed', 'welcome:failed'],
    });
  },
);

it('45015 quota closed on a text push: recorded as skipped, nothing sent, nothing repeated', async () => {
  const openid = 'o_window';
  await rt.control.injectFault({ path: SEND, appId: rt.brand.appId, errcode: 45015 });
  await rt.running(async () => {
    await follow(openid);
    expect(await settled(openid)).toBe('completed');
    await new Promise((r) => setTimeout(r, 2_000));
  });

  const calls = await sendCalls(openid);
  expect(calls.map((c) => c.errcode)).toEqual([45015]);
  expect(
    await rt.control.calls({ appId: rt.brand.appId, path: '/cgi-bin/message/template/send' }),
  ).toEqual([]);
  expect(await delivered(openid)).toEqual([]);
  expect(await recorded(openid)).toEqual({
    rows: [
      { outcome: 'skipped', channel: 'customer_service', errcode: 45015, reason: 'quota_closed' },
    ],
    steps: ['end:completed', 'welcome:skipped'],
  });
});

it('loses no journey: one completed journey per follower, no follower messaged twice', async () => {
  const rows = await journeyRows(rt, flowId);
  expect(rows).toHaveLength(followed.length);
  expect(rows.map((j) => j.status)).toEqual(followed.map(() => 'completed'));
  for (const openid of followed)
    expect((await delivered(openid)).length, openid).toBeLessThanOrEqual(1);
});
