/**
 * Webhooks cannot reach inside (SSRF), at both doors:
 * - save time: publishing a flow whose webhook URL is 127.0.0.1 or a metadata address is an
 *   E_CONFIG on the URL field, unless the operator allows it (WEBHOOK_ALLOW_HOSTS);
 * - connect time, on a worker whose allow-list is empty: journeys posting to 127.0.0.1,
 *   `localhost` (resolved by the system) and a name that resolves to 127.0.0.1 send nothing,
 *   record the refusal on the step (where it pointed) and fail at once instead of retrying;
 *   the flow's marketer sees it.
 */
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProblems } from '../../services/flows/problems';
import { publishDocument } from '../../services/flows/publish';
import { flows, journeySteps, journeys } from '../../db/schema';
import { OPERATOR } from '../../services/deps';
import { startRuntime, type Runtime } from '../support/runtime';
import { serve, type Served } from '../support/serve';

let rt: Runtime;
let hook: Served;
const received: string[] = [];
const port = () => new URL(hook.url).port;

beforeAll(async () => {
  rt = await startRuntime({
    webhook: {
      allowList: [],
      // crm.example.test is a name whose DNS points inside; other names resolve as usual.
      resolve: async (host) =>
        host === 'crm.example.test'
          ? [{ address: '127.0.0.1', family: 4 }]
          : lookup(host, { all: true }),
    },
  });
  hook = await serve(async (request) => {
    received.push(new URL(request.url).pathname);
    return new Response('ok');
  });
});
afterAll(async () => {
  await hook?.close();
  await rt?.close();
});

const webhookFlow = (keyword: string, url: string) => ({
  format: 'fanfare.flow/v1',
  name: `webhook to ${url}`,
  nodes: [
    { id: 'kw', kind: 'trigger.keyword', config: { keywords: [keyword] } },
    { id: 'crm', label: 'Notify CRM', kind: 'action.webhook', config: { url, body: { a: 1 } } },
  ],
  edges: [{ id: 'e', from: 'kw', to: 'crm' }],
});

describe('save time', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://localhost:8080/hook', 'localhost'],
  ])(
    'publishing %s is refused on the URL field; allowed once the operator lists it',
    async (url, allow) => {
      const [flow] = await rt.handle.db
        .insert(flows)
        .values({ brandId: rt.brand.id, name: 'ssrf', draft: {} })
        .returning({ id: flows.id });
      const args = {
        flowId: flow!.id,
        brandId: rt.brand.id,
        draft: webhookFlow('x', url),
        timezone: 'Asia/Shanghai',
        actor: OPERATOR,
      };
      const refused = await publishDocument(rt.handle.db, args);
      expect(refused).toMatchObject({ ok: false, reason: 'invalid' });
      const issues = refused.ok ? [] : refused.reason === 'invalid' ? refused.issues : [];
      const errors = issues.filter((i) => i.severity === 'error');
      expect(errors).toEqual([
        expect.objectContaining({ code: 'E_CONFIG', nodeId: 'crm', path: '/nodes/1/config/url' }),
      ]);
      expect(errors[0]!.message.en).toContain('"Notify CRM" (Webhook): "URL" points to');
      expect(errors[0]!.message['zh-CN']).toContain('“地址”指向');
      const [row] = await rt.handle.db.select().from(flows).where(eq(flows.id, flow!.id));
      expect(row).toMatchObject({ status: 'draft', liveVersionId: null });

      expect(
        await publishDocument(rt.handle.db, { ...args, webhookAllowList: [allow] }),
      ).toMatchObject({ ok: true });
    },
  );
});

describe('connect time', () => {
  it('refuses 127.0.0.1, localhost and a name resolving inside: nothing sent, recorded, not retried', async () => {
    // Published while the operator allowed them; the worker's list no longer does.
    const cases = [
      { keyword: 'literal', host: '127.0.0.1' },
      { keyword: 'localhost', host: 'localhost' },
      { keyword: 'dns', host: 'crm.example.test' },
    ];
    const flowIds: string[] = [];
    for (const c of cases) {
      const { flowId } = await rt.publish(
        webhookFlow(c.keyword, `http://${c.host}:${port()}/${c.keyword}`),
        {
          webhookAllowList: ['127.0.0.1', 'localhost', 'crm.example.test'],
        },
      );
      flowIds.push(flowId);
    }
    const openid = `o_ssrf_${randomUUID().slice(0, 6)}`;
    await rt.running(async () => {
      await rt.control.follow(rt.brand.appId, openid);
      for (const c of cases) await rt.control.text(rt.brand.appId, openid, c.keyword);
      await expect
        .poll(
          async () => {
            const rows = await Promise.all(
              flowIds.map((id) =>
                rt.handle.db
                  .select({ status: journeys.status, reason: journeys.exitReason })
                  .from(journeys)
                  .where(eq(journeys.flowId, id)),
              ),
            );
            return rows.map((r) => r[0] ?? null);
          },
          { timeout: 30_000 },
        )
        .toEqual(cases.map(() => ({ status: 'failed', reason: 'E_WEBHOOK_REFUSED' })));
    });
    expect(received).toEqual([]);

    for (const [i, flowId] of flowIds.entries()) {
      const steps = await rt.handle.db
        .select({
          status: journeySteps.status,
          reason: journeySteps.reason,
          output: journeySteps.output,
        })
        .from(journeySteps)
        .innerJoin(journeys, eq(journeys.id, journeySteps.journeyId))
        .where(and(eq(journeys.flowId, flowId), eq(journeySteps.nodeId, 'crm')));
      expect(steps).toEqual([
        {
          status: 'failed',
          reason: 'webhook_refused',
          output: {
            host: cases[i]!.host,
            address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
            category: 'loopback',
          },
        },
      ]);
    }

    // What the marketer sees on the flows list and the flow page.
    const problems = await flowProblems(rt.handle.sql, flowIds);
    expect(problems.get(flowIds[2]!)).toEqual([
      expect.objectContaining({
        type: 'webhook',
        nodeId: 'crm',
        label: 'Notify CRM',
        reason: 'loopback',
        host: 'crm.example.test',
        address: '127.0.0.1',
        count: 1,
      }),
    ]);
  });
});
