/**
 * Tags and coupon pools behind the resource pages, on a real Postgres (and, for deleting a
 * tag that exists on WeChat, the real sandbox): WeChat's tag budget, name limits, the
 * "followers still carry it" refusal, CSV import and code generation.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  generateCodes,
  importCodes,
  listPools,
  createPool,
  parseCodesCsv,
} from '../../services/coupons/index';
import type { ResourceDeps } from '../../services/wechat/calls';
import { createTag, deleteTag, listTags } from '../../services/tags/index';
import { connect, type DbHandle } from '../../db/client';
import { couponCodes, followerTags, followers, tags } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createWechatClients } from '../../services/wechat/clients';
import { ensureWechatTag } from '../../services/wechat/resources';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand } from '../support/brands';
import { OPERATOR } from '../../services/deps';

const box = new SecretBox(randomBytes(32).toString('hex'));
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let deps: ResourceDeps;

async function makeBrand(): Promise<{ id: string; appId: string }> {
  const { id, appId, secret } = await insertBrand(handle.db, box, { prefix: 'res', token: 'tok' });
  await control.registerAccount({ appId, secret, token: 'tok' });
  return { id, appId };
}

async function carry(brandId: string, openid: string, tag: string) {
  const [f] = await handle.db
    .insert(followers)
    .values({ brandId, openid, subscribed: true })
    .returning({ id: followers.id });
  await handle.db.insert(followerTags).values({ brandId, followerId: f!.id, tag });
}

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 8 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  deps = {
    db: handle.db,
    wechat: createWechatClients({ db: handle.db, box, apiBase: sandbox.url }),
    apiBase: sandbox.url,
  };
});

afterAll(async () => {
  await sandbox?.stop();
  await handle?.close();
});

describe('tags', () => {
  it('creates tags up to WeChat’s 100 per account — menu tags included — then refuses with the budget', async () => {
    const brand = await makeBrand();
    await handle.db.insert(tags).values({ brandId: brand.id, name: 'menu:VIP', kind: 'menu' });
    for (let i = 1; i <= 99; i++) {
      const created = await createTag(handle.db, brand.id, `seg-${i}`, OPERATOR);
      expect(created.ok).toBe(true);
    }
    const overview = await listTags(handle.db, brand.id);
    expect(overview.budget).toEqual({ used: 100, limit: 100 });
    expect(overview.user).toHaveLength(99);
    expect(overview.menu.map((t) => t.name)).toEqual(['menu:VIP']);

    const refused = await createTag(handle.db, brand.id, 'one-too-many', OPERATOR);
    expect(refused).toEqual({
      ok: false,
      problems: [{ code: 'tag_budget_full', values: { limit: 100 } }],
    });
    expect((await listTags(handle.db, brand.id)).budget.used).toBe(100);
  });

  it('refuses concurrent creations beyond the budget (never 101)', async () => {
    const brand = await makeBrand();
    for (let i = 0; i < 97; i++)
      await handle.db.insert(tags).values({ brandId: brand.id, name: `t${i}` });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createTag(handle.db, brand.id, `race-${i}`, OPERATOR)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect((await listTags(handle.db, brand.id)).budget.used).toBe(100);
  });

  it.each([
    ['', 'name_required'],
    ['   ', 'name_required'],
    ['一二三四五六七八九十一', 'name_too_long'], // 33 bytes
    ['星标组', 'name_reserved'],
    ['menu:sneaky', 'name_reserved'],
  ])('refuses the name %j (%s)', async (name, code) => {
    const brand = await makeBrand();
    const result = await createTag(handle.db, brand.id, name, OPERATOR);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code, field: 'name' });
  });

  it('accepts exactly 30 bytes (十个汉字) and refuses a duplicate name', async () => {
    const brand = await makeBrand();
    expect((await createTag(handle.db, brand.id, '一二三四五六七八九十', OPERATOR)).ok).toBe(true);
    const again = await createTag(handle.db, brand.id, ' 一二三四五六七八九十 ', OPERATOR);
    expect(again).toMatchObject({ ok: false, problems: [{ code: 'name_taken' }] });
  });

  it('lists followers per tag and whether the tag is on WeChat yet', async () => {
    const brand = await makeBrand();
    await createTag(handle.db, brand.id, 'cat-lovers', OPERATOR);
    await createTag(handle.db, brand.id, 'dog-lovers', OPERATOR);
    await carry(brand.id, 'o_1', 'cat-lovers');
    await carry(brand.id, 'o_2', 'cat-lovers');
    const { client } = await deps.wechat.forBrand(brand.id);
    const wechatId = await ensureWechatTag(handle.db, client, brand.id, 'dog-lovers');
    const { user } = await listTags(handle.db, brand.id);
    expect(user.map((t) => [t.name, t.followers, t.wechatTagId])).toEqual([
      ['cat-lovers', 2, null],
      ['dog-lovers', 0, wechatId],
    ]);
  });

  it('refuses to delete a tag followers carry, or a menu tag; deletes an unused one here and on WeChat', async () => {
    const brand = await makeBrand();
    await createTag(handle.db, brand.id, 'in-use', OPERATOR);
    await createTag(handle.db, brand.id, 'unused', OPERATOR);
    await carry(brand.id, 'o_1', 'in-use');
    const { client } = await deps.wechat.forBrand(brand.id);
    await ensureWechatTag(handle.db, client, brand.id, 'unused');
    await handle.db.insert(tags).values({ brandId: brand.id, name: 'menu:Gold', kind: 'menu' });
    const byName = async (name: string) =>
      (
        await handle.db
          .select()
          .from(tags)
          .where(and(eq(tags.brandId, brand.id), eq(tags.name, name)))
      )[0];

    const inUse = await deleteTag(deps, brand.id, (await byName('in-use'))!.id, OPERATOR);
    expect(inUse).toEqual({
      ok: false,
      problems: [{ code: 'tag_in_use', values: { name: 'in-use', followers: 1 } }],
    });
    const menuTag = await deleteTag(deps, brand.id, (await byName('menu:Gold'))!.id, OPERATOR);
    expect(menuTag).toMatchObject({ ok: false, problems: [{ code: 'tag_is_menu_tag' }] });

    expect((await control.account(brand.appId)).tags.map((t) => t.name)).toContain('unused');
    expect(await deleteTag(deps, brand.id, (await byName('unused'))!.id, OPERATOR)).toEqual({
      ok: true,
      name: 'unused',
    });
    expect(await byName('unused')).toBeUndefined();
    expect((await control.account(brand.appId)).tags.map((t) => t.name)).not.toContain('unused');
  });

  it('reports a WeChat refusal with its errcode and keeps the tag', async () => {
    const brand = await makeBrand();
    await createTag(handle.db, brand.id, 'flaky', OPERATOR);
    const { client } = await deps.wechat.forBrand(brand.id);
    await ensureWechatTag(handle.db, client, brand.id, 'flaky');
    await control.injectFault({
      path: '/cgi-bin/tags/delete',
      appId: brand.appId,
      errcode: 48001,
      errmsg: 'api unauthorized',
    });
    const [row] = await handle.db
      .select()
      .from(tags)
      .where(and(eq(tags.brandId, brand.id), eq(tags.name, 'flaky')));
    const result = await deleteTag(deps, brand.id, row!.id, OPERATOR);
    expect(result).toMatchObject({
      ok: false,
      problems: [
        {
          code: 'wechat_error',
          values: { errcode: 48001, errmsg: expect.stringContaining('api unauthorized') },
        },
      ],
    });
    expect((await listTags(handle.db, brand.id)).user.map((t) => t.name)).toEqual(['flaky']);
  });
});

describe('coupon pools', () => {
  const csv = (text: string) => ({ text, bytes: Buffer.byteLength(text) });

  it('parses a CSV: BOM, header column, quotes, CRLF, blank and invalid lines', () => {
    const parsed = parseCodesCsv(
      '\uFEFFname,券码,note\r\nA,"CODE-001",x\r\n\r\nB,CODE_002,"has, comma"\r\nC,bad code!,y\r\nD,,z\r\n',
    );
    expect(parsed.codes).toEqual(['CODE-001', 'CODE_002']);
    expect(parsed.invalid).toEqual([{ line: 5, value: 'bad code!' }]);
    expect(parseCodesCsv('AAA111\nBBB222\n').codes).toEqual(['AAA111', 'BBB222']);
  });

  it('imports valid codes, skips duplicates (in the file and already in the pool) and lists invalid lines', async () => {
    const brand = await makeBrand();
    const created = await createPool(
      handle.db,
      brand.id,
      {
        name: 'cup-welcome',
        description: '杯套首单',
      },
      OPERATOR,
    );
    if (!created.ok) throw new Error('pool not created');
    const poolId = created.pool.id;

    const first = await importCodes(
      handle.db,
      brand.id,
      poolId,
      csv('code\nWELCOME-1\nWELCOME-2\nWELCOME-2\nno good\n'),
    );
    expect(first).toEqual({
      ok: true,
      pool: 'cup-welcome',
      added: 2,
      duplicates: 1,
      invalid: [{ line: 5, value: 'no good' }],
    });
    const second = await importCodes(handle.db, brand.id, poolId, csv('WELCOME-2\nWELCOME-3\n'));
    expect(second).toMatchObject({ ok: true, added: 1, duplicates: 1, invalid: [] });

    const [pool] = await listPools(handle.db, brand.id);
    expect(pool).toMatchObject({
      name: 'cup-welcome',
      description: '杯套首单',
      total: 3,
      available: 3,
      issued: 0,
    });
  });

  it('refuses an empty upload, a file of only invalid lines and an oversized one', async () => {
    const brand = await makeBrand();
    const created = await createPool(handle.db, brand.id, { name: 'p' }, OPERATOR);
    if (!created.ok) throw new Error('pool not created');
    const id = created.pool.id;
    expect(await importCodes(handle.db, brand.id, id, null)).toMatchObject({
      ok: false,
      problems: [{ code: 'pool_no_file' }],
    });
    expect(await importCodes(handle.db, brand.id, id, csv('!!\n??\n'))).toMatchObject({
      ok: false,
      problems: [{ code: 'pool_no_codes', values: { invalid: 2 } }],
    });
    expect(
      await importCodes(handle.db, brand.id, id, { text: '', bytes: 6 * 1024 * 1024 }),
    ).toMatchObject({
      ok: false,
      problems: [{ code: 'pool_file_too_large' }],
    });
  });

  it('generates exactly N unique codes and counts remaining / issued / total', async () => {
    const brand = await makeBrand();
    const created = await createPool(handle.db, brand.id, { name: 'bulk' }, OPERATOR);
    if (!created.ok) throw new Error('pool not created');
    const progress: number[] = [];
    const result = await generateCodes(
      handle.db,
      brand.id,
      created.pool.id,
      { count: 5_000 },
      (n) => progress.push(n),
    );
    expect(result).toMatchObject({ ok: true, pool: 'bulk', added: 5_000 });
    expect(progress.at(-1)).toBe(5_000);
    const codes = await handle.db
      .select({ code: couponCodes.code })
      .from(couponCodes)
      .where(eq(couponCodes.poolId, created.pool.id));
    expect(new Set(codes.map((c) => c.code)).size).toBe(5_000);
    expect(codes.every((c) => /^[2-9A-HJKMNP-Z]{10}$/.test(c.code))).toBe(true);

    // Two codes handed out, one of them redeemed.
    const [a, b] = await handle.db
      .select({ id: couponCodes.id })
      .from(couponCodes)
      .where(eq(couponCodes.poolId, created.pool.id))
      .limit(2);
    await handle.db.update(couponCodes).set({ status: 'issued' }).where(eq(couponCodes.id, a!.id));
    await handle.db
      .update(couponCodes)
      .set({ status: 'redeemed' })
      .where(eq(couponCodes.id, b!.id));
    const [pool] = await listPools(handle.db, brand.id);
    expect(pool).toMatchObject({ total: 5_000, available: 4_998, issued: 2, redeemed: 1 });
  });

  it.each([0, -1, 1.5, 100_001, Number.NaN])('refuses to generate %s codes', async (count) => {
    const brand = await makeBrand();
    const created = await createPool(handle.db, brand.id, { name: 'x' }, OPERATOR);
    if (!created.ok) throw new Error('pool not created');
    expect(await generateCodes(handle.db, brand.id, created.pool.id, { count })).toMatchObject({
      ok: false,
      problems: [{ code: 'pool_bad_count', field: 'count' }],
    });
  });

  it('refuses a second pool with the same name in a brand', async () => {
    const brand = await makeBrand();
    expect((await createPool(handle.db, brand.id, { name: 'dup' }, OPERATOR)).ok).toBe(true);
    expect(await createPool(handle.db, brand.id, { name: ' dup ' }, OPERATOR)).toMatchObject({
      ok: false,
      problems: [{ code: 'name_taken' }],
    });
  });
});
