/**
 * Issue 14, items 5–9, 11 and 13 (events API, flow documents at every door, editor JSON
 * endpoints, form routes, CLI output, redirects, birthdays, replayed orders): each input that
 * used to answer 500, lose data or truncate is injected through the real doors — the Remix
 * app in-process (routing, actions, error boundaries as served), the `fanfare` CLI as a child
 * process with real pipes — and the test asserts the documented answer (a status, a code and a
 * sentence) and that the brand's stored data is exactly what it was before (nothing stored
 * half-way), or exactly what an accepted request adds.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { MAX_TOTAL_SPENT } from '../../services/followers/store';
import { events, flows, followers } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import {
  couponFlow,
  errorSentence,
  fingerprint,
  hostileBrand,
  type HostileBrand,
} from '../support/hostile';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
let app: WebApp;
let handle: DbHandle;
let brand: HostileBrand;
/** An owner's session: requests reach what lies behind the sign-in check. */
let cookie: string;
const dir = mkdtempSync(join(tmpdir(), 'fanfare-hostile-'));

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  handle = connect(inject('databaseUrl'), { max: 4 });
  brand = await hostileBrand(handle, new SecretBox(secretKey));
  ({ cookie } = await signedInMember(handle.db, brand.slug));
  app = await startWebApp();
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const stored = () => fingerprint(handle, brand.id);
/** The flow's editor, under its brand. */
const flow = () => `/brands/${brand.slug}/flows/${brand.flowId}`;

/**
 * A request to the app as a browser on our own pages sends it; `headers` replaces the
 * browser's Origin and Sec-Fetch-Site.
 */
function request(
  path: string,
  init: { body?: BodyInit; type?: string; headers?: Record<string, string> },
) {
  return app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: 'POST',
      headers: {
        ...(init.type ? { 'content-type': init.type } : {}),
        'accept-language': 'en',
        cookie,
        ...(init.headers ?? { origin: 'http://fanfare.test', 'sec-fetch-site': 'same-origin' }),
      },
      ...(init.body !== undefined ? { body: init.body } : {}),
    }),
  );
}

const json = (path: string, body: unknown) =>
  request(path, {
    type: 'application/json',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** An events API call with the brand's key; `raw` is sent as is. */
function sendEvent(raw: string) {
  return app.handle(
    new Request(`http://fanfare.test/api/v1/brands/${brand.slug}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${brand.key}` },
      body: raw,
    }),
  );
}
const event = (body: Record<string, unknown>) => sendEvent(JSON.stringify(body));

async function refusal(response: Response) {
  return (await response.json()) as { ok: boolean; error: Record<string, unknown> };
}

function fanfare(args: string[], shell?: string) {
  const cli = `${process.execPath} --import tsx cli/main.ts`;
  const run = shell
    ? spawnSync('bash', ['-c', `set -o pipefail; ${shell.replace('FANFARE', cli)}`], {
        encoding: 'utf8',
        env: { ...process.env, FANFARE_SECRET_KEY: secretKey },
        timeout: 120_000,
      })
    : spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
        encoding: 'utf8',
        env: { ...process.env, FANFARE_SECRET_KEY: secretKey },
        timeout: 120_000,
      });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The sentence of a refusal, whichever way the route answers (JSON, single fetch, a page). */
async function sentenceOf(response: Response): Promise<string | null> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (type.includes('application/json'))
    return (JSON.parse(text) as { message?: string }).message ?? null;
  if (type.includes('text/x-script')) return text; // turbo-stream: the sentence is inside
  return errorSentence(text);
}

const NO_STACK = /\n\s+at .+\(.+:\d+:\d+\)/;

describe('5 and 13: the events API answers 400/409 with a sentence and stores nothing', () => {
  const purchase = (over: Record<string, unknown> = {}) => ({
    type: 'purchase',
    openid: 'o_fan',
    orderId: `order-${randomBytes(4).toString('hex')}`,
    amount: 10,
    ...over,
  });

  it.each([
    ['U+0000 in the openid', JSON.stringify(purchase({ openid: 'o_\u0000' })), 'openid'],
    [
      'U+0000 in a property',
      JSON.stringify({
        type: 'custom',
        openid: 'o_fan',
        name: 'visit',
        properties: { note: 'a\u0000b' },
      }),
      'properties.note',
    ],
    [
      'U+0000 in a property name',
      JSON.stringify({
        type: 'custom',
        openid: 'o_fan',
        name: 'visit',
        properties: { 'a\u0000': 1 },
      }),
      'properties.a\u0000',
    ],
    [
      'a lone surrogate in the city',
      '{"type":"profile","openid":"o_fan","city":"\\ud800"}',
      'city',
    ],
    [
      'a lone surrogate in an order id',
      JSON.stringify(purchase({ orderId: 'x\uDC00' })),
      'orderId',
    ],
    [
      'properties nested 20,000 deep',
      `{"type":"custom","openid":"o_fan","name":"deep","properties":{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`,
      'properties.a',
    ],
    [
      'occurredAt in year 0',
      JSON.stringify(purchase({ occurredAt: '0000-01-01T00:00:00Z' })),
      'occurredAt',
    ],
    [
      'occurredAt in year 9999',
      JSON.stringify(purchase({ occurredAt: '9999-12-31T23:59:59Z' })),
      'occurredAt',
    ],
    [
      'occurredAt on February 30th',
      JSON.stringify(purchase({ occurredAt: '2026-02-30T10:00:00+08:00' })),
      'occurredAt',
    ],
    [
      'birthday 02-31',
      JSON.stringify({ type: 'profile', openid: 'o_fan', birthday: '02-31' }),
      'birthday',
    ],
    [
      'birthday 04-31',
      JSON.stringify({ type: 'profile', openid: 'o_fan', birthday: '04-31' }),
      'birthday',
    ],
  ])('%s → 400 E_INPUT naming the field, nothing stored', async (_, raw, path) => {
    const before = await stored();
    const response = await sendEvent(raw);
    expect(response.status).toBe(400);
    const body = await refusal(response);
    expect(body.error.code).toBe('E_INPUT');
    expect(String(body.error.path).startsWith(path)).toBe(true);
    expect(String(body.error.message).length).toBeGreaterThan(10);
    expect(await stored()).toEqual(before);
  });

  it('birthday 02-29 is a real date: stored', async () => {
    const response = await event({ type: 'profile', openid: 'o_leap', birthday: '02-29' });
    expect(response.status).toBe(202);
    const [f] = await handle.db
      .select({ birthday: followers.birthday })
      .from(followers)
      .where(and(eq(followers.brandId, brand.id), eq(followers.openid, 'o_leap')));
    expect(f?.birthday).toBe('02-29');
  });

  it('purchases past numeric(14,2) keep adding up; at the ceiling the total stays there', async () => {
    // The 1,000th purchase at the API's maximum used to be a 500 and lose the event.
    expect((await event(purchase({ openid: 'o_whale', amount: 1e9 }))).status).toBe(202);
    await handle.db
      .update(followers)
      .set({ totalSpent: '999999999999.00', orderCount: 999 })
      .where(and(eq(followers.brandId, brand.id), eq(followers.openid, 'o_whale')));
    const orderId = `order-${randomBytes(4).toString('hex')}`;
    expect((await event(purchase({ openid: 'o_whale', amount: 1e9, orderId }))).status).toBe(202);
    const whale = async () =>
      (
        await handle.db
          .select({ totalSpent: followers.totalSpent, orderCount: followers.orderCount })
          .from(followers)
          .where(and(eq(followers.brandId, brand.id), eq(followers.openid, 'o_whale')))
      )[0];
    expect(await whale()).toEqual({ totalSpent: '1000999999999.00', orderCount: 1000 });
    const [recorded] = await handle.db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.brandId, brand.id), eq(events.dedupeKey, `purchase:${orderId}`)));
    expect(recorded).toBeDefined();

    await handle.db
      .update(followers)
      .set({ totalSpent: '999999999999999000.00' })
      .where(and(eq(followers.brandId, brand.id), eq(followers.openid, 'o_whale')));
    expect((await event(purchase({ openid: 'o_whale', amount: 1e9 }))).status).toBe(202);
    expect((await whale())?.totalSpent).toBe(MAX_TOTAL_SPENT);
  });

  it('a replayed orderId: same amount 200, another amount 409 with both, nothing changed', async () => {
    const first = purchase({ openid: 'o_replay', amount: 129.9 });
    expect((await event(first)).status).toBe(202);
    const before = await stored();

    const same = await event({ ...first, amount: 129.9 });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ ok: true, duplicate: true });

    const other = await event({ ...first, amount: 99 });
    expect(other.status).toBe(409);
    const body = await refusal(other);
    expect(body.error).toMatchObject({
      code: 'E_ORDER_CONFLICT',
      orderId: first.orderId,
      storedAmount: '129.90 CNY',
      sentAmount: '99.00 CNY',
    });
    expect(body.error.message).toContain('129.90');
    expect(body.error.message).toContain('99.00');

    // A replay under another openid creates no follower either.
    expect((await event({ ...first, openid: 'o_somebody_else' })).status).toBe(200);
    expect(await stored()).toEqual(before);
  });
});

describe('6: a flow document with U+0000 or a missing pool is refused at every door', () => {
  const withNul = () => {
    const doc = couponFlow('Nul flow');
    (doc.nodes as { label: string }[])[1]!.label = 'Give\u0000coupon';
    return doc;
  };

  it('the editor save: 400 with issues, the draft unchanged', async () => {
    const before = await stored();
    const response = await json(`${flow()}/draft`, withNul());
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: string;
      message: string;
      issues: { code: string; message: { en: string } }[];
    };
    expect(body.error).toBe('invalidDocument');
    expect(body.message).toMatch(/nothing was stored/);
    expect(body.issues[0]!.code).toBe('E_FORMAT');
    expect(body.issues[0]!.message.en).toMatch(/cannot be saved/);
    expect(await stored()).toEqual(before);
  });

  it('publishing with a parameter default the brand lacks: 400 E_UNKNOWN_RESOURCE, no version', async () => {
    const draft = {
      ...couponFlow('Template', '{{params.pool}}'),
      parameters: [{ name: 'pool', kind: 'couponPool', label: 'Pool', default: 'no-such-pool' }],
    };
    const before = await stored();
    const response = await json(`${flow()}.data`, { intent: 'publish', draft });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain('E_UNKNOWN_RESOURCE');
    expect(text).toContain('the default of the template parameter \\"Pool\\"');
    expect(await stored()).toEqual(before);
  });

  it('fanfare flow validate / import: error lines, no stack trace, nothing stored', async () => {
    const file = join(dir, 'nul.json');
    writeFileSync(file, JSON.stringify(withNul()));
    const validated = fanfare(['flow', 'validate', file]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toMatch(/E_FORMAT .*cannot be saved/);

    const before = await stored();
    const imported = fanfare(['flow', 'import', file, '--brand', brand.slug]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain('error E_FLOW_INVALID');
    expect(imported.stderr).not.toMatch(NO_STACK);

    const template = join(dir, 'template.json');
    writeFileSync(
      template,
      JSON.stringify({
        ...couponFlow('Template', '{{params.pool}}'),
        parameters: [{ name: 'pool', kind: 'couponPool', default: 'no-such-pool' }],
      }),
    );
    const published = fanfare(['flow', 'import', template, '--brand', brand.slug, '--publish']);
    expect(published.code).toBe(1);
    expect(published.stderr).toContain('E_UNKNOWN_RESOURCE');
    expect(published.stderr).not.toMatch(NO_STACK);
    expect(await stored()).toEqual(before);
  });
});

describe('7: the editor endpoints bound bodies and rules', () => {
  it.each([
    [
      'daysAgoAtMost: 1e6',
      { fact: 'follower', path: '$.lastPurchaseAt', operator: 'daysAgoAtMost', value: 1e6 },
    ],
    [
      '70,000 `in` values',
      {
        fact: 'follower',
        path: '$.city',
        operator: 'in',
        value: Array.from({ length: 70_000 }, (_, i) => `c${i}`),
      },
    ],
    [
      'U+0000 in a value',
      { fact: 'follower', path: '$.city', operator: 'equal', value: 'a\u0000' },
    ],
  ])('the audience estimate of %s: 422 invalidRules with a sentence', async (_, rules) => {
    const response = await json(`${flow()}/audience`, { rules });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      ok: false,
      error: 'invalidRules',
      message: expect.any(String),
    });
  });

  it.each(['(?<n>Shang)hai', '\\p{L}+'])(
    'a pattern PostgreSQL refuses (%s): 422 with a sentence, not a 500',
    async (pattern) => {
      // PostgreSQL compiles the pattern when a row is compared: give it one.
      await handle.db
        .insert(followers)
        .values({ brandId: brand.id, openid: 'o_shanghai', subscribed: true, city: 'Shanghai' })
        .onConflictDoNothing();
      // Valid in JavaScript, not in PostgreSQL: refused by the schema (RE2 syntax) or by the
      // database — either way an answer the editor shows.
      const response = await json(`${flow()}/audience`, {
        rules: { fact: 'follower', path: '$.city', operator: 'matches', value: pattern },
      });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { error: string; message: string };
      expect(['invalidRules', 'rejected']).toContain(body.error);
      expect(body.message.length).toBeGreaterThan(10);
    },
  );

  it('a 50 MB draft is refused after 2 MiB (413), streamed or declared; nothing stored', async () => {
    const before = await stored();
    const declared = await request(`${flow()}/draft`, {
      type: 'application/json',
      headers: { 'content-length': String(50 * 1024 * 1024) },
      body: '{}',
    });
    expect(declared.status).toBe(413);
    let pulled = 0;
    const fifty = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 50 * 1024 * 1024) return controller.close();
        pulled += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x20));
      },
    });
    const streamed = await app.handle(
      new Request(`http://fanfare.test${flow()}/draft`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en', cookie },
        body: fifty,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({
      error: 'tooLarge',
      message: expect.stringContaining('2 MiB'),
    });
    expect(pulled).toBeLessThan(3 * 1024 * 1024);
    expect(await stored()).toEqual(before);
  });

  it('a tag name with U+0000 is refused; a restore of version 1e20 is a 404', async () => {
    const before = await stored();
    const tag = await json(`${flow()}/tags`, { name: 'vip\u0000' });
    expect(tag.status).toBe(400);
    const restore = await json(`${flow()}.data`, { intent: 'restore', version: 1e20 });
    expect(restore.status).toBe(404);
    expect(await stored()).toEqual(before);
  });
});

describe('8: every action refuses cross-site posts and bodies it does not take', () => {
  // Bearer-key APIs (no cookie, so no cross-site forgery): the events API, and the read APIs,
  // whose actions only answer 405 with a sentence.
  const EXEMPT = new Set([
    'routes/wechat.$brand',
    'routes/api.v1.brands.$brand.events',
    'routes/api.v1.brands.$brand.flows.$flowId.stats',
    'routes/api.v1.brands.$brand.followers.$openid',
    'routes/api.v1.brands.$brand.qr-channels.stats',
  ]);
  const JSON_ROUTES = new Set([
    'routes/brands.$slug.flows.$flowId',
    'routes/brands.$slug.flows.$flowId_.audience',
    'routes/brands.$slug.flows.$flowId_.draft',
    'routes/brands.$slug.flows.$flowId_.dry-run',
    'routes/brands.$slug.flows.$flowId_.scenarios',
    'routes/brands.$slug.flows.$flowId_.tags',
    'routes/brands.$slug.flows.$flowId_.test-send',
  ]);

  /**
   * Each route with an action, at the URLs that reach it for our brand and flow: a page's as
   * a form posts without JavaScript (the document) and with it (single fetch, `.data`); the
   * editor's own route only as its client calls it (`.data`); resource routes as they are.
   */
  function actionUrls(): [string, string][] {
    return Object.entries(app.build.routes)
      .filter(([id, route]) => route.module.action && !EXEMPT.has(id))
      .flatMap(([id, route]) => {
        const path = `/${route.path ?? ''}`
          .replace(':slug', brand.slug)
          .replace(':flowId', brand.flowId)
          .replace(':version', '1')
          .replace(':token', 'not-a-token')
          .replace(':openid', 'o_someone')
          .replace(/\/$/, '');
        const query = route.index ? '?index' : '';
        const isPage = Boolean(route.module.default || route.module.ErrorBoundary);
        const data = `${path}.data${query}`;
        if (!isPage) return [[id, `${path}${query}`]] as [string, string][];
        if (id === 'routes/brands.$slug.flows.$flowId') return [[id, data]] as [string, string][];
        return [
          [id, `${path}${query}`],
          [id, data],
        ] as [string, string][];
      });
  }

  it('the app has the actions this test knows of', () => {
    expect([...new Set(actionUrls().map(([id]) => id))].sort()).toEqual([
      'routes/account',
      'routes/brands.$slug._index',
      'routes/brands.$slug.api-keys',
      'routes/brands.$slug.connection',
      'routes/brands.$slug.coupons',
      'routes/brands.$slug.flows.$flowId',
      'routes/brands.$slug.flows.$flowId_.audience',
      'routes/brands.$slug.flows.$flowId_.draft',
      'routes/brands.$slug.flows.$flowId_.dry-run',
      'routes/brands.$slug.flows.$flowId_.scenarios',
      'routes/brands.$slug.flows.$flowId_.tags',
      'routes/brands.$slug.flows.$flowId_.test-send',
      'routes/brands.$slug.flows.$flowId_.versions.$version',
      'routes/brands.$slug.followers.$openid',
      'routes/brands.$slug.members',
      'routes/brands.$slug.menus',
      'routes/brands.$slug.message-templates',
      'routes/brands.$slug.qr',
      'routes/brands.$slug.settings',
      'routes/brands.$slug.tags',
      'routes/brands.$slug.templates',
      'routes/brands.$slug.test-followers',
      'routes/brands.new',
      'routes/invite.$token',
      'routes/login',
      'routes/logout',
      'routes/set-language',
      'routes/setup',
    ]);
  });

  it('a cross-site POST to any of them: 403 with a sentence, nothing changed', async () => {
    const before = await stored();
    for (const [id, url] of actionUrls()) {
      for (const headers of [
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } as Record<
          string,
          string
        >,
        { origin: 'https://evil.example' }, // a browser without Sec-Fetch-Site
        { origin: 'null' },
      ]) {
        const isJson = JSON_ROUTES.has(id);
        const response = await request(url, {
          type: isJson ? 'application/json' : 'application/x-www-form-urlencoded',
          body: isJson
            ? '{"intent":"publish","name":"x","rules":{}}'
            : 'intent=create&name=evil&lng=zh-CN',
          headers,
        });
        expect([id, response.status]).toEqual([id, 403]);
        expect([id, await sentenceOf(response)]).toEqual([
          id,
          expect.stringContaining('another website'),
        ]);
      }
    }
    expect(await stored()).toEqual(before);
  });

  it('JSON to a form route is 415, a form to a JSON endpoint is 415, each with a sentence', async () => {
    const before = await stored();
    for (const [id, url] of actionUrls()) {
      const isJson = JSON_ROUTES.has(id);
      const response = await request(
        url,
        isJson
          ? { type: 'application/x-www-form-urlencoded', body: 'intent=publish' }
          : { type: 'application/json', body: '{"intent":"create","name":"x","lng":"en"}' },
      );
      expect([url, response.status]).toEqual([url, 415]);
      expect([url, await sentenceOf(response)]).toEqual([
        url,
        // A page's single-fetch answer carries the reason its error boundary says.
        expect.stringMatching(isJson ? /takes JSON/ : /takes a submitted form|"notForm"/),
      ]);
    }
    expect(await stored()).toEqual(before);
  });

  it('a form field with U+0000 is 400 with a sentence (it used to fail the insert: 500)', async () => {
    const before = await stored();
    const response = await request(`/brands/${brand.slug}/tags`, {
      type: 'application/x-www-form-urlencoded',
      body: 'intent=create&name=vip%00',
    });
    expect(response.status).toBe(400);
    expect(errorSentence(await response.text())).toMatch(/U\+0000/);
    expect(await stored()).toEqual(before);
  });
});

describe('8 and 11: the language switch redirects only to our own pages', () => {
  const switchTo = (redirectTo: string) =>
    request('/set-language', {
      type: 'application/x-www-form-urlencoded',
      body: `lng=zh-CN&redirectTo=${redirectTo}`,
    });

  it.each([
    ['a tab browsers drop', '/%09/evil.example'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash', '/%5Cevil.example'],
    ['CR/LF (header injection)', '/%0D%0ASet-Cookie:%20a=1'],
    ['an absolute URL', 'https://evil.example/'],
  ])('redirectTo with %s: 400 with a sentence, no cookie, no Location', async (_, to) => {
    const response = await switchTo(to);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(errorSentence(await response.text())).toMatch(/not a page of Fanfare/);
  });

  it('a path of ours is followed', async () => {
    const response = await switchTo(encodeURIComponent(`/brands/${brand.slug}/coupons`));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/brands/${brand.slug}/coupons`);
  });
});

describe('9: the CLI writes all of its output, and a failed write is a failure', () => {
  let name: string;

  beforeAll(async () => {
    // A flow whose document is ~300 KiB pretty-printed: far past a pipe's 64 KiB buffer.
    name = `big-${randomBytes(3).toString('hex')}`;
    const doc = couponFlow(name);
    const nodes = doc.nodes as Record<string, unknown>[];
    const edges = doc.edges as Record<string, unknown>[];
    edges.pop();
    let previous = 'c';
    for (let i = 0; i < 600; i++) {
      const id = `w${i}`;
      nodes.push({
        id,
        kind: 'wait.delay',
        label: `Wait ${i} — ${'等一下 '.repeat(40)}`,
        config: { duration: '1h' },
      });
      edges.push({ id: `x${i}`, from: previous, to: id });
      previous = id;
    }
    edges.push({ id: 'last', from: previous, to: 'end' });
    const file = join(dir, 'big.json');
    writeFileSync(file, JSON.stringify(doc));
    const imported = fanfare(['flow', 'import', file, '--brand', brand.slug, '--publish']);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
  });

  it('flow export | (slow reader) gzip: every byte arrives, exit 0', async () => {
    const out = join(dir, 'export.json.gz');
    const run = fanfare(
      [],
      `FANFARE flow export ${name} --brand ${brand.slug} | (sleep 1; gzip -c) > ${out}`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const exported = gunzipSync(readFileSync(out)).toString('utf8');
    expect(exported.length).toBeGreaterThan(200 * 1024);
    const [live] = await handle.db
      .select({ document: sql<unknown>`v.document` })
      .from(flows)
      .innerJoin(sql`flow_versions v`, sql`v.id = ${flows.liveVersionId}`)
      .where(and(eq(flows.brandId, brand.id), eq(flows.name, name)));
    expect(JSON.parse(exported)).toEqual(live!.document);
  });

  it('flow export | head -c 100: the write error is exit 1 with a sentence, no stack', () => {
    const run = fanfare(
      [],
      `FANFARE flow export ${name} --brand ${brand.slug} | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error E_OUTPUT: could not write to standard output \(EPIPE\)/);
    expect(run.stderr).not.toMatch(NO_STACK);
  });
});
