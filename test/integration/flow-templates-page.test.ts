/**
 * /brands/<slug>/templates through the real Remix app, as a browser without JavaScript uses it:
 * the organization's library (zh-CN and en), the binding form whose choices are this brand's own
 * pools and menus, "use" making a draft flow that remembers the template, "update available"
 * with the diff and the update keeping the bindings. Viewers read but may not use (403);
 * strangers see nothing (404).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import { brands, flows, menus, organizations } from '../../db/schema';
import { exportTemplate, type FlowDraft } from '../../engine/index';
import { createServices, OPERATOR } from '../../services';
import { addCodes, createPool } from '../../services/coupons/codes';
import { SecretBox } from '../../services/secrets';
import { insertBrand, type TestBrand } from '../support/brands';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const box = new SecretBox(randomBytes(32).toString('hex'));
let app: WebApp;
let handle: DbHandle;
let brand: TestBrand;
let viewer: string;
let editor: string;
let stranger: string;
let admin: string;
let brandAdmin: string;
let orgSlug: string;
let template: FlowDraft;
let templateId: string;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = randomBytes(32).toString('hex');
  brand = await insertBrand(handle.db, box, { prefix: 'tplib' });
  viewer = (await signedInMember(handle.db, brand.slug, 'viewer')).cookie;
  editor = (await signedInMember(handle.db, brand.slug, 'editor')).cookie;
  brandAdmin = (await signedInMember(handle.db, brand.slug, 'admin')).cookie;
  const other = await insertBrand(handle.db, box, { prefix: 'tplib-other' });
  stranger = (await signedInMember(handle.db, other.slug, 'owner')).cookie;
  const [row] = await handle.db
    .select({ org: organizations.slug })
    .from(brands)
    .innerJoin(organizations, eq(organizations.id, brands.organizationId))
    .where(eq(brands.id, brand.id));
  orgSlug = row!.org;
  // An organization admin publishes to its library (a brand's admin does not).
  const orgAdmin = await signedInMember(handle.db, brand.slug, 'viewer');
  const [org] = await handle.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, orgSlug));
  await createServices({ db: handle.db }).members.memberships.grant({
    userId: orgAdmin.userId,
    organizationId: org!.id,
    role: 'admin',
  });
  admin = orgAdmin.cookie;
  const expiry = { expiry: { kind: 'days', days: 30 }, timeZone: 'Asia/Shanghai' } as const;
  await addCodes(handle.db, (await createPool(handle.db, brand.id, 'lib-pool', expiry))!, ['L1']);
  await handle.db.insert(menus).values({ brandId: brand.id, name: 'lib-vip', buttons: [] });
  const exported = exportTemplate(
    JSON.parse(readFileSync('test/fixtures/flows/valid/cup-qr-coupon-vip.json', 'utf8')),
    [
      { path: 'coupon.pool', name: 'pool' },
      { path: 'scan.scenes.0', name: 'scene' },
    ],
  );
  if (!exported.ok) throw new Error('the fixture exports');
  template = exported.doc;
  const published = await createServices({ db: handle.db }).flowTemplates.publish(OPERATOR, {
    organization: orgSlug,
    document: template,
    description: '杯套扫码领券',
  });
  if (!published.ok) throw new Error('the template publishes');
  templateId = published.templateId;
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await handle?.close();
});

const path = () => `/brands/${brand.slug}/templates`;
const page = (cookie: string, query = '', lang = 'en') =>
  app.handle(
    new Request(`http://fanfare.test${path()}${query}`, {
      headers: { cookie, 'accept-language': lang, accept: 'text/html' },
    }),
  );
const post = (cookie: string, body: Record<string, string> | [string, string][]) =>
  app.handle(
    new Request(`http://fanfare.test${path()}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie,
        'accept-language': 'en',
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
      },
      body: new URLSearchParams(body).toString(),
    }),
  );

describe('the flow template library page', () => {
  it('lists the organization’s templates in both languages; viewers cannot use them', async () => {
    const html = await (await page(viewer)).text();
    expect(html).toContain('Flow templates of');
    expect(html).toContain(template.name);
    expect(html).toMatch(/<code>pool<\/code>\s*(<!-- -->)?\s*<span class="muted">coupon pool</);
    expect(html).not.toContain('Use in this brand');
    const zh = await (await page(viewer, '', 'zh-CN')).text();
    expect(zh).toContain('流程模板');
    expect(zh).toMatch(/<code>pool<\/code>\s*(<!-- -->)?\s*<span class="muted">券池</);
    const search = await (await page(viewer, '?q=nothing-like-this')).text();
    expect(search).toContain('No template matches this search.');
    expect((await post(viewer, { intent: 'use', template: templateId })).status).toBe(403);
    expect((await page(stranger)).status).toBe(404);
    expect((await post(stranger, { intent: 'use', template: templateId })).status).toBe(404);
  });

  it('previews a template with its steps, parameters and versions', async () => {
    const html = await (await page(viewer, `?template=${templateId}`)).text();
    expect(html).toContain('Preview: ');
    expect(html).toContain('扫杯套二维码');
    expect(html).toContain('v1');
  });

  it('the binding form offers this brand’s own pools and menus; using it makes a draft', async () => {
    const form = await (await page(editor, `?use=${templateId}`)).text();
    expect(form).toContain('data-testid="binding-form"');
    expect(form).toContain('<option value="lib-pool">lib-pool</option>');
    expect(form).toContain('<option value="lib-vip">lib-vip</option>');

    // A pool the brand lacks: the issue, nothing stored.
    const refused = await post(editor, {
      intent: 'use',
      template: templateId,
      'param.pool': 'not-ours',
      'param.scene': 'lib*',
      'param.menu1': 'lib-vip',
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('E_UNKNOWN_RESOURCE');
    expect(await handle.db.select().from(flows).where(eq(flows.brandId, brand.id))).toEqual([]);

    const used = await post(editor, {
      intent: 'use',
      template: templateId,
      name: '图书馆杯套',
      'param.pool': 'lib-pool',
      'param.scene': 'lib*',
      'param.menu1': 'lib-vip',
    });
    expect(used.status).toBe(302);
    const [flow] = await handle.db.select().from(flows).where(eq(flows.brandId, brand.id));
    expect(used.headers.get('location')).toBe(`/brands/${brand.slug}/flows/${flow!.id}`);
    expect(flow).toMatchObject({
      name: '图书馆杯套',
      status: 'draft',
      templateBindings: { pool: 'lib-pool', scene: 'lib*', menu1: 'lib-vip' },
    });
  });

  it('shows "update available" with the changed text, and updating keeps the bindings', async () => {
    const v2 = structuredClone(template);
    (v2.nodes.find((n) => n.id === 'push')!.config as { message: { text: string } }).message.text =
      '页面第二版 {{coupon.code}}';
    await createServices({ db: handle.db }).flowTemplates.publish(OPERATOR, {
      organization: orgSlug,
      document: v2,
    });
    const html = await (await page(editor)).text();
    expect(html).toContain('Update available: version 2');
    expect(html).toContain('页面第二版');
    const [flow] = await handle.db.select().from(flows).where(eq(flows.brandId, brand.id));
    // The brand's flows list badges it too.
    const home = await app.handle(
      new Request(`http://fanfare.test/brands/${brand.slug}`, {
        headers: { cookie: editor, 'accept-language': 'en', accept: 'text/html' },
      }),
    );
    expect(await home.text()).toContain('Template update available: v2');
    const updated = await post(editor, { intent: 'update', flow: flow!.id });
    expect(updated.status).toBe(200);
    expect(await updated.text()).toContain('Updated to template version 2');
    const [after] = await handle.db.select().from(flows).where(eq(flows.id, flow!.id));
    expect(JSON.stringify(after!.draft)).toContain('页面第二版');
    expect(JSON.stringify(after!.draft)).toContain('lib-pool');
  });

  it('organization admins save a flow of the brand as a template; editors and brand admins may not', async () => {
    const [flow] = await handle.db.select().from(flows).where(eq(flows.brandId, brand.id));
    const body = {
      intent: 'save',
      flow: flow!.id,
      name: '页面保存的模板',
      description: 'saved from the page',
      params: 'coupon.pool=pool\nscan.scenes.0=scene',
    };
    const refused = await post(editor, body);
    expect(refused.status).toBe(403);
    expect((await post(brandAdmin, body)).status).toBe(403);
    expect(await (await page(brandAdmin, `?save=${flow!.id}`)).text()).toContain(
      'Admins save flows as templates',
    );
    const editorPage = await (await page(editor, `?save=${flow!.id}`)).text();
    expect(editorPage).toContain('Admins save flows as templates');
    const form = await (await page(admin, `?save=${flow!.id}`)).text();
    expect(form).toContain('Save a flow as a template');
    const saved = await post(admin, body);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Saved as version 1 of the template “页面保存的模板”');
    const list = await createServices({ db: handle.db }).flowTemplates.list(OPERATOR, orgSlug);
    const mine = list.find((t) => t.name === '页面保存的模板')!;
    expect(mine.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['pool', 'scene']));
  });

  it('the save form lists the flow’s values to tick in the engine’s words; ticked rows become parameters', async () => {
    const [flow] = await handle.db.select().from(flows).where(eq(flows.brandId, brand.id));
    const form = await (await page(admin, `?save=${flow!.id}`, 'zh-CN')).text();
    expect(form).toContain('data-testid="template-param-choices"');
    // The brand resources are ticked (always parameters), a push text is offered unticked.
    expect(form).toMatch(
      /data-testid="candidate-coupon\.pool"[\s\S]*?checked=""[\s\S]*?disabled=""/,
    );
    expect(form).toContain('「发送领券消息」（推送消息）');
    expect(form).toContain('消息内容');
    expect(form).toMatch(
      /type="checkbox" name="pick" aria-label="[^"]*" value="push\.message\.text"/,
    );
    expect(form).not.toContain('name="params"');
    const saved = await post(admin, [
      ['intent', 'save'],
      ['flow', flow!.id],
      ['name', '勾选保存的模板'],
      ['description', ''],
      ['pick', 'coupon.pool'],
      ['paramName.coupon.pool', 'pool'],
      ['suggested.coupon.pool', 'couponPool1'],
      ['pick', 'push.message.text'],
      ['paramName.push.message.text', ''],
      ['suggested.push.message.text', 'welcome_text'],
      // Unticked: a name alone does not make a parameter.
      ['paramName.scan.scenes.0', 'scene'],
    ]);
    expect(saved.status).toBe(200);
    const list = await createServices({ db: handle.db }).flowTemplates.list(OPERATOR, orgSlug);
    const mine = list.find((t) => t.name === '勾选保存的模板')!;
    const params = Object.fromEntries(mine.parameters.map((p) => [p.name, p.kind]));
    expect(params).toMatchObject({ pool: 'couponPool', welcome_text: 'text' });
    // The page read again after saving lists the new template.
    expect(await (await page(admin)).text()).toContain('勾选保存的模板');
  });
});
