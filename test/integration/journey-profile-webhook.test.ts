/**
 * action.update_profile and action.webhook inside a journey: points added once, tier set, and a
 * webhook POST signed with the brand's secret (HMAC-SHA256 over "<timestamp>.<body>").
 */
import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { brands, followers } from '../../db/schema';
import { journeyRows, startRuntime, type Runtime } from '../support/runtime';
import { serve, type Served } from '../support/serve';

let rt: Runtime;
let hook: Served;
const received: { headers: Headers; body: string }[] = [];

beforeAll(async () => {
  rt = await startRuntime();
  hook = await serve(async (request) => {
    received.push({ headers: request.headers, body: await request.text() });
    return new Response('ok');
  });
});
afterAll(async () => {
  await hook?.close();
  await rt?.close();
});

it('updates the profile once and calls a signed webhook', async () => {
  const { flowId } = await rt.publish({
    format: 'fanfare.flow/v1',
    name: 'keyword → points → CRM',
    nodes: [
      { id: 'kw', kind: 'trigger.keyword', config: { keywords: ['签到'], match: 'exact' } },
      {
        id: 'points',
        kind: 'action.update_profile',
        config: { addPoints: 10, tier: 'silver', set: { city: '杭州' } },
      },
      {
        id: 'crm',
        kind: 'action.webhook',
        config: {
          url: `${hook.url}/crm`,
          body: { openid: '{{follower.openid}}', tier: '{{follower.tier}}' },
        },
      },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'a', from: 'kw', to: 'points' },
      { id: 'b', from: 'points', to: 'crm' },
      { id: 'c', from: 'crm', to: 'end' },
    ],
  });
  await rt.running(async () => {
    await rt.control.follow(rt.brand.appId, 'o_checkin');
    await rt.control.text(rt.brand.appId, 'o_checkin', '签到');
    await expect
      .poll(async () => (await journeyRows(rt, flowId)).map((j) => j.status), { timeout: 20_000 })
      .toEqual(['completed']);
  });

  const [fan] = await rt.handle.db
    .select()
    .from(followers)
    .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, 'o_checkin')));
  expect(fan).toMatchObject({ points: 10, tier: 'silver', city: '杭州' });

  expect(received).toHaveLength(1);
  const { headers, body } = received[0]!;
  const [brand] = await rt.handle.db.select().from(brands).where(eq(brands.id, rt.brand.id));
  const secret = rt.box.open(brand!.webhookSecretEnc!);
  const expected = createHmac('sha256', secret)
    .update(`${headers.get('x-fanfare-timestamp')}.${body}`)
    .digest('hex');
  expect(headers.get('x-fanfare-signature')).toBe(`sha256=${expected}`);
  expect(headers.get('idempotency-key')).toMatch(/:crm:1$/);
  expect(JSON.parse(body)).toMatchObject({
    flowId,
    openid: 'o_checkin',
    data: { openid: 'o_checkin', tier: 'silver' },
  });
});
