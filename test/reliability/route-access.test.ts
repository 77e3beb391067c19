/**
 * Issue 9, "routes under the brand": who may reach what, through the real Remix app in-process.
 *
 * Acceptance 1 — every file in app/routes/ (read from the directory: a new route file without
 * an entry here fails the test) is reached without a session: a page GET is sent to
 * /login?redirectTo=…, every action, JSON endpoint and the QR image answers 401 with a code and
 * a sentence, a cross-site POST 403 — and nothing in the database changes. The only routes left
 * open are listed in PUBLIC with the reason.
 *
 * Acceptance 2 — a member of brand A gets 404 for everything of brand B, by B's URL and by B's
 * ids under A's URL (flows, versions, drafts, the editor's endpoints, QR images, coupon pools,
 * tags, menus, settings), exactly like for something that does not exist; B's data does not
 * change. A viewer of A reads A's pages and gets 403 on saving a draft, publishing, pausing and
 * archiving.
 */
import { readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, couponPools, menus, qrChannels, tags } from '../../db/schema';
import { sessionIdOf } from '../../services/auth/sessions';
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

const ROUTES_DIR = fileURLToPath(new URL('../../app/routes/', import.meta.url));

/** Route files anyone may reach (by file name), and why. */
const PUBLIC: Record<string, string> = {
  'login.tsx': 'the sign-in page itself',
  'logout.ts': 'signing out needs no session (it ends one if there is one)',
  'setup.tsx': 'first-run setup: open only while no user exists, for creating the first one',
  'invite.$token.tsx': 'accepting an invitation: the token in the link is the credential',
  'set-language.ts': 'the language cookie: no brand data, and the sign-in page offers it',
  'healthz.ts': 'liveness for the operator: says nothing about any brand',
  'wechat.$brand.ts': "WeChat's callback: server-to-server, authenticated by WeChat's signature",
  'api.v1.brands.$brand.events.ts':
    'the events API: server-to-server, authenticated by a bearer key',
  'api.v1.brands.$brand.flows.$flowId.stats.ts':
    'the flow stats API: server-to-server, authenticated by a bearer key',
  'api.v1.brands.$brand.followers.$openid.ts':
    'the follower API: server-to-server, authenticated by a bearer key',
  'api.v1.brands.$brand.qr-channels.stats.ts':
    'the QR channel stats API: server-to-server, authenticated by a bearer key',
};

const secretKey = randomBytes(32).toString('hex');
let app: WebApp;
let handle: DbHandle;
let a: HostileBrand;
let b: HostileBrand;
/** Ids of brand B's rows, to ask for under brand A's URL. */
let bQr: string;
let bPool: string;
let bTag: string;
let bMenu: string;
let aQr: string;
let memberOfA: string;
let viewerOfA: string;

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  handle = connect(inject('databaseUrl'), { max: 4 });
  const box = new SecretBox(secretKey);
  a = await hostileBrand(handle, box);
  b = await hostileBrand(handle, box);
  const qr = async (brandId: string, scene: string) =>
    (
      await handle.db
        .insert(qrChannels)
        .values({
          brandId,
          name: scene,
          scene,
          kind: 'permanent',
          ticket: `ticket-${scene}`,
          url: `https://weixin.qq.com/q/${scene}`,
        })
        .returning({ id: qrChannels.id })
    )[0]!.id;
  aQr = await qr(a.id, 'shop-a');
  bQr = await qr(b.id, 'shop-b');
  bPool = (
    await handle.db
      .select({ id: couponPools.id })
      .from(couponPools)
      .where(eq(couponPools.brandId, b.id))
  )[0]!.id;
  bTag = (
    await handle.db
      .insert(tags)
      .values({ brandId: b.id, name: 'b-vip', kind: 'user' })
      .returning({ id: tags.id })
  )[0]!.id;
  bMenu = (
    await handle.db
      .insert(menus)
      .values({
        brandId: b.id,
        name: 'b-menu',
        isDefault: true,
        buttons: [{ type: 'click', name: 'VIP', key: 'MENU_VIP' }],
      })
      .returning({ id: menus.id })
  )[0]!.id;
  app = await startWebApp();
  // Each brand gets version 1 of its flow, published by its owner through the editor.
  for (const brand of [a, b]) {
    const { cookie } = await signedInMember(handle.db, brand.slug, 'owner');
    const published = await send(`/brands/${brand.slug}/flows/${brand.flowId}.data`, {
      cookie,
      json: { intent: 'publish', draft: couponFlow() },
    });
    expect(published.status).toBe(200);
  }
  ({ cookie: memberOfA } = await signedInMember(handle.db, a.slug, 'owner'));
  ({ cookie: viewerOfA } = await signedInMember(handle.db, a.slug, 'viewer'));
});
afterAll(async () => {
  await app?.close();
  await handle?.close();
});

/** Everything stored, for "nothing changed": both brands, and the account tables. */
async function everything() {
  const [accounts] = await handle.db.execute<Record<string, unknown>>(sql`
    select (select count(*) from users)::int as users,
           (select count(*) from memberships)::int as memberships,
           (select count(*) from organizations)::int as organizations`);
  return { a: await fingerprint(handle, a.id), b: await fingerprint(handle, b.id), accounts };
}

/**
 * A request as a browser on our own pages sends it (same-origin), or as `site` says; GET unless
 * a body is given; `accept` defaults to a page's.
 */
function send(
  path: string,
  options: {
    cookie?: string;
    json?: unknown;
    form?: string;
    accept?: string;
    site?: 'same-origin' | 'cross-site';
  } = {},
) {
  const post = options.json !== undefined || options.form !== undefined;
  const headers: Record<string, string> = {
    'accept-language': 'en',
    accept: options.accept ?? 'text/html,application/xhtml+xml,*/*;q=0.8',
  };
  if (options.cookie) headers.cookie = options.cookie;
  if (post) {
    const cross = options.site === 'cross-site';
    headers.origin = cross ? 'https://evil.example' : 'http://fanfare.test';
    headers['sec-fetch-site'] = cross ? 'cross-site' : 'same-origin';
    headers['content-type'] =
      options.json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  return app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: post ? 'POST' : 'GET',
      headers,
      ...(post
        ? { body: options.json !== undefined ? JSON.stringify(options.json) : options.form }
        : {}),
    }),
  );
}

/** The sentence of a refusal, whichever way the route answers (JSON, single fetch, a page). */
async function sentenceOf(response: Response): Promise<string | null> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (type.includes('application/json')) {
    const body = JSON.parse(text) as { message?: string; error?: { message?: string } };
    return body.error?.message ?? body.message ?? null;
  }
  if (type.includes('text/x-script')) return text; // turbo-stream: the sentence is inside
  return errorSentence(text);
}

// --- acceptance 1 --------------------------------------------------------------------------

interface Door {
  file: string;
  /** The URL a browser uses for a page (or the resource route's own). */
  path: string;
  page: boolean;
  loader: boolean;
  action: boolean;
  /** The action takes JSON (the editor's), else a form. */
  json: boolean;
}

/** Every route file of app/routes/, at a URL of brand A (ids of A's rows in the params). */
function doors(): Door[] {
  const files = readdirSync(ROUTES_DIR).filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\./.test(f));
  return files.map((file) => {
    const id = `routes/${file.replace(/\.(ts|tsx)$/, '')}`;
    const route = app.build.routes[id];
    if (!route) throw new Error(`${file}: no route ${id} in the build`);
    const values: Record<string, string> = {
      slug: a.slug,
      flowId: a.flowId,
      version: '1',
      id: aQr,
      token: 'not-a-token',
      brand: a.slug,
      openid: 'o_someone',
    };
    const path = `/${route.path ?? ''}`.replace(/:(\w+)/g, (_, name: string) => {
      const value = values[name];
      if (!value) throw new Error(`${file}: no test value for the URL parameter :${name}`);
      return value;
    });
    const editor = /flows\.\$flowId(_\.(draft|audience|dry-run|tags|test-send))?\.tsx?$/.test(file);
    return {
      file,
      path: path === '/' ? '/' : path.replace(/\/$/, ''),
      page: Boolean(route.module.default),
      loader: Boolean(route.module.loader),
      action: Boolean(route.module.action),
      json: editor,
      index: Boolean(route.index),
    } satisfies Door & { index: boolean };
  });
}

describe('acceptance 1: without a session nothing but the public doors answers', () => {
  it('every route file is either checked below or listed as public with a reason', () => {
    const files = doors().map((d) => d.file);
    for (const file of Object.keys(PUBLIC))
      expect(files, `${file} is listed as public`).toContain(file);
    // The brand pages this issue moved: they must be here, under /brands/<slug>.
    const guarded = doors().filter((d) => !PUBLIC[d.file]);
    expect(guarded.map((d) => d.path)).toEqual(
      expect.arrayContaining([
        '/',
        '/account',
        `/brands/${a.slug}`,
        `/brands/${a.slug}/flows`,
        `/brands/${a.slug}/flows/${a.flowId}`,
        `/brands/${a.slug}/flows/${a.flowId}/draft`,
        `/brands/${a.slug}/flows/${a.flowId}/audience`,
        `/brands/${a.slug}/flows/${a.flowId}/tags`,
        `/brands/${a.slug}/flows/${a.flowId}/versions/1`,
        `/brands/${a.slug}/tags`,
        `/brands/${a.slug}/coupons`,
        `/brands/${a.slug}/menus`,
        `/brands/${a.slug}/qr`,
        `/brands/${a.slug}/qr/${aQr}.png`,
        `/brands/${a.slug}/settings`,
      ]),
    );
  });

  it('a page GET redirects to /login, remembering where it was going', async () => {
    const before = await everything();
    for (const door of doors().filter((d) => !PUBLIC[d.file] && d.loader && d.page)) {
      const response = await send(door.path);
      expect([door.file, response.status]).toEqual([door.file, 302]);
      const expected =
        door.path === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(door.path)}`;
      expect([door.file, response.headers.get('location')]).toEqual([door.file, expected]);
    }
    expect(await everything()).toEqual(before);
  });

  it('a GET of a JSON endpoint or the QR image: 401 with a code and a sentence', async () => {
    const before = await everything();
    const checked: string[] = [];
    for (const door of doors().filter((d) => !PUBLIC[d.file] && d.loader && !d.page)) {
      // A resource route (the QR image, the editor's endpoints) asked for what it serves.
      const accept = door.file.endsWith('.png].ts') ? 'image/png' : 'application/json';
      const response = await send(door.path, { accept });
      expect([door.file, response.status]).toEqual([door.file, 401]);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect([door.file, body.error.code]).toEqual([door.file, 'E_UNAUTHENTICATED']);
      expect(body.error.message).toMatch(/sign in/i);
      checked.push(door.file);
    }
    expect(checked).toContain('brands.$slug.qr_.$id[.png].ts');
    expect(await everything()).toEqual(before);
  });

  it('every action: 401 with a code and a sentence (as a form posts, and as single fetch), nothing changed', async () => {
    const before = await everything();
    for (const door of doors().filter((d) => !PUBLIC[d.file] && d.action)) {
      const index = door.path === `/brands/${a.slug}` || door.path === '/';
      const urls = door.json
        ? [door.page ? `${door.path}.data` : door.path]
        : door.page
          ? [`${door.path}${index ? '?index' : ''}`, `${door.path}.data${index ? '?index' : ''}`]
          : [door.path];
      for (const url of urls) {
        const response = door.json
          ? await send(url, {
              json: { intent: 'publish', draft: couponFlow(), name: 'x', rules: {} },
            })
          : await send(url, { form: 'intent=create&name=evil' });
        expect([url, response.status]).toEqual([url, 401]);
        expect([url, await sentenceOf(response)]).toEqual([url, expect.stringMatching(/sign in/i)]);
      }
    }
    expect(await everything()).toEqual(before);
  });

  it('a cross-site POST to any action: 403 with a sentence, nothing changed', async () => {
    const before = await everything();
    for (const door of doors().filter((d) => !PUBLIC[d.file] && d.action)) {
      const index = door.path === `/brands/${a.slug}`;
      const url = door.page ? `${door.path}.data${index ? '?index' : ''}` : door.path;
      const response = door.json
        ? await send(url, { json: { intent: 'publish' }, site: 'cross-site', cookie: memberOfA })
        : await send(url, {
            form: 'intent=create&name=evil',
            site: 'cross-site',
            cookie: memberOfA,
          });
      expect([url, response.status]).toEqual([url, 403]);
      expect([url, await sentenceOf(response)]).toEqual([
        url,
        expect.stringContaining('another website'),
      ]);
    }
    expect(await everything()).toEqual(before);
  });

  it('the old URLs (brand by ?brand=, flow by id alone) answer nothing of a brand', async () => {
    const before = await everything();
    for (const path of [
      `/flows/${a.flowId}?brand=${a.slug}`,
      `/tags?brand=${a.slug}`,
      `/coupons?brand=${a.slug}`,
      `/menus?brand=${a.slug}`,
      `/qr?brand=${a.slug}`,
      `/qr/${aQr}.png?brand=${a.slug}`,
      `/settings?brand=${a.slug}`,
    ]) {
      for (const cookie of [undefined, memberOfA]) {
        const response = await send(path, cookie ? { cookie } : {});
        expect([path, response.status]).toEqual([path, 404]);
        // No flow, pool or channel of the brand on the page.
        const html = await response.text();
        expect(html).not.toContain('shop-a');
        expect(html).not.toContain('"Welcome"');
      }
    }
    const posted = await send(`/flows/${a.flowId}/draft`, {
      json: couponFlow(),
      cookie: memberOfA,
    });
    expect(posted.status).toBe(404);
    // `/?brand=<slug>` (the switcher without JavaScript) only redirects to the brand's URL.
    const switched = await send(`/?brand=${a.slug}`, { cookie: memberOfA });
    expect(switched.status).toBe(302);
    expect(switched.headers.get('location')).toBe(`/brands/${a.slug}`);
    expect(await everything()).toEqual(before);
  });
});

// --- acceptance 2 --------------------------------------------------------------------------

describe("acceptance 2: a member of brand A never reaches brand B's rows", () => {
  it("B's pages by B's URL: 404, the same as a brand that does not exist", async () => {
    for (const path of [
      `/brands/${b.slug}`,
      `/brands/${b.slug}/flows`,
      `/brands/${b.slug}/flows/${b.flowId}`,
      `/brands/${b.slug}/flows/${b.flowId}/versions/1`,
      `/brands/${b.slug}/tags`,
      `/brands/${b.slug}/coupons`,
      `/brands/${b.slug}/menus`,
      `/brands/${b.slug}/qr`,
      `/brands/${b.slug}/qr/${bQr}.png`,
      `/brands/${b.slug}/settings`,
    ]) {
      const response = await send(path, { cookie: memberOfA });
      expect([path, response.status]).toEqual([path, 404]);
      const sentence = await sentenceOf(response);
      expect(sentence).toBeTruthy();
      const unknown = await send(path.replace(b.slug, 'no-such-brand-x'), { cookie: memberOfA });
      expect(unknown.status).toBe(404);
      expect(sentence?.replaceAll(b.slug, 'SLUG')).toBe(
        (await sentenceOf(unknown))?.replaceAll('no-such-brand-x', 'SLUG'),
      );
    }
  });

  it("B's actions by B's URL: 404, nothing of B changed", async () => {
    const before = await everything();
    const flow = `/brands/${b.slug}/flows/${b.flowId}`;
    for (const [url, body] of [
      [`${flow}/draft`, { json: couponFlow('Taken') }],
      [`${flow}/audience`, { json: { rules: { all: [] } } }],
      [`${flow}/dry-run`, { json: { sample: 10 } }],
      [`${flow}/tags`, { json: { name: 'stolen' } }],
      [
        `${flow}/test-send`,
        { json: { messages: [{ nodeId: 'n1', message: { type: 'text', text: 'hi' } }] } },
      ],
      [`${flow}.data`, { json: { intent: 'publish', draft: couponFlow() } }],
      [`${flow}/versions/1`, { form: '' }],
      [`/brands/${b.slug}?index`, { form: `intent=pause&flowId=${b.flowId}` }],
      [`/brands/${b.slug}/coupons`, { form: `intent=generate&id=${bPool}&count=5` }],
      [`/brands/${b.slug}/tags`, { form: `intent=delete&id=${bTag}` }],
      [`/brands/${b.slug}/menus`, { form: `intent=delete&id=${bMenu}` }],
      [`/brands/${b.slug}/settings`, { form: 'timezone=UTC' }],
    ] as const) {
      const response = await send(url, { ...body, cookie: memberOfA });
      expect([url, response.status]).toEqual([url, 404]);
    }
    expect(await everything()).toEqual(before);
  });

  it("B's ids under A's URL: 404 (another brand's id is an unknown id), nothing of B changed", async () => {
    const before = await everything();
    const flow = `/brands/${a.slug}/flows/${b.flowId}`;
    for (const path of [flow, `${flow}/versions/1`, `/brands/${a.slug}/qr/${bQr}.png`]) {
      const response = await send(path, { cookie: memberOfA });
      expect([path, response.status]).toEqual([path, 404]);
    }
    for (const [url, body] of [
      [`${flow}/draft`, { json: couponFlow('Taken') }],
      [`${flow}/audience`, { json: { rules: { all: [] } } }],
      [`${flow}/dry-run`, { json: { sample: 10 } }],
      [`${flow}/tags`, { json: { name: 'stolen' } }],
      [
        `${flow}/test-send`,
        { json: { messages: [{ nodeId: 'n1', message: { type: 'text', text: 'hi' } }] } },
      ],
      [`${flow}.data`, { json: { intent: 'publish', draft: couponFlow() } }],
      [`${flow}.data`, { json: { intent: 'restore', version: 1 } }],
      [`${flow}/versions/1`, { form: '' }],
      [`/brands/${a.slug}?index`, { form: `intent=pause&flowId=${b.flowId}` }],
      [`/brands/${a.slug}?index`, { form: `intent=archive&flowId=${b.flowId}` }],
      [`/brands/${a.slug}?index`, { form: `intent=duplicate&flowId=${b.flowId}` }],
      [`/brands/${a.slug}/coupons`, { form: `intent=generate&id=${bPool}&count=5` }],
      [`/brands/${a.slug}/coupons`, { form: `intent=expiry&id=${bPool}&expiry=none` }],
      [`/brands/${a.slug}/tags`, { form: `intent=delete&id=${bTag}` }],
      [`/brands/${a.slug}/menus`, { form: `intent=delete&id=${bMenu}` }],
    ] as const) {
      const response = await send(url, { ...body, cookie: memberOfA });
      expect([url, JSON.stringify(body).slice(0, 40), response.status]).toEqual([
        url,
        JSON.stringify(body).slice(0, 40),
        404,
      ]);
    }
    expect(await everything()).toEqual(before);
  });

  it("A's member reads A's own pages (the same URLs work for the right brand)", async () => {
    for (const path of [
      `/brands/${a.slug}`,
      `/brands/${a.slug}/flows/${a.flowId}`,
      `/brands/${a.slug}/flows/${a.flowId}/versions/1`,
      `/brands/${a.slug}/tags`,
      `/brands/${a.slug}/coupons`,
      `/brands/${a.slug}/menus`,
      `/brands/${a.slug}/qr`,
      `/brands/${a.slug}/settings`,
    ]) {
      const response = await send(path, { cookie: memberOfA });
      expect([path, response.status]).toEqual([path, 200]);
      const html = await response.text();
      expect(html).not.toContain(b.slug);
    }
    const png = await send(`/brands/${a.slug}/qr/${aQr}.png`, { cookie: memberOfA });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
  });

  it('a viewer of A reads, and gets 403 on save draft, publish, pause and archive', async () => {
    for (const path of [
      `/brands/${a.slug}`,
      `/brands/${a.slug}/flows/${a.flowId}`,
      `/brands/${a.slug}/flows/${a.flowId}/versions/1`,
      `/brands/${a.slug}/coupons`,
    ]) {
      const response = await send(path, { cookie: viewerOfA });
      expect([path, response.status]).toEqual([path, 200]);
    }
    // The list offers a viewer no change (the server refuses them below anyway).
    const list = await (await send(`/brands/${a.slug}`, { cookie: viewerOfA })).text();
    expect(list).not.toMatch(/name="intent" value="(create|duplicate|pause|archive)"/);
    const owners = await (await send(`/brands/${a.slug}`, { cookie: memberOfA })).text();
    expect(owners).toMatch(/name="intent" value="create"/);
    // Nor a restore of an old version (an owner has it).
    const version = `/brands/${a.slug}/flows/${a.flowId}/versions/1`;
    expect(await (await send(version, { cookie: viewerOfA })).text()).not.toContain(
      'Restore as draft',
    );
    expect(await (await send(version, { cookie: memberOfA })).text()).toContain('Restore as draft');
    const before = await everything();
    const flow = `/brands/${a.slug}/flows/${a.flowId}`;
    for (const [url, body] of [
      [`${flow}/draft`, { json: couponFlow('Viewer was here') }],
      [`${flow}.data`, { json: { intent: 'publish', draft: couponFlow() } }],
      [`/brands/${a.slug}?index`, { form: `intent=pause&flowId=${a.flowId}` }],
      [`/brands/${a.slug}?index`, { form: `intent=archive&flowId=${a.flowId}` }],
      [`/brands/${a.slug}/settings`, { form: 'timezone=UTC' }],
    ] as const) {
      const response = await send(url, { ...body, cookie: viewerOfA });
      expect([url, response.status]).toEqual([url, 403]);
      expect([url, await sentenceOf(response)]).toEqual([
        url,
        expect.stringMatching(/Your role on this brand is viewer/),
      ]);
    }
    expect(await everything()).toEqual(before);
  });

  it("the brand list at / shows only the user's brands", async () => {
    const response = await send('/', { cookie: memberOfA });
    // One brand: straight there.
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/brands/${a.slug}`);
  });
});

// --- acceptance 3 --------------------------------------------------------------------------

describe('acceptance 3: no answer carries a secret', () => {
  it("every page and resource of A, read by A's owner, holds none of A's secrets, keys or session", async () => {
    // A's Official Account with every secret set (the AES key too), and a live API key.
    const box = new SecretBox(secretKey);
    const aesKey = randomBytes(40).toString('base64url').slice(0, 43);
    await handle.db
      .update(brands)
      .set({ aesKeyEnc: box.seal(aesKey), callbackMode: 'safe' })
      .where(eq(brands.id, a.id));
    // The cookie holds the session token as Remix serialises it (base64 of its JSON).
    const cookieValue = memberOfA.slice(memberOfA.indexOf('=') + 1);
    const token = JSON.parse(
      Buffer.from(decodeURIComponent(cookieValue), 'base64').toString('utf8'),
    ) as string;
    const secrets: Record<string, string> = {
      AppSecret: a.secret,
      Token: a.token,
      EncodingAESKey: aesKey,
      'API key': a.key,
      'session cookie': cookieValue,
      'session token': token,
      'session id': sessionIdOf(token),
    };
    const answers: [string, string][] = [];
    for (const door of doors().filter((d) => d.loader && !PUBLIC[d.file])) {
      const read = async (path: string, accept?: string) => {
        const response = await send(path, { cookie: memberOfA, ...(accept ? { accept } : {}) });
        const body = Buffer.from(await response.arrayBuffer()).toString('latin1');
        answers.push([`${path} (${response.status})`, body]);
      };
      await read(door.path);
      // A page's data as the browser's client fetches it (single fetch).
      if (door.page) await read(`${door.path === '/' ? '/_root' : door.path}.data`, '*/*');
    }
    expect(answers.length).toBeGreaterThan(15);
    for (const [where, body] of answers) {
      for (const [what, value] of Object.entries(secrets)) {
        expect([where, what, body.includes(value)]).toEqual([where, what, false]);
      }
    }
  });
});
