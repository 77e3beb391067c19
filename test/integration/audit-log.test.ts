/**
 * The audit log on a real PostgreSQL and through the real web app: publishing, pausing,
 * resuming and archiving a flow each record exactly one entry naming who did it, in the
 * change's own transaction (a publish that fails records nothing, and its version is gone
 * too); `flow_versions.published_by` names the user; a brand's log lists only its own rows,
 * newest first, 50 a page; and /brands/<slug>/audit is for admins (editor 403, another
 * brand's member 404, no session → /login).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { saveBrandSettings } from '../../services/brands/settings';
import { createPool } from '../../services/coupons/index';
import { createTag } from '../../services/tags/index';
import { connect, type DbHandle } from '../../db/client';
import { transitionFlow } from '../../services/flows/lifecycle';
import { publishDocument } from '../../services/flows/publish';
import { auditLog, flowVersions, flows, users } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createServices, type Services } from '../../services';
import { AUDIT_PAGE_SIZE, OPERATOR_FILTER, recordAudit } from '../../services/audit';
import { OPERATOR, type Actor } from '../../services/deps';
import { insertBrand, type TestBrand } from '../support/brands';
import { signedInMember, type SignedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
const box = new SecretBox(secretKey);
let handle: DbHandle;
let s: Services;
let brand: TestBrand;
let other: TestBrand;
let admin: SignedInMember;
let adminActor: Actor;

const flowDoc = (name: string, text = 'hello') => ({
  format: 'fanfare.flow/v1',
  name,
  settings: {
    timezone: 'Asia/Shanghai',
    entry: { reentry: 'once' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', config: { scenes: ['audit'] } },
    {
      id: 'push',
      kind: 'action.push',
      config: { channel: 'auto', message: { type: 'text', text } },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'push' },
    { id: 'e2', from: 'push', port: 'next', to: 'end' },
  ],
});

async function newFlow(b: TestBrand, name: string): Promise<string> {
  const [row] = await handle.db
    .insert(flows)
    .values({ brandId: b.id, name, draft: flowDoc(name) })
    .returning({ id: flows.id });
  return row!.id;
}

const entriesOf = (flowId: string) =>
  handle.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, 'flow'), eq(auditLog.targetId, flowId)))
    .orderBy(auditLog.id);

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  handle = connect(inject('databaseUrl'), { max: 4 });
  s = createServices({ db: handle.db });
  brand = await insertBrand(handle.db, box, { prefix: 'audit' });
  other = await insertBrand(handle.db, box, { prefix: 'audit-other' });
  admin = await signedInMember(handle.db, brand.slug, 'admin');
  await handle.db.update(users).set({ name: '王芳' }).where(eq(users.id, admin.userId));
  adminActor = { kind: 'user', userId: admin.userId, email: admin.email };
});
afterAll(async () => {
  await handle?.close();
});

describe('recording', () => {
  it('publish, pause, resume, archive: one entry each, naming the actor; published_by set', async () => {
    const flowId = await newFlow(brand, '黄金48小时');
    const published = await publishDocument(handle.db, {
      flowId,
      brandId: brand.id,
      draft: flowDoc('黄金48小时'),
      timezone: 'Asia/Shanghai',
      actor: adminActor,
    });
    expect(published).toMatchObject({ ok: true, version: 1 });
    const [version] = await handle.db
      .select({ publishedBy: flowVersions.publishedBy })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, flowId));
    expect(version?.publishedBy).toBe(admin.userId);

    expect(await transitionFlow(handle.db, brand.id, flowId, 'pause', adminActor)).toBe(true);
    expect(await transitionFlow(handle.db, brand.id, flowId, 'resume', OPERATOR)).toBe(true);
    expect(await transitionFlow(handle.db, brand.id, flowId, 'archive', adminActor)).toBe(true);
    // A refused transition (already archived) is no change: nothing recorded.
    expect(await transitionFlow(handle.db, brand.id, flowId, 'pause', adminActor)).toBe(false);

    const rows = await entriesOf(flowId);
    expect(rows.map((r) => [r.action, r.actorUserId, r.actorLabel])).toEqual([
      ['flow.published', admin.userId, admin.email],
      ['flow.paused', admin.userId, admin.email],
      ['flow.resumed', null, 'operator (CLI)'],
      ['flow.archived', admin.userId, admin.email],
    ]);
    const org = (await handle.db.query.brands.findFirst({ where: (b, o) => o.eq(b.id, brand.id) }))
      ?.organizationId;
    for (const row of rows) expect(row).toMatchObject({ brandId: brand.id, organizationId: org });
    expect(rows[0]!.details).toMatchObject({ flowName: '黄金48小时', version: 1 });
    expect(rows[1]!.details).toEqual({ flowName: '黄金48小时' });
  });

  it('the operator publishes: published_by stays null, the entry says operator', async () => {
    const flowId = await newFlow(brand, 'cli flow');
    await publishDocument(handle.db, {
      flowId,
      brandId: brand.id,
      draft: flowDoc('cli flow'),
      timezone: 'Asia/Shanghai',
      actor: OPERATOR,
    });
    const [version] = await handle.db
      .select({ publishedBy: flowVersions.publishedBy })
      .from(flowVersions)
      .where(eq(flowVersions.flowId, flowId));
    expect(version?.publishedBy).toBeNull();
    expect((await entriesOf(flowId)).map((r) => r.actorLabel)).toEqual(['operator (CLI)']);
  });

  it('a publish that fails records nothing — and one whose entry fails publishes nothing', async () => {
    const flowId = await newFlow(brand, 'refused');
    const invalid = await publishDocument(handle.db, {
      flowId,
      brandId: brand.id,
      draft: { ...flowDoc('refused'), format: 'not-a-flow' },
      timezone: 'Asia/Shanghai',
      actor: adminActor,
    });
    expect(invalid).toMatchObject({ ok: false, reason: 'invalid' });
    expect(await entriesOf(flowId)).toEqual([]);

    // The audit row cannot be written (its brand does not exist): the version, written
    // earlier in the same transaction, is rolled back with it.
    await expect(
      publishDocument(handle.db, {
        flowId,
        brandId: randomUUID(),
        draft: flowDoc('refused'),
        timezone: 'Asia/Shanghai',
        brand: {
          tags: [],
          couponPools: [],
          couponPoolsWithoutExpiry: [],
          menus: [],
          templates: [],
        },
        actor: adminActor,
      }),
    ).rejects.toThrow();
    expect(
      await handle.db.select().from(flowVersions).where(eq(flowVersions.flowId, flowId)),
    ).toEqual([]);
    const [row] = await handle.db.select().from(flows).where(eq(flows.id, flowId));
    expect(row).toMatchObject({ status: 'draft', liveVersionId: null });
    expect(await entriesOf(flowId)).toEqual([]);
  });
});

describe('resources', () => {
  it('a tag, a coupon pool and a settings change are recorded with who made them', async () => {
    const b = await insertBrand(handle.db, box, { prefix: 'audit-res' });
    expect((await createTag(handle.db, b.id, 'vip', adminActor)).ok).toBe(true);
    // Refused (the name is taken): no change, no entry.
    expect((await createTag(handle.db, b.id, 'vip', adminActor)).ok).toBe(false);
    expect((await createPool(handle.db, b.id, { name: '新客券' }, OPERATOR)).ok).toBe(true);
    const settings = {
      timezone: 'Asia/Tokyo',
      capEnabled: '',
      capMax: '',
      capEvery: '',
      capUnit: '',
    };
    expect((await saveBrandSettings(handle.db, b.id, settings, adminActor)).ok).toBe(true);
    // The same values again change nothing: no second entry.
    expect((await saveBrandSettings(handle.db, b.id, settings, adminActor)).ok).toBe(true);
    const { entries } = await s.audit.listBrand(b.id);
    expect(entries.map((e) => [e.action, e.actorUserId, e.details])).toEqual([
      [
        'settings.changed',
        admin.userId,
        {
          before: { timezone: 'Asia/Shanghai', frequencyCap: null },
          after: { timezone: 'Asia/Tokyo', frequencyCap: null },
        },
      ],
      ['coupon_pool.created', null, { name: '新客券' }],
      ['tag.created', admin.userId, { name: 'vip' }],
    ]);
  });
});

describe('listing', () => {
  it("is the brand's own, newest first, 50 a page; filters by action and person", async () => {
    const fresh = await insertBrand(handle.db, box, { prefix: 'audit-list' });
    for (let i = 0; i < 2 * AUDIT_PAGE_SIZE + 7; i++) {
      await recordAudit(handle.db, {
        actor: i % 2 ? adminActor : OPERATOR,
        action: i % 3 ? 'tag.created' : 'tag.deleted',
        brandId: fresh.id,
        details: { name: `t${i}` },
      });
      // Another brand's rows interleaved: never listed for `fresh`.
      if (i % 10 === 0)
        await recordAudit(handle.db, {
          actor: adminActor,
          action: 'tag.created',
          brandId: other.id,
          details: { name: `other${i}` },
        });
    }
    const seen: string[] = [];
    let before: string | null = null;
    const sizes: number[] = [];
    do {
      const page = await s.audit.listBrand(fresh.id, { before });
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => String(e.details.name)));
      before = page.nextBefore;
    } while (before);
    expect(sizes).toEqual([50, 50, 7]);
    expect(seen).toEqual(
      Array.from({ length: 2 * AUDIT_PAGE_SIZE + 7 }, (_, i) => `t${2 * AUDIT_PAGE_SIZE + 6 - i}`),
    );

    const deleted = await s.audit.listBrand(fresh.id, { action: 'tag.deleted' });
    expect(deleted.entries.length).toBe(36);
    expect(deleted.entries.every((e) => e.action === 'tag.deleted')).toBe(true);
    const byAdmin = await s.audit.listBrand(fresh.id, { actor: admin.userId });
    expect(byAdmin.entries.every((e) => e.actorUserId === admin.userId)).toBe(true);
    expect(byAdmin.entries[0]!.actorName).toBe('王芳');
    const byOperator = await s.audit.listBrand(fresh.id, { actor: OPERATOR_FILTER });
    expect(byOperator.entries.every((e) => e.actorUserId === null)).toBe(true);
    expect(byOperator.entries.length).toBe(50);
    // Garbage in the query string filters nothing out, and lets nothing in.
    const junk = await s.audit.listBrand(fresh.id, { action: "x' or 1=1", actor: 'nobody' });
    expect(junk.entries.length).toBe(50);
    expect((await s.audit.brandActors(fresh.id)).map((a) => a.id).sort()).toEqual(
      [admin.userId, OPERATOR_FILTER].sort(),
    );
  });
});

describe('the page /brands/<slug>/audit', () => {
  let app: WebApp;
  beforeAll(async () => {
    app = await startWebApp();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const get = (path: string, cookie?: string, lang = 'zh-CN') =>
    app.handle(
      new Request(`http://fanfare.test${path}`, {
        headers: { 'accept-language': lang, ...(cookie ? { cookie } : {}) },
        redirect: 'manual',
      }),
    );

  it('an admin reads who did what, in their language', async () => {
    const flowId = await newFlow(brand, '会员日');
    await publishDocument(handle.db, {
      flowId,
      brandId: brand.id,
      draft: flowDoc('会员日'),
      timezone: 'Asia/Shanghai',
      actor: adminActor,
    });
    const zh = await get(`/brands/${brand.slug}/audit`, admin.cookie);
    expect(zh.status).toBe(200);
    const html = await zh.text();
    expect(html).toContain('王芳 发布了流程「会员日」第 1 版');
    expect(html).toContain('运维人员（命令行） 恢复了流程「黄金48小时」');
    expect(html).not.toContain('other0');
    const en = await (await get(`/brands/${brand.slug}/audit`, admin.cookie, 'en')).text();
    expect(en).toContain('王芳 published flow “会员日” version 1');
    const filtered = await (
      await get(`/brands/${brand.slug}/audit?action=flow.paused`, admin.cookie, 'en')
    ).text();
    expect(filtered).toContain('王芳 paused flow “黄金48小时”');
    expect(filtered).not.toContain('published flow');
  });

  it('an editor gets 403, a member of another brand 404, no session a sign-in', async () => {
    const editor = await signedInMember(handle.db, brand.slug, 'editor');
    expect((await get(`/brands/${brand.slug}/audit`, editor.cookie)).status).toBe(403);
    const stranger = await signedInMember(handle.db, other.slug, 'owner');
    expect((await get(`/brands/${brand.slug}/audit`, stranger.cookie)).status).toBe(404);
    const anonymous = await get(`/brands/${brand.slug}/audit`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe(
      `/login?redirectTo=${encodeURIComponent(`/brands/${brand.slug}/audit`)}`,
    );
  });
});
