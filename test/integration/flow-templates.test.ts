/**
 * Issue 13, acceptance 1 and 2, on the real stack (Postgres, Temporal, the sandbox): brand A's
 * cup-QR flow exported as a template (pool and scene as parameters), published to the
 * organization's library, used in brand B with B's own pool, scene and menu, published — a
 * scan in B issues a code from B's pool, A's flow is untouched. A new version with a changed
 * text shows "update available" on B's flow with a diff naming the text; updating keeps B's
 * bindings. Also: bad input stores nothing, and other organizations cannot see the library.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  brands,
  couponCodes,
  couponPools,
  flowTemplates,
  flowTemplateVersions,
  flowVersions,
  flows,
  menus,
  organizations,
} from '../../db/schema';
import type { FlowDraft } from '../../engine/index';
import { createServices, OPERATOR, ServiceError } from '../../services';
import { addCodes, createPool } from '../../services/coupons/codes';
import { createWechatClients } from '../../services/wechat/clients';
import { publishMenus } from '../../services/wechat/resources';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';

let rt: Runtime;
let services: ReturnType<typeof createServices>;
let orgSlug: string;
let brandB: { id: string; slug: string; appId: string };
let flowA: string;

beforeAll(async () => {
  rt = await startRuntime();
  services = createServices({ db: rt.handle.db });
  await seedCupWorld(rt);
  orgSlug = `tpl-${randomUUID().slice(0, 8)}`;
  const [org] = await rt.handle.db
    .insert(organizations)
    .values({ name: `Templates ${orgSlug}`, slug: orgSlug })
    .returning({ id: organizations.id });
  brandB = await rt.addBrand('tplb');
  await rt.handle.db
    .update(brands)
    .set({ organizationId: org!.id })
    .where(inArray(brands.id, [rt.brand.id, brandB.id]));
  // Brand B's own pool and VIP menu (published to its account in the sandbox).
  const pool = await createPool(rt.handle.db, brandB.id, 'b-cup-pool');
  await addCodes(rt.handle.db, pool!, ['B-0001', 'B-0002']);
  await rt.handle.db.insert(menus).values([
    {
      brandId: brandB.id,
      name: 'default',
      isDefault: true,
      buttons: [{ type: 'click', name: '菜单', key: 'MENU' }],
    },
    {
      brandId: brandB.id,
      name: 'b-vip',
      buttons: [{ type: 'click', name: 'B 会员', key: 'BVIP' }],
    },
  ]);
  const { client } = await createWechatClients({ db: rt.handle.db, box: rt.box }).forBrand(
    brandB.id,
  );
  await publishMenus(rt.handle.db, client, brandB.id);
  ({ flowId: flowA } = await rt.publish('test/fixtures/flows/valid/cup-qr-coupon-vip.json'));
});
afterAll(() => rt?.close());

const snapshotOf = async (flowId: string) => ({
  flow: (await rt.handle.db.select().from(flows).where(eq(flows.id, flowId)))[0],
  versions: await rt.handle.db.select().from(flowVersions).where(eq(flowVersions.flowId, flowId)),
});

describe('a template shared between two brands of an organization', () => {
  let template: FlowDraft;
  let flowB: string;

  it('exports brand A’s cup-QR flow with the pool and the scene as parameters', async () => {
    const exported = await services.flowTemplates.exportFromFlow(OPERATOR, {
      brandSlug: rt.brand.slug,
      flow: flowA,
      choices: [
        { path: 'coupon.pool', name: 'pool' },
        { path: 'scan.scenes.0', name: 'scene' },
      ],
    });
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    template = exported.doc;
    expect(template.nodes.find((n) => n.id === 'coupon')!.config).toEqual({
      pool: '{{params.pool}}',
    });
    expect(template.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'pool', kind: 'couponPool', default: 'cup-coupon' }),
        expect.objectContaining({ name: 'scene', kind: 'qrScene', default: 'cup*' }),
      ]),
    );
  });

  it('refuses a template with errors and stores nothing', async () => {
    const bad = structuredClone(template);
    (bad.nodes.find((n) => n.id === 'coupon')!.config as { pool: string }).pool = 'cup-coupon';
    const outcome = await services.flowTemplates.publish(OPERATOR, {
      organization: orgSlug,
      document: bad,
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.issues.map((i) => i.code)).toContain('E_TEMPLATE_RESOURCE');
    const [org] = await rt.handle.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.slug, orgSlug));
    expect(
      await rt.handle.db
        .select()
        .from(flowTemplates)
        .where(eq(flowTemplates.organizationId, org!.id)),
    ).toEqual([]);
  });

  it('publishes it to the organization’s library as version 1', async () => {
    const outcome = await services.flowTemplates.publish(OPERATOR, {
      organization: orgSlug,
      document: template,
      description: 'Cup-sleeve QR: coupon, VIP tags and menu',
    });
    expect(outcome).toMatchObject({ ok: true, version: 1, unchanged: false });
    // The same document again is not a new version.
    const again = await services.flowTemplates.publish(OPERATOR, {
      organization: orgSlug,
      document: template,
    });
    expect(again).toMatchObject({ ok: true, version: 1, unchanged: true });
    const list = await services.flowTemplates.list(OPERATOR, orgSlug);
    expect(list.map((t) => [t.name, t.latestVersion])).toEqual([[template.name, 1]]);
  });

  it('binding with a pool brand B lacks stores nothing', async () => {
    const outcome = await services.flowTemplates.use(OPERATOR, {
      brandSlug: brandB.slug,
      template: template.name,
      bindings: { pool: 'no-such-pool', scene: 'bcup*', menu1: 'b-vip' },
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.issues.map((i) => i.code)).toContain('E_UNKNOWN_RESOURCE');
    expect(await rt.handle.db.select().from(flows).where(eq(flows.brandId, brandB.id))).toEqual([]);
  });

  it('is used in brand B with B’s pool and scene: a scan in B issues a code from B’s pool', async () => {
    const before = await snapshotOf(flowA);
    const outcome = await services.flowTemplates.use(OPERATOR, {
      brandSlug: brandB.slug,
      template: template.name,
      bindings: { pool: 'b-cup-pool', scene: 'bcup*', menu1: 'b-vip' },
      publish: true,
    });
    expect(outcome).toMatchObject({ ok: true, templateVersion: 1, published: { version: 1 } });
    if (!outcome.ok) return;
    flowB = outcome.flowId;
    const [row] = await rt.handle.db.select().from(flows).where(eq(flows.id, flowB));
    expect(row).toMatchObject({
      brandId: brandB.id,
      status: 'live',
      templateBindings: { pool: 'b-cup-pool', scene: 'bcup*', menu1: 'b-vip' },
    });
    expect(JSON.stringify(row!.draft)).not.toContain('{{params.');

    await rt.running(async () => {
      await rt.control.follow(brandB.appId, 'o_b_fan', { scene: 'bcup-7' });
      await expect
        .poll(async () => (await journeyRows(rt, flowB)).map((j) => j.status), {
          timeout: 30_000,
          interval: 200,
        })
        .toEqual(['completed']);
    });
    const [journey] = await journeyRows(rt, flowB);
    const issued = await rt.handle.db
      .select({ code: couponCodes.code, pool: couponPools.name, brandId: couponPools.brandId })
      .from(couponCodes)
      .innerJoin(couponPools, eq(couponPools.id, couponCodes.poolId))
      .where(eq(couponCodes.journeyId, journey!.id));
    expect(issued).toEqual([{ code: 'B-0001', pool: 'b-cup-pool', brandId: brandB.id }]);
    const sent = await rt.control.sentMessages(brandB.appId, 'o_b_fan');
    expect(JSON.stringify(sent[0]?.body)).toContain('B-0001');
    // Brand A's flow is untouched, and no journey ran there.
    expect(await snapshotOf(flowA)).toEqual(before);
    expect(await journeyRows(rt, flowA)).toEqual([]);
    // The library knows who uses it.
    const [summary] = await services.flowTemplates.list(OPERATOR, orgSlug);
    expect(summary!.usedBy.map((u) => [u.brandSlug, u.flowId, u.version])).toEqual([
      [brandB.slug, flowB, 1],
    ]);
  });

  it('a new version with a changed text shows "update available" with the diff; updating keeps B’s bindings', async () => {
    expect(await services.flowTemplates.status(OPERATOR, brandB.slug, flowB)).toMatchObject({
      version: 1,
      latestVersion: 1,
      updateAvailable: false,
    });
    const v2 = structuredClone(template);
    const push = v2.nodes.find((n) => n.id === 'push')!;
    (push.config as { message: { text: string } }).message.text =
      '欢迎回来！新的专属券码：{{coupon.code}}';
    const published = await services.flowTemplates.publish(OPERATOR, {
      organization: orgSlug,
      document: v2,
    });
    expect(published).toMatchObject({ ok: true, version: 2 });

    const status = await services.flowTemplates.status(OPERATOR, brandB.slug, flowB);
    expect(status).toMatchObject({ version: 1, latestVersion: 2, updateAvailable: true });
    expect(status!.diff!.changed).toEqual(['push']);
    const change = status!.diff!.stepChanges.push!;
    expect(change).toHaveLength(1);
    expect(change[0]!.after.en).toContain('新的专属券码');
    expect(change[0]!.path).toEqual(['message', 'text']);
    expect(change[0]!.label.en).toBe('Message');
    // The library shows the same diff between its versions.
    const detail = await services.flowTemplates.detail(OPERATOR, orgSlug, template.name);
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(detail.versions[0]!.diff!.changed).toEqual(['push']);

    const liveBefore = (await snapshotOf(flowB)).flow!.liveVersionId;
    const updated = await services.flowTemplates.update(OPERATOR, brandB.slug, flowB);
    expect(updated).toEqual({ ok: true, version: 2, unchanged: false });
    const [row] = await rt.handle.db.select().from(flows).where(eq(flows.id, flowB));
    const draft = row!.draft as unknown as FlowDraft;
    expect(
      (draft.nodes.find((n) => n.id === 'push')!.config as { message: { text: string } }).message
        .text,
    ).toContain('新的专属券码');
    expect(draft.nodes.find((n) => n.id === 'coupon')!.config).toEqual({ pool: 'b-cup-pool' });
    expect(draft.nodes.find((n) => n.id === 'scan')!.config).toMatchObject({ scenes: ['bcup*'] });
    expect(row!.templateBindings).toEqual({ pool: 'b-cup-pool', scene: 'bcup*', menu1: 'b-vip' });
    // A new draft: the live version runs on until it is published.
    expect(row!.liveVersionId).toBe(liveBefore);
    const [v] = await rt.handle.db
      .select({ version: flowTemplateVersions.version })
      .from(flowTemplateVersions)
      .where(eq(flowTemplateVersions.id, row!.templateVersionId!));
    expect(v!.version).toBe(2);
    expect(await services.flowTemplates.status(OPERATOR, brandB.slug, flowB)).toMatchObject({
      updateAvailable: false,
    });
  });

  it('a brand of another organization cannot use the library', async () => {
    const stranger = await rt.addBrand('tplc');
    const [other] = await rt.handle.db
      .insert(organizations)
      .values({ name: 'Other', slug: `other-${randomUUID().slice(0, 8)}` })
      .returning({ id: organizations.id });
    await rt.handle.db
      .update(brands)
      .set({ organizationId: other!.id })
      .where(eq(brands.id, stranger.id));
    const refused = await services.flowTemplates
      .use(OPERATOR, { brandSlug: stranger.slug, template: template.name, bindings: {} })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceError);
    expect((refused as ServiceError).code).toBe('template_unknown');
  });
});
