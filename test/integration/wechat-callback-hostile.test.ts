/**
 * Issue 14 on the callback route, in-process over HTTP on the real database: hostile fields
 * (item 4), replayed nonces (item 10), unknown slugs and oversized URLs/headers (item 2) and
 * oversized chunked bodies (item 13) are refused with a status, a code and a sentence, and
 * nothing is stored; WeChat's own retries are still absorbed. The same cases run against the
 * real web process in test/reliability/callback-hostile-input.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  CALLBACK_LIMITS,
  cachedBrandCount,
  handleWechatCallback,
} from '../../app/lib/wechat-callback.server';
import { createLogger } from '../../config/logger';
import { claimNonce, pruneNonces } from '../../services/wechat/callback-nonces';
import { connect, type DbHandle } from '../../db/client';
import { callbackNonces, events } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { buildPush } from '../../wechat/sandbox/push';
import { insertBrand, type TestBrand } from '../support/brands';
import {
  callbackPoster,
  followPush,
  hostileCases,
  signedQuery,
  storedRows,
} from '../support/hostile-callbacks';
import { serve, type Served } from '../support/serve';

const box = new SecretBox(randomBytes(32).toString('hex'));
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let handle: DbHandle;
let app: Served;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 8 });
  const deps = { db: handle.db, box, logger: createLogger('test', 'silent') };
  app = await serve((request) =>
    handleWechatCallback(deps, new URL(request.url).pathname.split('/')[2] ?? '', request),
  );
});

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const post = callbackPoster(() => app.url);
const follow = followPush;

describe('item 4: every field is validated; bad input is a 400 with a code, nothing stored', () => {
  let brand: TestBrand;
  beforeAll(async () => {
    brand = await insertBrand(handle.db, box, { prefix: 'hostile' });
  });

  it.each(hostileCases().map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
    const reply = await post(brand.slug, signedQuery(brand), hostile.body);
    expect(reply.status).toBe(400);
    expect(await reply.text()).toMatch(new RegExp(`^${hostile.code}: [A-Za-z"]`));
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 0, followers: 0, nonces: 0 });
  });

  it('stores the longest fields WeChat documents', async () => {
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o'.repeat(64), { EventKey: `qrscene_${'场'.repeat(64)}` }),
    );
    const reply = await post(brand.slug, push.query, push.body);
    expect(reply.status).toBe(200);
    expect(await reply.text()).toBe('success');
    const [event] = await handle.db.select().from(events).where(eq(events.brandId, brand.id));
    expect(event?.payload).toMatchObject({ scene: '场'.repeat(64) });
  });
});

describe('past validation: a push is stored, or refused with a sentence — never a bare 500', () => {
  /** The real database, except that recording a push fails with `error`. */
  const failingWith = (error: Error) =>
    new Proxy(handle.db, {
      get: (target, key) =>
        key === 'transaction' ? () => Promise.reject(error) : Reflect.get(target, key),
    });

  it('answers 400 for a value PostgreSQL refuses, 500 with a sentence for anything else', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'unstorable' });
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_unstorable'),
    );
    const request = () =>
      new Request(`http://x/wechat/${brand.slug}?${new URLSearchParams(push.query)}`, {
        method: 'POST',
        body: push.body,
      });
    const logger = createLogger('test', 'silent');
    const cause = Object.assign(new Error('unsupported Unicode escape sequence'), {
      code: '22P05',
    });
    const refused = await handleWechatCallback(
      { db: failingWith(new Error('query failed', { cause })), box, logger },
      brand.slug,
      request(),
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/^E_BAD_MESSAGE: a field of the push cannot be stored/);
    const broken = await handleWechatCallback(
      { db: failingWith(new TypeError('x is not a function')), box, logger },
      brand.slug,
      request(),
    );
    expect(broken.status).toBe(500);
    const said = await broken.text();
    expect(said).toMatch(/^E_INTERNAL: the push was not recorded/);
    expect(said).not.toMatch(/TypeError|at .*\.ts/);
  });
});

describe('item 10: a nonce is used once per brand; WeChat retries are still absorbed', () => {
  it('refuses the same signature with another body, and absorbs the retry of the same push', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'replay' });
    const account = { token: brand.token, appId: brand.appId, mode: 'plaintext' as const };
    const original = buildPush(account, follow('o_genuine'));
    expect((await post(brand.slug, original.query, original.body)).status).toBe(200);

    // A captured query replayed within the ±300 s window with a body of the attacker's choice.
    const forged = buildPush(account, follow('o_attacker', { EventKey: 'qrscene_evil' }));
    const refused = await post(brand.slug, original.query, forged.body);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/^E_REPLAYED_NONCE: nonce \d+ of timestamp \d+ /);

    // WeChat's retry: same query, same body — answered success, nothing doubled.
    const retries = await Promise.all(
      [1, 2, 3].map(() => post(brand.slug, original.query, original.body)),
    );
    expect(retries.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(retries.map((r) => r.text()))).toEqual([
      'success',
      'success',
      'success',
    ]);

    const stored = await handle.db.select().from(events).where(eq(events.brandId, brand.id));
    expect(stored.map((e) => e.openid)).toEqual(['o_genuine']);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 1, followers: 1, nonces: 1 });
  });

  it('lets exactly one of two different bodies racing on one nonce through', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'race' });
    const query = signedQuery(brand);
    const account = { token: brand.token, appId: brand.appId, mode: 'plaintext' as const };
    const bodies = ['o_race_a', 'o_race_b', 'o_race_c'].map(
      (o) => buildPush(account, follow(o)).body,
    );
    const replies = await Promise.all(bodies.map((b) => post(brand.slug, query, b)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 1, followers: 1, nonces: 1 });
  });

  it('keeps nonces per brand: another brand may use the same one', async () => {
    const a = await insertBrand(handle.db, box, { prefix: 'nonce-a' });
    const b = await insertBrand(handle.db, box, { prefix: 'nonce-b' });
    const options = { nonce: '424242', timestamp: Math.floor(Date.now() / 1000) };
    for (const brand of [a, b]) {
      const push = buildPush(
        { token: brand.token, appId: brand.appId, mode: 'plaintext' },
        follow('o_same'),
        options,
      );
      expect((await post(brand.slug, push.query, push.body)).status).toBe(200);
    }
  });

  it("in compatible mode, refuses an encrypted push's nonce reused for a plaintext body", async () => {
    const brand = await insertBrand(handle.db, box, {
      prefix: 'compat-replay',
      mode: 'compatible',
      aesKey: AES_KEY,
    });
    const encrypted = buildPush(
      { token: brand.token, appId: brand.appId, aesKey: AES_KEY, mode: 'compatible' },
      follow('o_enc'),
    );
    expect((await post(brand.slug, encrypted.query, encrypted.body)).status).toBe(200);
    // Drop encrypt_type and msg_signature: the plain signature alone still verifies.
    const { signature, timestamp, nonce } = encrypted.query as Record<string, string>;
    const plain = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_forged'),
    );
    const refused = await post(
      brand.slug,
      { signature: signature!, timestamp: timestamp!, nonce: nonce! },
      plain.body,
    );
    expect(refused.status).toBe(401);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 1, followers: 1, nonces: 1 });
    // …while WeChat's retry of the encrypted push is absorbed.
    expect((await post(brand.slug, encrypted.query, encrypted.body)).status).toBe(200);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 1, followers: 1, nonces: 1 });
  });

  it('prunes nonces once their timestamp is out of every window', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'prune' });
    const now = Math.floor(Date.now() / 1000);
    for (const [nonce, timestamp] of [
      ['old', now - 3600],
      ['fresh', now],
    ] as const) {
      expect(
        await claimNonce(handle.db, { brandId: brand.id, nonce, timestamp, fingerprint: 'f' }),
      ).toBe('new');
    }
    expect(await pruneNonces(handle.db, now - 600)).toBeGreaterThanOrEqual(1);
    const left = await handle.db
      .select({ nonce: callbackNonces.nonce })
      .from(callbackNonces)
      .where(eq(callbackNonces.brandId, brand.id));
    expect(left).toEqual([{ nonce: 'fresh' }]);
  });
});

describe('item 2: strangers cannot grow the process', () => {
  it('caches only brands that exist, and answers unknown slugs 404', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'cached' });
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_cached'),
    );
    expect((await post(brand.slug, push.query, push.body)).status).toBe(200);
    const before = cachedBrandCount();
    expect(before).toBeGreaterThan(0);
    const slugs = [
      ...Array.from({ length: 150 }, () => `nobody-${randomBytes(6).toString('hex')}`),
      ...Array.from({ length: 50 }, () => randomBytes(600).toString('hex')),
      'UPPER',
      '-dash',
      'x',
    ];
    for (const slug of slugs) {
      const reply = await post(slug, push.query, push.body);
      expect(reply.status).toBe(404);
      expect(await reply.text()).toMatch(/^E_UNKNOWN_BRAND: no brand/);
    }
    expect(cachedBrandCount()).toBe(before);
    expect(CALLBACK_LIMITS.cachedBrands).toBeLessThanOrEqual(1000);
  });

  it('answers an oversized URL 414 and oversized headers 431, with a sentence', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'caps' });
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_caps'),
    );
    const long = await post(brand.slug, { ...push.query, pad: 'p'.repeat(3000) }, push.body);
    expect(long.status).toBe(414);
    expect(await long.text()).toMatch(/^E_URL_TOO_LONG: /);
    const heavy = await post(brand.slug, push.query, push.body, { 'x-pad': 'h'.repeat(9000) });
    expect(heavy.status).toBe(431);
    expect(await heavy.text()).toMatch(/^E_HEADERS_TOO_LARGE: /);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 0, followers: 0, nonces: 0 });
  });
});

describe('item 13: an oversized body is a 413, chunked or not', () => {
  it('answers 413 to a chunked body over the limit, and to a declared one', async () => {
    const brand = await insertBrand(handle.db, box, { prefix: 'chunked' });
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      follow('o_chunked'),
    );
    const chunk = new TextEncoder().encode('<!-- padding -->'.repeat(1024));
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(chunk); // 128 KiB, no Content-Length
        controller.close();
      },
    });
    const reply = await post(brand.slug, push.query, chunked);
    expect(reply.status).toBe(413);
    expect(await reply.text()).toMatch(/^E_XML_TOO_LARGE: /);
    const declared = await post(brand.slug, push.query, Buffer.alloc(2 * 1024 * 1024, 32));
    expect(declared.status).toBe(413);
    expect(await storedRows(handle.db, brand.id)).toEqual({ events: 0, followers: 0, nonces: 0 });
    // The genuine push still goes through.
    expect((await post(brand.slug, push.query, push.body)).status).toBe(200);
  });
});
