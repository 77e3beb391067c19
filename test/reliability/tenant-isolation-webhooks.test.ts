/**
 * Webhooks cannot reach inside, and one brand's webhooks cannot hold back another's journeys
 * (issue 14, item 3). The worker allows 127.0.0.1 only (where the brands' receivers listen), with
 * a 1 s deadline and a 64 KiB response cap.
 *
 * Injected, in brand A (flows written straight into published versions, past save-time checks):
 * - a webhook to the cloud metadata address 169.254.169.254;
 * - a webhook to a name whose DNS points at 127.0.0.2, where a "secret" internal service
 *   listens, and one to 127.0.0.2 itself;
 * - a webhook to a receiver that answers 20 MB, and one to a tarpit that never answers.
 * Meanwhile brand B's QR scan → webhook flow runs.
 *
 * Asserted: the internal service receives nothing; A's refused journeys fail at once with the
 * refusal recorded on the step (where it pointed); the 20 MB answer is cut at the cap and the
 * journey completes; the tarpit's journeys are still running (retried, not lost); B's scans
 * each reach B's receiver exactly once, within seconds.
 */
import { createServer, type Server } from 'node:http';
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { followers, journeySteps, journeys } from '../../db/schema';
import { startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
let brandB: Awaited<ReturnType<Runtime['addBrand']>>;
const servers: Server[] = [];
const hits = { secret: 0, flood: 0, tarpit: 0, b: [] as string[] };

async function listen(host: string, handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

const ports = { secret: 0, flood: 0, tarpit: 0, b: 0 };
const flowsA: Record<'metadata' | 'insideName' | 'insideIp' | 'flood' | 'tarpit', string> = {
  metadata: '',
  insideName: '',
  insideIp: '',
  flood: '',
  tarpit: '',
};
let flowB = '';

const webhookFlow = (name: string, trigger: Record<string, unknown>, url: string) => ({
  format: 'fanfare.flow/v1',
  name,
  settings: { entry: { reentry: 'always' } },
  nodes: [
    trigger,
    {
      id: 'hook',
      label: name,
      kind: 'action.webhook',
      config: { url, body: { openid: '{{follower.openid}}' } },
    },
  ],
  edges: [{ id: 'e', from: trigger.id, to: 'hook' }],
});
const keyword = (k: string) => ({ id: 'kw', kind: 'trigger.keyword', config: { keywords: [k] } });

beforeAll(async () => {
  ports.secret = await listen('127.0.0.2', (req, res) => {
    hits.secret++;
    res.end('secret');
  });
  ports.flood = await listen('127.0.0.1', (req, res) => {
    hits.flood++;
    req.resume();
    res.writeHead(200);
    const chunk = Buffer.alloc(256 * 1024, 'x');
    let sent = 0;
    const pump = () => {
      while (sent < 80 && res.write(chunk)) sent++;
      if (sent < 80) res.once('drain', pump);
      else res.end();
    };
    res.on('error', () => {});
    pump();
  });
  ports.tarpit = await listen('127.0.0.1', (req) => {
    hits.tarpit++;
    req.resume(); // never answers
  });
  ports.b = await listen('127.0.0.1', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hits.b.push((JSON.parse(body) as { data: { openid: string } }).data.openid);
      res.end('ok');
    });
  });

  rt = await startRuntime({
    webhook: {
      allowList: ['127.0.0.1'],
      timeoutMs: 1_000,
      maxResponseBytes: 64 * 1024,
      resolve: async (host) =>
        host === 'crm-inside.test'
          ? [{ address: '127.0.0.2', family: 4 }]
          : lookup(host, { all: true }),
    },
  });
  brandB = await rt.addBrand('hook-b');
  // Brand A's flows skip the save-time check, as an old version or a direct insert would.
  const anything = { webhookAllowList: ['127.0.0.0/8', '169.254.0.0/16'] };
  flowsA.metadata = (
    await rt.publish(
      webhookFlow('A metadata', keyword('steal'), 'http://169.254.169.254/latest/meta-data/iam'),
      anything,
    )
  ).flowId;
  flowsA.insideName = (
    await rt.publish(
      webhookFlow('A inside name', keyword('inside'), `http://crm-inside.test:${ports.secret}/x`),
      anything,
    )
  ).flowId;
  flowsA.insideIp = (
    await rt.publish(
      webhookFlow('A inside ip', keyword('ip'), `http://127.0.0.2:${ports.secret}/x`),
      anything,
    )
  ).flowId;
  flowsA.flood = (
    await rt.publish(webhookFlow('A flood', keyword('flood'), `http://127.0.0.1:${ports.flood}/`))
  ).flowId;
  flowsA.tarpit = (
    await rt.publish(webhookFlow('A tarpit', keyword('hang'), `http://127.0.0.1:${ports.tarpit}/`))
  ).flowId;
  flowB = (
    await rt.publish(
      webhookFlow(
        'B scan',
        { id: 'scan', kind: 'trigger.qr_scan', config: { scenes: ['store-*'] } },
        `http://127.0.0.1:${ports.b}/b`,
      ),
      { brandId: brandB.id },
    )
  ).flowId;
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await rt?.close();
});

const journeysOf = (flowId: string) =>
  rt.handle.db
    .select({
      id: journeys.id,
      openid: followers.openid,
      status: journeys.status,
      reason: journeys.exitReason,
    })
    .from(journeys)
    .innerJoin(followers, eq(followers.id, journeys.followerId))
    .where(eq(journeys.flowId, flowId));

const stepOf = async (flowId: string) =>
  rt.handle.db
    .select({
      status: journeySteps.status,
      reason: journeySteps.reason,
      output: journeySteps.output,
    })
    .from(journeySteps)
    .innerJoin(journeys, eq(journeys.id, journeySteps.journeyId))
    .where(and(eq(journeys.flowId, flowId), eq(journeySteps.nodeId, 'hook')));

it("webhooks never reach inside, and brand A's webhooks hold back none of brand B's journeys", async () => {
  const fansA = ['o_a1', 'o_a2', 'o_a3'];
  const fansB = ['o_b1', 'o_b2', 'o_b3'];
  await rt.running(async () => {
    for (const fan of fansA) await rt.control.follow(rt.brand.appId, fan);
    for (const fan of fansA)
      for (const text of ['steal', 'inside', 'ip', 'flood', 'hang'])
        await rt.control.text(rt.brand.appId, fan, text);

    // B's fans scan while A's webhooks are refused, flooded and hanging.
    const started = Date.now();
    for (const fan of fansB) await rt.control.scan(brandB.appId, fan, 'store-1');
    await expect.poll(() => [...hits.b].sort(), { timeout: 30_000, interval: 100 }).toEqual(fansB);
    expect(Date.now() - started).toBeLessThan(10_000);

    const done = async (flowId: string) =>
      (await journeysOf(flowId)).map((j) => `${j.status}:${j.reason}`).sort();
    for (const flowId of [flowsA.metadata, flowsA.insideName, flowsA.insideIp])
      await expect
        .poll(() => done(flowId), { timeout: 30_000 })
        .toEqual(fansA.map(() => 'failed:E_WEBHOOK_REFUSED'));
    await expect
      .poll(() => done(flowsA.flood), { timeout: 30_000 })
      .toEqual(fansA.map(() => 'completed:null'));
    await expect
      .poll(() => done(flowB), { timeout: 30_000 })
      .toEqual(fansB.map(() => 'completed:null'));
    // The tarpit's calls hit the deadline and are retried: still running, none lost.
    await expect
      .poll(() => hits.tarpit, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(fansA.length * 2);
    expect(await done(flowsA.tarpit)).toEqual(fansA.map(() => 'active:null'));
  });

  // Nothing reached the internal service; each refusal is recorded with where it pointed.
  expect(hits.secret).toBe(0);
  expect(await stepOf(flowsA.metadata)).toEqual(
    fansA.map(() => ({
      status: 'failed',
      reason: 'webhook_refused',
      output: { host: '169.254.169.254', address: '169.254.169.254', category: 'metadata' },
    })),
  );
  expect(await stepOf(flowsA.insideName)).toEqual(
    fansA.map(() => ({
      status: 'failed',
      reason: 'webhook_refused',
      output: { host: 'crm-inside.test', address: '127.0.0.2', category: 'loopback' },
    })),
  );
  // The 20 MB answer was cut at 64 KiB; the call itself succeeded once per journey.
  expect(await stepOf(flowsA.flood)).toEqual(
    fansA.map(() => ({
      status: 'completed',
      reason: null,
      output: { status: 200, responseTruncated: true },
    })),
  );
  expect(hits.flood).toBe(fansA.length);
  expect(hits.b).toHaveLength(fansB.length);
});
