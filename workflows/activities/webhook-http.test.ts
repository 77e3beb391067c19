/**
 * The webhook transport against real local servers: refused inside (an IP literal, a name that
 * resolves inside, the system's `localhost`) before anything is sent; allowed by the operator's
 * list; a deadline; a response size cap; redirects not followed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, WebhookRefusedError, type WebhookOptions } from './webhook-http';

let server: Server;
let port = 0;
const hits: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    if (req.url === '/big') {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', pump);
        else res.end();
      };
      pump();
    } else if (req.url === '/slow') {
      // never answers
    } else if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else res.writeHead(200).end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (url: string, options: WebhookOptions) =>
  postWebhook(url, { headers: { 'content-type': 'application/json' }, body: '{}' }, options);
const insideName = (host: string) =>
  Promise.resolve(
    host === 'crm.example.test'
      ? [{ address: '127.0.0.1', family: 4 }]
      : [{ address: '93.184.216.34', family: 4 }],
  );

describe('postWebhook', () => {
  it.each([
    ['an IP literal', () => `http://127.0.0.1:${port}/a`, {}],
    ['IPv4 in IPv6', () => `http://[::ffff:127.0.0.1]:${port}/a`, {}],
    ['a name resolving inside', () => `http://crm.example.test:${port}/a`, { resolve: insideName }],
    ['localhost, resolved by the system', () => `http://localhost:${port}/a`, {}],
  ])('refuses %s, sending nothing', async (_what, url, options: WebhookOptions) => {
    const before = hits.length;
    const error = await post(url(), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookRefusedError);
    expect((error as WebhookRefusedError).target.category).toBe('loopback');
    expect(hits.length).toBe(before);
  });

  it('connects where the operator allows, by address or by name', async () => {
    expect(await post(`http://127.0.0.1:${port}/ok`, { allowList: ['127.0.0.0/8'] })).toEqual({
      status: 200,
      bytes: 2,
      truncated: false,
    });
    expect(
      (
        await post(`http://crm.example.test:${port}/ok`, {
          allowList: ['crm.example.test'],
          resolve: insideName,
        })
      ).status,
    ).toBe(200);
  });

  it('reads at most maxResponseBytes of the answer', async () => {
    const result = await post(`http://127.0.0.1:${port}/big`, {
      allowList: ['127.0.0.1'],
      maxResponseBytes: 100_000,
    });
    expect(result).toEqual({ status: 200, bytes: 100_000, truncated: true });
  });

  it('gives up at the deadline', async () => {
    const started = Date.now();
    await expect(
      post(`http://127.0.0.1:${port}/slow`, { allowList: ['127.0.0.1'], timeoutMs: 300 }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not follow a redirect (to a metadata address here)', async () => {
    expect(
      (await post(`http://127.0.0.1:${port}/redirect`, { allowList: ['127.0.0.1'] })).status,
    ).toBe(302);
  });
});
