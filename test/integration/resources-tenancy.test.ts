/**
 * Tenancy of the resource modules: every call is made for one brand (the one requireMember
 * resolved from the URL's /brands/<slug>), and ids that arrive from forms or URLs are only honoured when they belong
 * to that brand. Brand A's calls with brand B's ids must neither read nor change B's rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, generateCodes, importCodes, listPools } from '../../services/coupons/index';
import { deleteMenu, listMenus, publishAllMenus, saveMenu } from '../../services/menus/index';
import { createQrChannel, findQrChannel, listQrChannels } from '../../services/qr/index';
import type { ResourceDeps } from '../../services/wechat/calls';
import { createTag, deleteTag, listTags } from '../../services/tags/index';
import { connect, type DbHandle } from '../../db/client';
import { brands, couponCodes, menus, tags } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createWechatClients } from '../../services/wechat/clients';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { OPERATOR } from '../../services/deps';

const box = new SecretBox(randomBytes(32).toString('hex'));
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let deps: ResourceDeps;

interface Fixture {
  id: string;
  slug: string;
  tagId: string;
  poolId: string;
  defaultMenuId: string;
  swapMenuId: string;
  qrId: string;
}

async function brandWithResources(label: string): Promise<Fixture> {
  const appId = `wx${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const slug = `${label}-${randomUUID().slice(0, 6)}`;
  const [row] = await handle.db
    .insert(brands)
    .values({
      slug,
      name: `${label} brand`,
      appId,
      appSecretEnc: box.seal(secret),
      callbackTokenEnc: box.seal('tok'),
    })
    .returning({ id: brands.id });
  const id = row!.id;
  await control.registerAccount({ appId, secret, token: 'tok' });
  const tag = await createTag(handle.db, id, `${label}-tag`, OPERATOR);
  const pool = await createPool(handle.db, id, { name: `${label}-pool` }, OPERATOR);
  if (!tag.ok || !pool.ok) throw new Error('fixture');
  await generateCodes(handle.db, id, pool.pool.id, { count: 10 });
  const main = await saveMenu(handle.db, id, {
    name: 'Main',
    buttons: [{ name: label, type: 'click', key: 'K', url: '', subs: [] }],
  });
  const swap = await saveMenu(handle.db, id, {
    name: 'Swap',
    buttons: [{ name: label, type: 'click', key: 'S', url: '', subs: [] }],
  });
  if (!main.ok || !swap.ok) throw new Error('fixture');
  expect((await publishAllMenus(deps, id, OPERATOR)).ok).toBe(true);
  const qr = await createQrChannel(
    deps,
    id,
    { name: 'Cup', scene: 'cup', kind: 'permanent' },
    OPERATOR,
  );
  if (!qr.ok) throw new Error('fixture');
  return {
    id,
    slug,
    tagId: tag.tag.id,
    poolId: pool.pool.id,
    defaultMenuId: main.menu.id,
    swapMenuId: swap.menu.id,
    qrId: qr.channel.id,
  };
}

let a: Fixture;
let b: Fixture;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 8 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  deps = {
    db: handle.db,
    wechat: createWechatClients({ db: handle.db, box, apiBase: sandbox.url }),
    apiBase: sandbox.url,
  };
  a = await brandWithResources('a');
  b = await brandWithResources('b');
});

afterAll(async () => {
  await sandbox?.stop();
  await handle?.close();
});

describe('tenancy of the resource modules', () => {
  it('lists only the brand’s own rows (the same scene in two brands counts separately)', async () => {
    expect((await listTags(handle.db, a.id)).user.map((t) => t.name)).toEqual(['a-tag']);
    expect((await listPools(handle.db, a.id)).map((p) => p.name)).toEqual(['a-pool']);
    expect((await listMenus(handle.db, a.id)).map((m) => m.id).sort()).toEqual(
      [a.defaultMenuId, a.swapMenuId].sort(),
    );
    expect((await listQrChannels(handle.db, a.id)).map((c) => c.id)).toEqual([a.qrId]);
  });

  it('cannot delete B’s tag, menu or read B’s QR code with A’s brand', async () => {
    expect(await deleteTag(deps, a.id, b.tagId, OPERATOR)).toEqual({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(await deleteMenu(deps, a.id, b.swapMenuId)).toEqual({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(await findQrChannel(handle.db, a.id, b.qrId)).toBeNull();
    expect(await handle.db.select().from(tags).where(eq(tags.id, b.tagId))).toHaveLength(1);
    expect(await handle.db.select().from(menus).where(eq(menus.id, b.swapMenuId))).toHaveLength(1);
  });

  it('cannot add codes to B’s pool or overwrite B’s menu with A’s brand', async () => {
    const before = await handle.db
      .select()
      .from(couponCodes)
      .where(eq(couponCodes.poolId, b.poolId));
    expect(await generateCodes(handle.db, a.id, b.poolId, { count: 5 })).toEqual({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(
      await importCodes(handle.db, a.id, b.poolId, { text: 'INJECTED-1\n', bytes: 11 }),
    ).toEqual({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(
      await handle.db.select().from(couponCodes).where(eq(couponCodes.poolId, b.poolId)),
    ).toHaveLength(before.length);

    const [menuBefore] = await handle.db.select().from(menus).where(eq(menus.id, b.defaultMenuId));
    const overwrite = await saveMenu(handle.db, a.id, {
      id: b.defaultMenuId,
      name: 'Main',
      buttons: [{ name: 'pwned', type: 'click', key: 'X', url: '', subs: [] }],
    });
    expect(overwrite).toEqual({ ok: false, problems: [{ code: 'not_found' }] });
    const [menuAfter] = await handle.db.select().from(menus).where(eq(menus.id, b.defaultMenuId));
    expect(menuAfter).toEqual(menuBefore);
  });

  it('a malformed id is simply not found', async () => {
    expect(await generateCodes(handle.db, a.id, 'not-a-uuid', { count: 1 })).toMatchObject({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(await findQrChannel(handle.db, a.id, "' or 1=1 --")).toBeNull();
    expect(await deleteTag(deps, a.id, 'nope', OPERATOR)).toMatchObject({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(await deleteMenu(deps, a.id, 'nope')).toMatchObject({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
    expect(await saveMenu(handle.db, a.id, { id: 'nope', name: 'x', buttons: [] })).toMatchObject({
      ok: false,
      problems: [{ code: 'not_found' }],
    });
  });

  it('publishing A’s menus never touches B’s WeChat account', async () => {
    await control.clearCalls();
    expect((await publishAllMenus(deps, a.id, OPERATOR)).ok).toBe(true);
    const calls = await control.calls({ path: '/cgi-bin/menu/create' });
    expect(calls.length).toBe(1);
    const bBrand = await handle.db
      .select({ appId: brands.appId })
      .from(brands)
      .where(eq(brands.id, b.id));
    expect(calls.every((c) => c.appId !== bBrand[0]!.appId)).toBe(true);
  });
});
