/**
 * requireUser / requireMember / the session cookie on real Requests, over the services on a
 * real PostgreSQL: what a route gets when it calls them first (redirect, 401, 403, 404), and
 * that a signed-out or revoked session opens nothing.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestAuth, type RequestAuth } from '../../app/lib/request-auth.server';
import { connect, type DbHandle } from '../../db/client';
import { brands } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import { OPERATOR } from '../../services/deps';
import { insertBrand, type TestBrand } from '../support/brands';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const box = new SecretBox(randomBytes(32).toString('hex'));
const BASE = 'http://fanfare.test';
let database: TestDatabase;
let handle: DbHandle;
let s: Services;
let auth: RequestAuth;
let brandA: TestBrand;
let brandB: TestBrand;

/** What a loader/action's first line throws, or its result. */
async function outcome<T>(call: Promise<T>): Promise<{ thrown: Response } | { value: T }> {
  try {
    return { value: await call };
  } catch (error) {
    if (error instanceof Response) return { thrown: error };
    throw error;
  }
}

async function thrownResponse(call: Promise<unknown>): Promise<Response> {
  const result = await outcome(call);
  if (!('thrown' in result)) throw new Error('expected a thrown Response');
  return result.thrown;
}

/** A browser's request: same-origin unless told otherwise. */
function req(
  path: string,
  init: { method?: string; cookie?: string; headers?: Record<string, string> } = {},
) {
  const method = init.method ?? 'GET';
  return new Request(`${BASE}${path}`, {
    method,
    headers: {
      'Accept-Language': 'en',
      ...(method === 'GET' ? { Accept: 'text/html' } : { 'Sec-Fetch-Site': 'same-origin' }),
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...init.headers,
    },
  });
}

/** Signs in and returns the Cookie header a browser would send back. */
async function signIn(email: string, password: string): Promise<{ cookie: string; token: string }> {
  const result = await s.login({ email, password });
  if (!result.ok) throw new Error(`sign-in failed: ${result.code}`);
  const setCookie = await auth.sessionCookieHeader(result.session);
  return { cookie: setCookie.split(';')[0]!, token: result.session.token };
}

beforeAll(async () => {
  database = await ownDatabase();
  handle = connect(database.url, { max: 4 });
  s = createServices({ db: handle.db });
  auth = createRequestAuth({ services: s, production: false, trustedProxyHops: 0 });
  brandA = await insertBrand(handle.db, box, { prefix: 'req-a' });
  brandB = await insertBrand(handle.db, box, { prefix: 'req-b' });
  const setup = await s.setup.run({
    email: 'owner@example.com',
    password: 'owner password',
    organization: 'Org',
  });
  // Brand B moves to another organization the owner is not in.
  const other = await s.members.organizations.create('Elsewhere');
  await handle.db.update(brands).set({ organizationId: other.id }).where(eq(brands.id, brandB.id));
  expect(setup.adoptedBrands.sort()).toEqual([brandA.slug, brandB.slug].sort());
  await s.users.create({ email: 'viewer@example.com', password: 'viewer password' });
  await s.members.addToBrand(OPERATOR, {
    brandSlug: brandA.slug,
    email: 'viewer@example.com',
    role: 'viewer',
  });
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

describe('without a session', () => {
  it('a page GET redirects to /login with the way back', async () => {
    const response = await thrownResponse(auth.requireUser(req('/flows/123?brand=x')));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/login?redirectTo=%2Fflows%2F123%3Fbrand%3Dx');
  });

  it.each([
    ['a form POST', req('/flows', { method: 'POST' })],
    ['a JSON GET', req('/flows/1/audience', { headers: { Accept: 'application/json' } })],
  ])('%s answers 401 JSON with a code and a sentence', async (_, request) => {
    const response = await thrownResponse(auth.requireMember(request, { brand: brandA.slug }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      ok: false,
      reason: 'unauthenticated',
      // The same sentence at the top, for the editor's fetches.
      message: expect.stringMatching(/sign in/i),
      error: { code: 'E_UNAUTHENTICATED', message: expect.stringMatching(/sign in/i) },
    });
  });

  it('a cross-site POST is refused with 403 before anything else', async () => {
    const response = await thrownResponse(
      auth.requireUser(
        req('/flows', { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site' } }),
      ),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      reason: 'cross-site',
      error: { code: 'E_CROSS_SITE' },
    });
  });

  it('answers in the reader’s language', async () => {
    const response = await thrownResponse(
      auth.requireUser(req('/flows', { method: 'POST', headers: { 'Accept-Language': 'zh-CN' } })),
    );
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /登录/,
    );
  });
});

describe('with a session', () => {
  it('gives the route the user and the actor; the cookie is httpOnly, Lax, path /', async () => {
    const result = await s.login({ email: 'owner@example.com', password: 'owner password' });
    if (!result.ok) throw new Error('sign-in failed');
    const setCookie = await auth.sessionCookieHeader(result.session);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/); // development
    const signedIn = await auth.requireUser(req('/', { cookie: setCookie.split(';')[0] }));
    expect(signedIn.user.email).toBe('owner@example.com');
    expect(signedIn.actor).toEqual({
      kind: 'user',
      userId: signedIn.user.id,
      email: 'owner@example.com',
    });
  });

  it('in production the cookie is Secure and __Host- prefixed', async () => {
    const prod = createRequestAuth({ services: s, production: true, trustedProxyHops: 0 });
    const header = await prod.sessionCookieHeader({
      token: 't',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(header).toMatch(/^__Host-fanfare_session=/);
    expect(header).toMatch(/Secure/);
  });

  it('a member of brand A gets 404 for brand B, exactly as for a brand that does not exist', async () => {
    const { cookie } = await signIn('owner@example.com', 'owner password');
    const other = await thrownResponse(
      auth.requireMember(req('/x', { cookie }), { brand: brandB.slug }),
    );
    const none = await thrownResponse(
      auth.requireMember(req('/x', { cookie }), { brand: 'no-such-brand' }),
    );
    expect(other.status).toBe(404);
    expect(none.status).toBe(404);
    const shape = (slug: string) => ({
      ok: false,
      reason: 'brand-not-found',
      slug,
      message: expect.stringContaining(slug),
      error: { code: 'E_NOT_FOUND', message: expect.stringContaining(slug) },
    });
    expect(await other.json()).toEqual(shape(brandB.slug));
    expect(await none.json()).toEqual(shape('no-such-brand'));
    const undef = await thrownResponse(
      auth.requireMember(req('/x', { cookie }), { brand: undefined }),
    );
    expect(undef.status).toBe(404);
  });

  it('a viewer reads, and gets 403 for a change (default: editor for non-GET) or a higher role', async () => {
    const { cookie } = await signIn('viewer@example.com', 'viewer password');
    const read = await auth.requireMember(req('/x', { cookie }), { brand: brandA.slug });
    expect(read.member).toMatchObject({
      role: 'viewer',
      brand: { id: brandA.id, slug: brandA.slug },
    });
    const write = await thrownResponse(
      auth.requireMember(req('/x', { method: 'POST', cookie }), { brand: brandA.slug }),
    );
    expect(write.status).toBe(403);
    expect(await write.json()).toMatchObject({
      reason: 'forbidden',
      role: 'viewer',
      need: 'editor',
      error: { code: 'E_FORBIDDEN', message: expect.stringContaining('viewer') },
    });
    const admin = await thrownResponse(
      auth.requireMember(req('/x', { cookie }), { brand: brandA.slug, atLeast: 'admin' }),
    );
    expect(admin.status).toBe(403);
  });

  it('the owner may do everything on their brands', async () => {
    const { cookie } = await signIn('owner@example.com', 'owner password');
    const result = await auth.requireMember(req('/x', { method: 'POST', cookie }), {
      brand: brandA.slug,
      atLeast: 'owner',
    });
    expect(result.member.role).toBe('owner');
  });

  it('a revoked session (signed out) opens nothing; a forged cookie neither', async () => {
    const { cookie, token } = await signIn('owner@example.com', 'owner password');
    await s.sessions.revoke(token);
    const gone = await thrownResponse(auth.requireUser(req('/flows', { method: 'POST', cookie })));
    expect(gone.status).toBe(401);
    const forged = await auth.sessionCookieHeader({
      token: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + 60_000),
    });
    const response = await thrownResponse(
      auth.requireUser(req('/flows', { method: 'POST', cookie: forged.split(';')[0] })),
    );
    expect(response.status).toBe(401);
  });
});
