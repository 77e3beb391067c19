/**
 * services.messageTemplates on a real PostgreSQL and the WeChat sandbox: viewers list, editors
 * sync (viewers are refused, another organization's people do not see the brand); WeChat
 * refusing or unreachable changes nothing and says why; the editor's resources and the
 * publish context carry the keywords.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { loadBrandContext } from '../../services/flows/publish';
import { brands, messageTemplates } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import type { Actor } from '../../services/deps';
import { ServiceError } from '../../services/errors';
import type { Role } from '../../services/members/roles';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand, type TestBrand } from '../support/brands';

const box = new SecretBox(randomBytes(32).toString('hex'));
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let s: Services;
let brand: TestBrand;
const people = {} as Record<'editor' | 'viewer' | 'outsider', Actor & { kind: 'user' }>;

async function refusal(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
  throw new Error('expected a ServiceError, but the call succeeded');
}

async function person(role: Role, organizationId: string): Promise<Actor & { kind: 'user' }> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const user = await s.users.create({ email, password: 'a test password' });
  await s.members.memberships.grant({ userId: user.id, organizationId, role });
  return { kind: 'user', userId: user.id, email: user.email };
}

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 3 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  s = createServices({ db: handle.db, box, wechatApiBase: sandbox.url });
  const org = await s.members.organizations.create(`模板 ${randomBytes(3).toString('hex')}`);
  const other = await s.members.organizations.create(`Other ${randomBytes(3).toString('hex')}`);
  brand = await insertBrand(handle.db, box, { prefix: 'msgtpl' });
  await handle.db.update(brands).set({ organizationId: org.id }).where(eq(brands.id, brand.id));
  await control.registerAccount({ appId: brand.appId, secret: brand.secret, token: brand.token });
  people.editor = await person('editor', org.id);
  people.viewer = await person('viewer', org.id);
  people.outsider = await person('owner', other.id);
});
afterAll(async () => {
  await sandbox?.stop();
  await handle?.close();
});

describe('message templates', () => {
  it('editors sync, viewers list; others are refused', async () => {
    expect(await s.messageTemplates.list(people.viewer, brand.slug)).toEqual([]);
    expect((await refusal(s.messageTemplates.sync(people.viewer, brand.slug))).code).toBe(
      'forbidden',
    );
    expect((await refusal(s.messageTemplates.list(people.outsider, brand.slug))).code).toBe(
      'brand_unknown',
    );
    const report = await s.messageTemplates.sync(people.editor, brand.slug);
    expect(report.added.map((t) => t.title).sort()).toEqual(
      ['会员注册成功通知', '优惠券到账提醒', '生日祝福'].sort(),
    );
    expect(report.removed).toEqual([]);
    const listed = await s.messageTemplates.list(people.viewer, brand.slug);
    expect(listed.map((t) => t.title)).toEqual(report.templates.map((t) => t.title));
    expect(listed.find((t) => t.title === '优惠券到账提醒')?.keywords.map((k) => k.key)).toEqual([
      'thing1',
      'character_string2',
      'time3',
    ]);

    // Publishing sees the keywords, by WeChat id and by name.
    const context = await loadBrandContext(handle.db, brand.id);
    const coupon = listed.find((t) => t.title === '优惠券到账提醒')!;
    expect(context.templates).toEqual(expect.arrayContaining([coupon.templateId, coupon.title]));
    expect(context.messageTemplates).toContainEqual(
      expect.objectContaining({ id: coupon.templateId, name: '优惠券到账提醒' }),
    );
  });

  it('names two templates of one title apart, and marks a changed one', async () => {
    const [first] = await control.templates(brand.appId);
    await control.addTemplate(brand.appId, {
      title: first!.title,
      content: '新内容：{{thing1.DATA}}',
    });
    await control.deleteTemplate(brand.appId, first!.template_id);
    await control.addTemplate(brand.appId, {
      templateId: first!.template_id,
      title: first!.title,
      content: `${first!.content}\n备注：{{thing9.DATA}}`,
    });
    const report = await s.messageTemplates.sync(people.editor, brand.slug);
    expect(report.changed).toEqual([{ templateId: first!.template_id, title: first!.title }]);
    const names = report.templates.filter((t) => t.title === first!.title).map((t) => t.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
  });

  it('changes nothing when WeChat refuses or cannot be reached, and says why', async () => {
    const before = await handle.db
      .select()
      .from(messageTemplates)
      .where(eq(messageTemplates.brandId, brand.id));
    await control.injectFault({
      path: '/cgi-bin/template/get_all_private_template',
      errcode: 48001,
      errmsg: 'api unauthorized',
    });
    const refused = await refusal(s.messageTemplates.sync(people.editor, brand.slug));
    expect(refused).toMatchObject({ code: 'wechat_refused', values: { errcode: 48001 } });

    const offline = createServices({
      db: handle.db,
      box,
      wechatApiBase: sandbox.url,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    const unreachable = await refusal(offline.messageTemplates.sync(people.editor, brand.slug));
    expect(unreachable.code).toBe('wechat_unreachable');
    expect(
      await handle.db.select().from(messageTemplates).where(eq(messageTemplates.brandId, brand.id)),
    ).toEqual(before);
  });

  it('a brand without WeChat credentials is not connected', async () => {
    const bare = await insertBrand(handle.db, box, { prefix: 'msgtpl-bare' });
    // A brand made in the UI starts without credentials (empty, not connected).
    await handle.db
      .update(brands)
      .set({ appId: '', appSecretEnc: '' })
      .where(eq(brands.id, bare.id));
    const error = await refusal(s.messageTemplates.sync({ kind: 'operator' }, bare.slug));
    expect(error.code).toBe('brand_not_connected');
  });
});
