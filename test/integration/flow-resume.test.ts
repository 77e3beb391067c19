/**
 * Resuming a paused flow sends the pushes its pause held at once (on the real Temporal dev
 * server, no time skipping): the journey reaches its push while the flow is paused and holds
 * it; the resume — from the flows list, or by publishing a new version — reaches the journey
 * through the outbox as a signal, and the message is in the sandbox within seconds instead of
 * at the journey's next 15-minute look.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionFlow } from '../../services/flows/lifecycle';
import { publishDocument } from '../../services/flows/publish';
import { flows } from '../../db/schema';
import { OPERATOR } from '../../services/deps';
import { currentStepQuery } from '../../workflows/workflows/journey';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';

/** Seconds, not the 15 minutes a held push waited before. */
const PROMPTLY_MS = 15_000;

/**
 * Follow (through its own QR scene) → wait for the keyword "go" → push: the fan decides when
 * the push is reached.
 */
const goThenPush = (name: string, text: string, scene: string) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: {
    timezone: 'Asia/Shanghai',
    entry: { reentry: 'once' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', config: { scenes: [scene] } },
    {
      id: 'wait',
      kind: 'wait.event',
      config: { event: { type: 'keyword', keywords: ['go'], match: 'exact' }, timeout: '1d' },
    },
    {
      id: 'push',
      kind: 'action.push',
      config: { channel: 'auto', message: { type: 'text', text } },
    },
    { id: 'end', kind: 'flow.end' },
    { id: 'late', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'wait' },
    { id: 'e2', from: 'wait', port: 'matched', to: 'push' },
    { id: 'e3', from: 'wait', port: 'timeout', to: 'late' },
    { id: 'e4', from: 'push', port: 'next', to: 'end' },
  ],
});

let rt: Runtime;
beforeAll(async () => {
  rt = await startRuntime();
});
afterAll(() => rt?.close());

/** Enters the fan, pauses the flow, lets the journey reach its push: it holds it. */
async function holdAPush(flowId: string, openid: string, scene: string): Promise<void> {
  await rt.control.follow(rt.brand.appId, openid, { scene });
  await expect
    .poll(async () => (await journeyRows(rt, flowId))[0]?.currentStep, { timeout: 20_000 })
    .toBe('wait');
  expect(await transitionFlow(rt.handle.db, rt.brand.id, flowId, 'pause', OPERATOR)).toBe(true);
  await rt.control.text(rt.brand.appId, openid, 'go'); // also opens the 48-hour window
  const [journey] = await journeyRows(rt, flowId);
  const handle = rt.temporal.workflow.getHandle(journey!.workflowId);
  await expect
    .poll(() => handle.query(currentStepQuery), { timeout: 20_000 })
    .toEqual({ stepId: 'push', waiting: 'push' });
  // Held: nothing went out, nothing was recorded as sent.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await rt.control.sentMessages(rt.brand.appId, openid)).toEqual([]);
  expect((await journeyRows(rt, flowId))[0]?.status).toBe('active');
}

const texts = async (openid: string) =>
  (await rt.control.sentMessages(rt.brand.appId, openid)).map(
    (m) => (m.body.text as { content: string }).content,
  );

describe('resuming a paused flow', () => {
  it('sends the held push at once when the flow is resumed', async () => {
    const { flowId } = await rt.publish(goThenPush('resume releases', 'held, then sent', 'resume'));
    await rt.running(async () => {
      await holdAPush(flowId, 'o_held', 'resume');
      const resumedAt = Date.now();
      expect(await transitionFlow(rt.handle.db, rt.brand.id, flowId, 'resume', OPERATOR)).toBe(
        true,
      );
      await expect
        .poll(() => texts('o_held'), { timeout: PROMPTLY_MS, interval: 100 })
        .toEqual(['held, then sent']);
      console.log(`held push sent ${Date.now() - resumedAt} ms after the resume`);
      await expect
        .poll(async () => (await journeyRows(rt, flowId))[0]?.status, { timeout: 10_000 })
        .toBe('completed');
    });
  });

  it('sends the held push at once when a new version of the paused flow is published', async () => {
    const doc = goThenPush('publish releases', 'sent by publishing', 'publish');
    const { flowId } = await rt.publish(doc);
    await rt.running(async () => {
      await holdAPush(flowId, 'o_held_publish', 'publish');
      const published = await publishDocument(rt.handle.db, {
        flowId,
        brandId: rt.brand.id,
        draft: { ...doc, name: 'publish releases v2' },
        timezone: 'Asia/Shanghai',
        actor: OPERATOR,
      });
      expect(published).toMatchObject({ ok: true, version: 2 });
      const [flow] = await rt.handle.db.select().from(flows).where(eq(flows.id, flowId));
      expect(flow?.status).toBe('live');
      await expect
        .poll(() => texts('o_held_publish'), { timeout: PROMPTLY_MS, interval: 100 })
        .toEqual(['sent by publishing']);
    });
  });
});
