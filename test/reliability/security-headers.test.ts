/**
 * Issue 9 (headers): every answer of the web app carries the security headers
 * (app/lib/http/security-headers.server.ts) — pages, single-fetch data, the WeChat callback
 * (with no referrer), the front door's refusals, static files — and a page's policy allows
 * exactly its own inline scripts (each carries the header's nonce). Through the app
 * in-process (Vite, as `npm run dev` serves it) and the built app served as `npm start`
 * serves it (HSTS there only).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startWebApp, type WebApp } from '../support/web-app';
import { spawnWeb, type WebProcess } from '../support/web-process';

const COMMON = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
};

function expectSecurityHeaders(response: Response, referrer = 'same-origin') {
  const headers = Object.fromEntries(response.headers);
  expect(headers).toMatchObject({ ...COMMON, 'referrer-policy': referrer });
  expect(headers['permissions-policy']).toContain('camera=()');
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-eval');
  return csp;
}

/** A page: the policy's nonce is on every inline script, and no script is inline without it. */
async function expectNoncedPage(response: Response) {
  expect(response.status).toBe(200);
  const csp = expectSecurityHeaders(response);
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
  expect(scripts.length).toBeGreaterThan(1);
  for (const attributes of scripts)
    if (!/\bsrc=/.test(attributes)) expect(attributes).toContain(`nonce="${nonce}"`);
  return nonce!;
}

const CROSS_SITE_POST = {
  method: 'POST',
  headers: {
    origin: 'https://evil.example',
    'sec-fetch-site': 'cross-site',
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: 'x=1',
};

describe('the app as the dev server serves it (startWebApp)', () => {
  let app: WebApp;
  const get = (path: string) => app.handle(new Request(`http://fanfare.test${path}`));
  /** A page, following redirects (/login goes to /setup while nobody has an account). */
  async function page(path: string) {
    let response = await get(path);
    for (let hops = 0; hops < 3 && response.status === 302; hops++)
      response = await get(response.headers.get('location')!);
    return response;
  }
  beforeAll(async () => {
    process.env.DATABASE_URL = inject('databaseUrl');
    process.env.FANFARE_SECRET_KEY ??= randomBytes(32).toString('hex');
    app = await startWebApp();
  });
  afterAll(() => app?.close());

  it('a page: the headers, a fresh nonce per request on its inline scripts, no HSTS', async () => {
    const first = await page('/login');
    const nonce = await expectNoncedPage(first);
    expect(first.headers.get('strict-transport-security')).toBeNull();
    expect(await expectNoncedPage(await page('/login'))).not.toBe(nonce);
  });

  it('a data request, a resource route, the callback (no referrer), a refusal', async () => {
    // 200, or single fetch's 202 redirect (to /setup while nobody has an account).
    const data = await get('/login.data');
    expect([200, 202]).toContain(data.status);
    expect(expectSecurityHeaders(data)).not.toContain('nonce-');

    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expectSecurityHeaders(health);

    const callback = await get('/wechat/no-such-brand?signature=x&timestamp=1&nonce=1');
    expect(callback.status).toBeGreaterThanOrEqual(400);
    expectSecurityHeaders(callback, 'no-referrer');

    const refused = await app.handle(new Request('http://fanfare.test/login', CROSS_SITE_POST));
    expect(refused.status).toBe(403);
    expectSecurityHeaders(refused);
  });
});

describe('the built app as `npm start` serves it (server/serve.js)', () => {
  let web: WebProcess;
  beforeAll(async () => {
    web = await spawnWeb({
      databaseUrl: inject('databaseUrl'),
      secretKeyHex: randomBytes(32).toString('hex'),
      npmStart: true,
    });
  });
  afterAll(() => web?.stop());

  it('pages, data, static files, the callback and refusals, with HSTS', async () => {
    const page = await fetch(`${web.url}/login`);
    await expectNoncedPage(page);
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    expect(expectSecurityHeaders(page)).not.toContain('unsafe-inline;');

    const data = await fetch(`${web.url}/login.data`);
    expect([200, 202]).toContain(data.status);
    expectSecurityHeaders(data);

    const asset = readdirSync(join(import.meta.dirname, '../../build/client/assets')).find((f) =>
      f.endsWith('.js'),
    );
    for (const path of [`/assets/${asset}`, '/favicon.svg', '/healthz']) {
      const response = await fetch(`${web.url}${path}`);
      expect(response.status, path).toBe(200);
      expectSecurityHeaders(response);
      expect(response.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
      // One policy per response: a fill never doubles what the app set.
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }

    const callback = await fetch(`${web.url}/wechat/no-such-brand?signature=x&timestamp=1&nonce=1`);
    expectSecurityHeaders(callback, 'no-referrer');

    const refused = await fetch(`${web.url}/login`, CROSS_SITE_POST);
    expect(refused.status).toBe(403);
    expectSecurityHeaders(refused);
  });
});
