/**
 * The brand administration pages through the real Remix app (startWebApp) and the WeChat
 * sandbox, as a browser without JavaScript uses them: no page ever carries a seeded AppSecret,
 * Token, EncodingAESKey or API key (only masked forms and prefixes); a new key is in the one
 * answer that created it and nowhere after; saving, testing and revoking work by plain form
 * posts; editors get 403 and strangers 404.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRequestAuth } from '../../app/lib/request-auth.server';
import { createApiKey } from '../../services/api-keys/store';
import { connect, type DbHandle } from '../../db/client';
import { brands, followerImports } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices } from '../../services';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand, type TestBrand } from '../support/brands';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
const box = new SecretBox(secretKey);
const aesKey = randomBytes(40)
  .toString('base64')
  .replace(/[^A-Za-z0-9]/g, 'k')
  .slice(0, 43);
let app: WebApp;
let handle: DbHandle;
let sandbox: RunningSandbox;
let brand: TestBrand;
let seededKey: string;
let admin: string;
let editor: string;
let stranger: string;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  sandbox = await startSandbox({ port: 0 });
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  process.env.WECHAT_API_BASE = sandbox.url;
  brand = await insertBrand(handle.db, box, { prefix: 'pages', aesKey, mode: 'safe' });
  await new SandboxControl(sandbox.url).registerAccount({
    appId: brand.appId,
    secret: brand.secret,
    token: brand.token,
  });
  seededKey = (await createApiKey(handle.db, brand.id, 'seeded')).key;
  admin = (await signedInMember(handle.db, brand.slug, 'admin')).cookie;
  editor = (await signedInMember(handle.db, brand.slug, 'editor')).cookie;
  const other = await insertBrand(handle.db, box, { prefix: 'other' });
  stranger = (await signedInMember(handle.db, other.slug, 'owner')).cookie;
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
  await handle?.close();
});

const page = (path: string, cookie: string, lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path}`, {
      headers: { cookie, 'accept-language': lang, accept: 'text/html' },
    }),
  );

const post = (path: string, cookie: string, fields: Record<string, string>, lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: 'POST',
      headers: {
        cookie,
        'accept-language': lang,
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams(fields).toString(),
    }),
  );

function expectNoSecrets(html: string, secrets: string[]) {
  for (const secret of secrets) expect(html).not.toContain(secret);
}

describe('the connection page', () => {
  it('shows masked credentials and the callback URL, never a secret (zh-CN and en)', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const response = await page(`/brands/${brand.slug}/connection`, admin, lang);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain(lang === 'en' ? 'WeChat connection' : '微信连接');
      expect(html).toContain(brand.appId);
      expect(html).toContain(`••••${brand.secret.slice(-4)}`);
      expect(html).toContain(`••••${aesKey.slice(-4)}`);
      expect(html).toContain(`http://fanfare.test/wechat/${brand.slug}`);
      expectNoSecrets(html, [brand.secret, brand.token, aesKey, seededKey]);
    }
  });

  it('saves by a plain form post: an empty secret keeps the stored one; the answer has no secret', async () => {
    const newSecret = randomBytes(16).toString('hex');
    const response = await post(`/brands/${brand.slug}/connection`, admin, {
      intent: 'save',
      appId: brand.appId,
      appSecret: newSecret,
      token: '',
      aesKey: '',
      mode: 'safe',
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Saved.');
    expect(html).toContain(`••••${newSecret.slice(-4)}`);
    expectNoSecrets(html, [newSecret, brand.secret, brand.token, aesKey]);
    const [row] = await handle.db.select().from(brands).where(eq(brands.id, brand.id));
    expect(box.open(row!.appSecretEnc)).toBe(newSecret);
    expect(box.open(row!.callbackTokenEnc)).toBe(brand.token);
    brand.secret = newSecret;
  });

  it('puts a refusal on its field and never echoes a typed secret', async () => {
    const typed = 'typed-secret-with spaces';
    const response = await post(`/brands/${brand.slug}/connection`, admin, {
      intent: 'save',
      appId: 'wx-not-an-app-id',
      appSecret: typed,
      mode: 'safe',
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="connection-appId-error"[^>]*>An AppID is/);
    expect(html).toMatch(/id="connection-appSecret-error"[^>]*>An AppSecret has/);
    expect(html).toContain('wx-not-an-app-id');
    expectNoSecrets(html, [typed, brand.secret, brand.token, aesKey]);
  });

  it('tests the connection against the sandbox: WeChat’s errcode, then success', async () => {
    await new SandboxControl(sandbox.url).registerAccount({
      appId: brand.appId,
      secret: 'not-the-stored-secret-000',
      token: brand.token,
    });
    const refused = await (
      await post(`/brands/${brand.slug}/connection`, admin, { intent: 'test' }, 'zh-CN')
    ).text();
    expect(refused).toContain('errcode 40125');
    await new SandboxControl(sandbox.url).registerAccount({
      appId: brand.appId,
      secret: brand.secret,
      token: brand.token,
    });
    const ok = await (
      await post(`/brands/${brand.slug}/connection`, admin, { intent: 'test' })
    ).text();
    expect(ok).toContain('Connection works');
    expectNoSecrets(ok, [brand.secret, brand.token, aesKey]);
  });

  it('is 403 for an editor and 404 for a stranger, for reading and for changing', async () => {
    expect((await page(`/brands/${brand.slug}/connection`, editor)).status).toBe(403);
    expect(
      (await post(`/brands/${brand.slug}/connection`, editor, { intent: 'test' })).status,
    ).toBe(403);
    expect((await page(`/brands/${brand.slug}/connection`, stranger)).status).toBe(404);
    expect((await page(`/brands/${brand.slug}/api-keys`, editor)).status).toBe(403);
    expect((await page(`/brands/${brand.slug}/api-keys`, stranger)).status).toBe(404);
  });
});

describe('the API keys page', () => {
  it('lists keys by name and prefix, never a key', async () => {
    const html = await (await page(`/brands/${brand.slug}/api-keys`, admin)).text();
    expect(html).toContain('seeded');
    expect(html).toContain(`${seededKey.slice(0, 10)}…`);
    expectNoSecrets(html, [seededKey, brand.secret, brand.token, aesKey]);
  });

  it('shows a new key once — in the answer that created it — then only its prefix', async () => {
    const created = await (
      await post(`/brands/${brand.slug}/api-keys`, admin, { intent: 'create', name: 'POS' })
    ).text();
    const key = /value="(ff_[A-Za-z0-9_-]+)"/.exec(created)?.[1];
    expect(key).toBeDefined();
    expect(created).toContain('shown only this once');
    const after = await (await page(`/brands/${brand.slug}/api-keys`, admin)).text();
    expect(after).toContain(`${key!.slice(0, 10)}…`);
    expectNoSecrets(after, [key!, seededKey]);
  });

  it('asks before revoking, then revokes by a plain form post', async () => {
    const listed = await (await page(`/brands/${brand.slug}/api-keys`, admin)).text();
    const id = /\?revoke=([0-9a-f-]{36})/.exec(listed)?.[1];
    expect(id).toBeDefined();
    const confirm = await (await page(`/brands/${brand.slug}/api-keys?revoke=${id}`, admin)).text();
    expect(confirm).toContain('will be refused at once');
    const revoked = await (
      await post(`/brands/${brand.slug}/api-keys`, admin, { intent: 'revoke', id: id! })
    ).text();
    expect(revoked).toMatch(/The key “[^”]+” is revoked\./);
    const again = await post(`/brands/${brand.slug}/api-keys`, admin, {
      intent: 'revoke',
      id: id!,
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('revoked already');
  });
});

describe('the new brand page', () => {
  it('creates a brand for an organization admin and goes on to its connection page', async () => {
    const services = createServices({ db: handle.db });
    const org = await services.members.organizations.create(`Pages Org ${randomUUID()}`);
    const user = await services.users.create({
      email: `org-admin-${randomUUID().slice(0, 8)}@example.test`,
      password: 'a test password',
    });
    await services.members.memberships.grant({
      userId: user.id,
      organizationId: org.id,
      role: 'admin',
    });
    const session = await services.sessions.create(user.id);
    const auth = createRequestAuth({ services, production: false, trustedProxyHops: 0 });
    const cookie = (await auth.sessionCookieHeader(session)).split(';')[0]!;
    const form = await (await page('/brands/new', cookie, 'zh-CN')).text();
    expect(form).toContain('新建品牌');
    expect(form).toContain(org.name);

    const bad = await post('/brands/new', cookie, { organization: org.slug, name: '', slug: 'X' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toMatch(/id="brand-name-error"[^>]*>Give the brand a name/);
    expect(badHtml).toMatch(/id="brand-slug-error"[^>]*>A short name has/);

    const slug = `new-${randomUUID().slice(0, 8)}`;
    const made = await post('/brands/new', cookie, {
      organization: org.slug,
      name: '新品牌',
      slug,
    });
    expect(made.status).toBe(302);
    expect(made.headers.get('location')).toBe(`/brands/${slug}/connection`);
    const connection = await (await page(`/brands/${slug}/connection`, cookie)).text();
    expect(connection).toContain('Not connected yet');

    // A brand-level admin (the `admin` cookie) administers no organization: no form.
    const none = await (await page('/brands/new', admin)).text();
    expect(none).toContain('You cannot add brands');
  });
});

describe('the overview: followers imported from WeChat', () => {
  it('says none were imported, then the last import’s counts (zh-CN and en)', async () => {
    let html = await (await page(`/brands/${brand.slug}`, editor)).text();
    expect(html).toContain('existing followers were never imported');
    expect(html).toContain(`fanfare followers import --brand ${brand.slug}`);
    await handle.db.insert(followerImports).values({
      brandId: brand.id,
      workflowId: `followers-import:${brand.id}`,
      runId: 'run-1',
      status: 'done',
      total: 10_100,
      pages: 2,
      fetched: 10_100,
      created: 10_097,
      updated: 3,
      finishedAt: new Date(),
    });
    html = await (await page(`/brands/${brand.slug}`, editor)).text();
    expect(html).toContain('10,100 followers read, 10,097 new, 3 updated');
    html = await (await page(`/brands/${brand.slug}`, editor, 'zh-CN')).text();
    expect(html).toContain('读取 10,100 位粉丝，新增 10,097 位，更新 3 位');
  });
});
