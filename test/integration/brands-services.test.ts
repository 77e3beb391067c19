/**
 * Brands managed in the UI, as use cases on a real PostgreSQL and the WeChat sandbox:
 * creating a brand in an organization (admin+ there), the Official Account credentials
 * (write-only: reads are masked, an empty secret keeps the stored one, the audit names fields,
 * never values), "test connection" (ok, WeChat's errcode, unreachable), and API keys (shown
 * once, listed without the key, revoked). Editors are refused every one of them.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateBrandKey } from '../../services/api-keys/store';
import { connect, type DbHandle } from '../../db/client';
import { apiKeys, auditLog, brands, wechatTokens } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, OPERATOR, type Services } from '../../services';
import { InputProblems } from '../../services/brands';
import type { Actor } from '../../services/deps';
import { ServiceError } from '../../services/errors';
import type { Role } from '../../services/members/roles';
import { createWechatClients } from '../../services/wechat/clients';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import type { TestDatabase } from '../support/databases';
import { ownDatabase } from '../support/own-database';

const box = new SecretBox(randomBytes(32).toString('hex'));
let database: TestDatabase;
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let s: Services;
let org: { id: string; slug: string };
let otherOrg: { id: string; slug: string };
const people = {} as Record<'owner' | 'admin' | 'editor' | 'outsider', Actor & { kind: 'user' }>;

/** A Fanfare-looking set of credentials, as WeChat's console shows them. */
const account = () => ({
  appId: `wx${randomBytes(8).toString('hex')}`,
  appSecret: randomBytes(16).toString('hex'),
  token: `tok${randomBytes(6).toString('hex')}`,
  aesKey: randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'x')
    .slice(0, 43),
});

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError, but the call succeeded');
}

async function person(
  role: Role | null,
  organizationId: string,
): Promise<Actor & { kind: 'user' }> {
  const email = `${role ?? 'outsider'}-${randomBytes(3).toString('hex')}@example.test`;
  const user = await s.users.create({ email, password: 'a test password' });
  if (role) await s.members.memberships.grant({ userId: user.id, organizationId, role });
  return { kind: 'user', userId: user.id, email: user.email };
}

/** Rows as text (audit ids are bigints). */
const json = (value: unknown) =>
  JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));

let slugCount = 0;
const newSlug = () => `brand-${++slugCount}-${randomBytes(2).toString('hex')}`;

async function auditOf(brandId: string) {
  return handle.db.select().from(auditLog).where(eq(auditLog.brandId, brandId));
}

beforeAll(async () => {
  database = await ownDatabase();
  handle = connect(database.url, { max: 4 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  s = createServices({ db: handle.db, box, wechatApiBase: sandbox.url });
  org = await s.members.organizations.create('猫咖集团 Cat Café Group');
  otherOrg = await s.members.organizations.create('Other Agency');
  people.owner = await person('owner', org.id);
  people.admin = await person('admin', org.id);
  people.editor = await person('editor', org.id);
  people.outsider = await person('admin', otherOrg.id);
});

afterAll(async () => {
  await sandbox?.stop();
  await handle?.close();
  await database?.drop();
});

describe('creating a brand', () => {
  it('an admin creates one in their organization: not connected yet, audited', async () => {
    expect((await s.brands.organizationsForNewBrand(people.admin)).map((o) => o.slug)).toEqual([
      org.slug,
    ]);
    const slug = newSlug();
    const created = await s.brands.create(people.admin, {
      organization: org.slug,
      name: ' 猫咖 Cat Café ',
      slug,
    });
    expect(created).toMatchObject({ slug, name: '猫咖 Cat Café', organizationId: org.id });
    const view = await s.brands.connection(people.admin, slug);
    expect(view).toMatchObject({
      connected: false,
      appId: null,
      appSecret: { set: false, masked: null },
      token: { set: false },
      aesKey: { set: false },
      mode: 'plaintext',
      apiBase: sandbox.url,
    });
    const [entry] = await auditOf(created.id);
    expect(entry).toMatchObject({
      action: 'brand.created',
      actorUserId: people.admin.userId,
      organizationId: org.id,
      details: { slug, name: '猫咖 Cat Café' },
    });
    // Not connected: nobody can call it back, and there is no token to fetch.
    expect(await s.brands.testConnection(people.admin, slug)).toEqual({
      ok: false,
      reason: 'not_connected',
    });
  });

  it('refuses an editor (forbidden) and another organization’s admin (as if it did not exist)', async () => {
    const byEditor = await refusal(
      s.brands.create(people.editor, { organization: org.slug, name: 'X', slug: newSlug() }),
    );
    expect(byEditor.code).toBe('forbidden');
    expect(byEditor.values).toEqual({ role: 'editor', need: 'admin' });
    const byOutsider = await refusal(
      s.brands.create(people.outsider, { organization: org.slug, name: 'X', slug: newSlug() }),
    );
    expect(byOutsider).toMatchObject({ code: 'organization_unknown', field: 'organization' });
    expect(await s.brands.organizationsForNewBrand(people.editor)).toEqual([]);
  });

  it('shows every field problem at once, and a taken short name on its field', async () => {
    const bad = await refusal(
      s.brands.create(people.owner, { organization: org.slug, name: ' ', slug: 'Not A Slug' }),
    );
    expect(bad).toBeInstanceOf(InputProblems);
    expect((bad as InputProblems).problems.map((p) => [p.code, p.field])).toEqual([
      ['brand_name_missing', 'name'],
      ['brand_slug_invalid', 'slug'],
    ]);
    const slug = newSlug();
    await s.brands.create(people.owner, { organization: org.slug, name: 'A', slug });
    const taken = await refusal(
      s.brands.create(people.owner, { organization: org.slug, name: 'B', slug }),
    );
    expect(taken).toMatchObject({ code: 'brand_slug_taken', field: 'slug' });
  });
});

describe('WeChat credentials', () => {
  let slug: string;
  let brandId: string;
  const first = account();

  beforeAll(async () => {
    slug = newSlug();
    brandId = (await s.brands.create(people.owner, { organization: org.slug, name: 'Creds', slug }))
      .id;
  });

  it('are refused to an editor and to a non-member (the brand does not exist for them)', async () => {
    expect((await refusal(s.brands.connection(people.editor, slug))).code).toBe('forbidden');
    expect((await refusal(s.brands.setCredentials(people.editor, slug, first))).code).toBe(
      'forbidden',
    );
    expect((await refusal(s.brands.testConnection(people.editor, slug))).code).toBe('forbidden');
    expect((await refusal(s.brands.connection(people.outsider, slug))).code).toBe('brand_unknown');
    const [row] = await handle.db.select().from(brands).where(eq(brands.id, brandId));
    expect(row?.appId).toBe('');
  });

  it('a new brand needs AppId, AppSecret and Token; safe mode needs the EncodingAESKey', async () => {
    const missing = await refusal(
      s.brands.setCredentials(people.admin, slug, { appId: 'wx123', mode: 'safe' }),
    );
    expect((missing as InputProblems).problems.map((p) => [p.code, p.field])).toEqual([
      ['app_id_invalid', 'appId'],
      ['app_secret_missing', 'appSecret'],
      ['callback_token_missing', 'token'],
      ['aes_key_missing', 'aesKey'],
    ]);
    const badMode = await refusal(
      s.brands.setCredentials(people.admin, slug, { ...first, mode: 'loud' }),
    );
    expect(badMode).toMatchObject({ code: 'callback_mode_invalid', field: 'mode' });
  });

  it('are stored sealed and read back masked: no secret leaves the use case', async () => {
    const view = await s.brands.setCredentials(people.admin, slug, { ...first, mode: 'safe' });
    expect(view).toMatchObject({
      connected: true,
      appId: first.appId,
      appSecret: { set: true, masked: `••••${first.appSecret.slice(-4)}` },
      token: { set: true, masked: `••••${first.token.slice(-4)}` },
      aesKey: { set: true, masked: `••••${first.aesKey.slice(-4)}` },
      mode: 'safe',
    });
    const read = JSON.stringify(await s.brands.connection(people.owner, slug));
    for (const secret of [first.appSecret, first.token, first.aesKey]) {
      expect(JSON.stringify(view)).not.toContain(secret);
      expect(read).not.toContain(secret);
    }
    const [row] = await handle.db.select().from(brands).where(eq(brands.id, brandId));
    expect(JSON.stringify(row)).not.toContain(first.appSecret);
    expect(box.open(row!.appSecretEnc)).toBe(first.appSecret);
    expect(box.open(row!.callbackTokenEnc)).toBe(first.token);
    expect(box.open(row!.aesKeyEnc!)).toBe(first.aesKey);
    const entries = (await auditOf(brandId)).filter((e) => e.action === 'credentials.changed');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorUserId: people.admin.userId,
      details: {
        changed: ['appId', 'appSecret', 'token', 'aesKey', 'mode'],
        appId: first.appId,
        mode: 'safe',
      },
    });
    for (const secret of [first.appSecret, first.token, first.aesKey]) {
      expect(json(entries)).not.toContain(secret);
    }
  });

  it('an empty secret field keeps the stored secret; only what changed is audited', async () => {
    const token = `tok${randomBytes(5).toString('hex')}`;
    await s.brands.setCredentials(people.admin, slug, {
      appId: first.appId,
      appSecret: '',
      token,
      aesKey: '',
      mode: 'safe',
    });
    const [row] = await handle.db.select().from(brands).where(eq(brands.id, brandId));
    expect(box.open(row!.appSecretEnc)).toBe(first.appSecret);
    expect(box.open(row!.aesKeyEnc!)).toBe(first.aesKey);
    expect(box.open(row!.callbackTokenEnc)).toBe(token);
    const entries = (await auditOf(brandId)).filter((e) => e.action === 'credentials.changed');
    expect(entries.at(-1)?.details).toMatchObject({ changed: ['token'] });
    // Nothing changed: nothing written, nothing audited.
    await s.brands.setCredentials(people.admin, slug, { appId: first.appId, mode: 'safe' });
    expect((await auditOf(brandId)).filter((e) => e.action === 'credentials.changed')).toHaveLength(
      entries.length,
    );
  });

  it('reach the worker’s and web’s WeChat clients within their cache time', async () => {
    let clock = 0;
    const clients = createWechatClients({ db: handle.db, box, now: () => clock });
    const before = (await clients.forBrand(brandId)).account;
    const token = `tok${randomBytes(5).toString('hex')}`;
    await s.brands.setCredentials(people.admin, slug, { appId: first.appId, token, mode: 'safe' });
    expect((await clients.forBrand(brandId)).account.token).toBe(before.token);
    clock += 60_000;
    expect((await clients.forBrand(brandId)).account.token).toBe(token);
  });

  it('a new AppId needs its AppSecret (the stored one belongs to the old AppId)', async () => {
    const next = account();
    const refused = await refusal(
      s.brands.setCredentials(people.admin, slug, { appId: next.appId, mode: 'safe' }),
    );
    expect(refused).toMatchObject({ code: 'app_secret_missing', field: 'appSecret' });
  });
});

describe('test connection (against the WeChat sandbox)', () => {
  let slug: string;
  let brandId: string;
  const creds = account();

  beforeAll(async () => {
    slug = newSlug();
    brandId = (await s.brands.create(people.admin, { organization: org.slug, name: 'Conn', slug }))
      .id;
    await s.brands.setCredentials(people.admin, slug, { ...creds, mode: 'plaintext' });
  });

  it('answers WeChat’s errcode when WeChat does not know the AppId (40013)', async () => {
    expect(await s.brands.testConnection(people.admin, slug)).toMatchObject({
      ok: false,
      reason: 'wechat',
      errcode: 40013,
      apiBase: sandbox.url,
    });
  });

  it('answers 40125 for a wrong AppSecret', async () => {
    await control.registerAccount({
      appId: creds.appId,
      secret: 'the-real-secret-0123456789',
      token: creds.token,
    });
    expect(await s.brands.testConnection(people.admin, slug)).toMatchObject({
      ok: false,
      reason: 'wechat',
      errcode: 40125,
    });
  });

  it('is ok with the right credentials, and keeps the token for the worker', async () => {
    await control.registerAccount({
      appId: creds.appId,
      secret: creds.appSecret,
      token: creds.token,
    });
    const result = await s.brands.testConnection(people.admin, slug);
    expect(result).toMatchObject({ ok: true, apiBase: sandbox.url });
    const [stored] = await handle.db
      .select()
      .from(wechatTokens)
      .where(eq(wechatTokens.brandId, brandId));
    expect(box.open(stored!.accessTokenEnc)).toMatch(/^sbx_/);
    // The operator (CLI) may test too.
    expect((await s.brands.testConnection(OPERATOR, slug)).ok).toBe(true);
  });

  it('a new AppSecret drops the stored token (it was fetched with the old one)', async () => {
    await s.brands.setCredentials(people.admin, slug, {
      appId: creds.appId,
      appSecret: randomBytes(16).toString('hex'),
      mode: 'plaintext',
    });
    expect(
      await handle.db.select().from(wechatTokens).where(eq(wechatTokens.brandId, brandId)),
    ).toEqual([]);
  });

  it('says "unreachable" when nothing answers at the API base', async () => {
    const offline = createServices({
      db: handle.db,
      box,
      wechatApiBase: 'http://127.0.0.1:9',
    });
    expect(await offline.brands.testConnection(people.admin, slug)).toMatchObject({
      ok: false,
      reason: 'unreachable',
      apiBase: 'http://127.0.0.1:9',
    });
  });
});

describe('API keys', () => {
  let slug: string;
  let brandId: string;
  let otherSlug: string;

  beforeAll(async () => {
    slug = newSlug();
    brandId = (await s.brands.create(people.admin, { organization: org.slug, name: 'Keys', slug }))
      .id;
    otherSlug = newSlug();
    await s.brands.create(people.owner, { organization: org.slug, name: 'Other', slug: otherSlug });
  });

  it('are created (the key shown once), listed without the key, and revoked — all audited', async () => {
    const created = await s.apiKeys.create(people.admin, slug, { name: ' POS 收银 ' });
    expect(created.key).toMatch(/^ff_/);
    expect(created).toMatchObject({ name: 'POS 收银', prefix: created.key.slice(0, 10) });
    expect(await authenticateBrandKey(handle.db, slug, created.key)).toEqual({ ok: true, brandId });

    const listed = await s.apiKeys.list(people.admin, slug);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.id, name: 'POS 收银', revokedAt: null });
    expect(listed[0]!.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const [row] = await handle.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(JSON.stringify(row)).not.toContain(created.key);

    // Another brand's admin path: the id is unknown there.
    expect((await refusal(s.apiKeys.revoke(people.admin, otherSlug, created.id))).code).toBe(
      'apikey_unknown',
    );
    expect((await refusal(s.apiKeys.revoke(people.admin, slug, 'not-a-uuid'))).code).toBe(
      'apikey_unknown',
    );
    const revoked = await s.apiKeys.revoke(people.admin, slug, created.id);
    expect(revoked).toMatchObject({ id: created.id, name: 'POS 收银' });
    expect(await authenticateBrandKey(handle.db, slug, created.key)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect((await refusal(s.apiKeys.revoke(people.admin, slug, created.id))).code).toBe(
      'apikey_unknown',
    );
    expect((await s.apiKeys.list(people.admin, slug))[0]!.revokedAt).toBeInstanceOf(Date);

    const entries = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brandId), eq(auditLog.targetId, created.id)));
    expect(entries.map((e) => e.action).sort()).toEqual(['apikey.created', 'apikey.revoked']);
    expect(json(entries)).not.toContain(created.key);
  });

  it('need a name, and are refused to editors and strangers', async () => {
    expect(await refusal(s.apiKeys.create(people.admin, slug, { name: '  ' }))).toMatchObject({
      code: 'apikey_name_missing',
      field: 'name',
    });
    expect((await refusal(s.apiKeys.create(people.editor, slug, { name: 'x' }))).code).toBe(
      'forbidden',
    );
    expect((await refusal(s.apiKeys.list(people.editor, slug))).code).toBe('forbidden');
    expect((await refusal(s.apiKeys.list(people.outsider, slug))).code).toBe('brand_unknown');
    expect(await s.apiKeys.list(people.owner, slug)).toHaveLength(1);
  });
});
