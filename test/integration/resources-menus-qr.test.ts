/**
 * Menus and QR channels behind the resource pages, against the real WeChat sandbox and a
 * real Postgres: WeChat's menu rules checked before saving, publishing (default + swap menu,
 * then `trymatch` shows the swap menu to a follower carrying its tag), WeChat errors as
 * sentences, and channel codes created through qrcode/create with their scans and follows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteMenu, listMenus, publishAllMenus, saveMenu } from '../../services/menus/index';
import {
  createQrChannel,
  findQrChannel,
  listQrChannels,
  qrPng,
  qrSvgDataUrl,
} from '../../services/qr/index';
import {
  draftFromForm,
  draftFromWire,
  validateDraft,
  type DraftButton,
} from '../../services/menus/draft';
import type { ResourceDeps } from '../../services/wechat/calls';
import { connect, type DbHandle } from '../../db/client';
import { events, menus, qrChannels, tags } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { createWechatClients } from '../../services/wechat/clients';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand } from '../support/brands';
import { OPERATOR } from '../../services/deps';

const box = new SecretBox(randomBytes(32).toString('hex'));
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let deps: ResourceDeps;

async function makeBrand({ register = true } = {}): Promise<{ id: string; appId: string }> {
  const { id, appId, secret } = await insertBrand(handle.db, box, { prefix: 'res', token: 'tok' });
  if (register) await control.registerAccount({ appId, secret, token: 'tok' });
  return { id, appId };
}

const click = (name: string, key: string): DraftButton => ({
  name,
  type: 'click',
  key,
  url: '',
  subs: [],
});
const view = (name: string, url: string): DraftButton => ({
  name,
  type: 'view',
  key: '',
  url,
  subs: [],
});
const group = (name: string, subs: DraftButton[]): DraftButton => ({
  name,
  type: 'group',
  key: '',
  url: '',
  subs: subs.map(({ subs: _, type, ...leaf }) => ({
    ...leaf,
    type: type === 'view' ? 'view' : 'click',
  })),
});

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

describe('menu rules (checked before anything is saved)', () => {
  const codes = (buttons: DraftButton[]) => {
    const r = validateDraft(buttons);
    return r.ok ? [] : r.problems.map((p) => `${p.field ?? '-'}:${p.code}`);
  };

  it.each<[string, DraftButton[], string[]]>([
    ['no buttons', [], ['-:menu_no_buttons']],
    [
      '4 top buttons',
      [click('a', 'A'), click('b', 'B'), click('c', 'C'), click('d', 'D')],
      ['-:menu_too_many_buttons'],
    ],
    [
      '6 sub-buttons',
      [
        group(
          'g',
          ['1', '2', '3', '4', '5', '6'].map((n) => click(n, `K${n}`)),
        ),
      ],
      ['b0.name:menu_too_many_sub_buttons'],
    ],
    ['an empty group', [group('g', [])], ['b0.name:menu_group_empty']],
    ['a top name of 17 bytes', [click('会员中心专区', 'K')], ['b0.name:menu_button_name_too_long']],
    [
      'a sub name of 42 bytes',
      [group('g', [click('一二三四五六七八九十一二三四', 'K')])],
      ['b0.s0.name:menu_button_name_too_long'],
    ],
    ['a click without key', [click('a', '')], ['b0.key:menu_key_required']],
    ['a key with spaces', [click('a', 'bad key')], ['b0.key:menu_key_invalid']],
    [
      'a key used twice',
      [click('a', 'K'), group('g', [click('b', 'K')])],
      ['b1.s0.key:menu_key_duplicate'],
    ],
    ['a javascript: link', [view('a', 'javascript:alert(1)')], ['b0.url:menu_url_invalid']],
    ['a nameless button', [click(' ', 'K')], ['b0.name:menu_button_name_required']],
  ])('refuses %s', (_, buttons, expected) => {
    expect(codes(buttons)).toEqual(expected);
  });

  it('accepts 3 × 5 at the limits and produces WeChat’s button array', () => {
    const subs = ['一', '二', '三', '四', '五'].map((n, i) =>
      click(`${n}二三四五六七八九十一二三`, `K${i}`),
    ); // 39 bytes
    const result = validateDraft([
      click('会员中心专区'.slice(0, 5), 'VIP'),
      group('More', subs),
      view('官网', 'https://example.com/?a=1'),
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.wire[0]).toEqual({ type: 'click', name: '会员中心专', key: 'VIP' });
    expect(result.wire[1]).toMatchObject({
      name: 'More',
      sub_button: expect.arrayContaining([{ type: 'click', name: subs[0]!.name, key: 'K0' }]),
    });
    expect(result.wire[2]).toEqual({ type: 'view', name: '官网', url: 'https://example.com/?a=1' });
    expect(draftFromWire(result.wire)).toHaveLength(3);
  });

  it('reads the editor’s form fields, dropping blank slots', () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      'b0.name': 'Shop',
      'b0.type': 'view',
      'b0.url': 'https://shop.example',
      'b1.name': '',
      'b1.type': 'click',
      'b1.key': '',
      'b2.name': 'More',
      'b2.type': 'group',
      'b2.s0.name': 'Ping',
      'b2.s0.type': 'click',
      'b2.s0.key': 'PING',
      'b2.s1.name': '',
      'b2.s1.type': 'click',
    }))
      form.set(k, v);
    expect(draftFromForm(form)).toEqual([
      { name: 'Shop', type: 'view', key: '', url: 'https://shop.example', subs: [] },
      {
        name: 'More',
        type: 'group',
        key: '',
        url: '',
        subs: [{ name: 'Ping', type: 'click', key: 'PING', url: '' }],
      },
    ]);
  });
});

describe('menus', () => {
  it('publishes the default and a swap menu; trymatch shows the swap menu to a follower with its tag', async () => {
    const brand = await makeBrand();
    const noDefault = await publishAllMenus(deps, brand.id, OPERATOR);
    expect(noDefault).toEqual({
      ok: false,
      problems: [{ code: 'menu_no_default', values: { errcode: 65303 } }],
    });

    const saved = await saveMenu(handle.db, brand.id, {
      name: '默认菜单',
      isDefault: true,
      buttons: [
        click('会员', 'MEMBER'),
        group('更多', [view('官网', 'https://example.com'), click('客服', 'SERVICE')]),
      ],
    });
    expect(saved.ok).toBe(true);
    const swap = await saveMenu(handle.db, brand.id, {
      name: 'VIP',
      buttons: [click('VIP专区', 'VIP_ZONE')],
    });
    expect(swap.ok).toBe(true);
    expect(
      (await listMenus(handle.db, brand.id)).map((m) => [
        m.name,
        m.isDefault,
        m.tagName,
        m.unpublished,
      ]),
    ).toEqual([
      ['默认菜单', true, null, true],
      ['VIP', false, 'menu:VIP', true],
    ]);

    expect(await publishAllMenus(deps, brand.id, OPERATOR)).toEqual({ ok: true, published: 2 });
    const listed = await listMenus(handle.db, brand.id);
    expect(listed.every((m) => !m.unpublished && m.publishedAt)).toBe(true);

    const [menuTag] = await handle.db
      .select()
      .from(tags)
      .where(and(eq(tags.brandId, brand.id), eq(tags.name, 'menu:VIP')));
    expect(menuTag).toMatchObject({ kind: 'menu' });
    const { client } = await deps.wechat.forBrand(brand.id);
    await control.seedFollower(brand.appId, { openid: 'o_vip' });
    await control.seedFollower(brand.appId, { openid: 'o_plain' });
    await client.tagFollowers(menuTag!.wechatTagId!, ['o_vip']);
    expect((await client.tryMatchMenu('o_vip')).button).toEqual([
      { type: 'click', name: 'VIP专区', key: 'VIP_ZONE' },
    ]);
    expect((await client.tryMatchMenu('o_plain')).button[0]).toEqual({
      type: 'click',
      name: '会员',
      key: 'MEMBER',
    });

    // Editing marks the menu unpublished until the next publish.
    const vip = listed.find((m) => m.name === 'VIP')!;
    await saveMenu(handle.db, brand.id, {
      id: vip.id,
      name: 'ignored',
      buttons: [click('VIP', 'VIP_ZONE_2')],
    });
    const edited = (await listMenus(handle.db, brand.id)).find((m) => m.id === vip.id)!;
    expect(edited).toMatchObject({ name: 'VIP', unpublished: true });
    expect((await publishAllMenus(deps, brand.id, OPERATOR)).ok).toBe(true);
    expect((await client.tryMatchMenu('o_vip')).button).toEqual([
      { type: 'click', name: 'VIP', key: 'VIP_ZONE_2' },
    ]);
    expect((await control.account(brand.appId)).conditionalMenus).toBe(1);

    // Deleting the swap menu removes its conditional menu on WeChat; the default stays.
    expect(await deleteMenu(deps, brand.id, vip.id)).toEqual({ ok: true, name: 'VIP' });
    expect((await control.account(brand.appId)).conditionalMenus).toBe(0);
    expect((await client.tryMatchMenu('o_vip')).button[0]).toEqual({
      type: 'click',
      name: '会员',
      key: 'MEMBER',
    });
    const defaultId = listed.find((m) => m.isDefault)!.id;
    expect(await deleteMenu(deps, brand.id, defaultId)).toMatchObject({
      ok: false,
      problems: [{ code: 'menu_default_locked' }],
    });
  });

  it('refuses invalid menus and names without saving, and a second menu with the same name', async () => {
    const brand = await makeBrand();
    const bad = await saveMenu(handle.db, brand.id, {
      name: '一二三四五六七八九',
      isDefault: true,
      buttons: [click('x', '')],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems.map((p) => p.code)).toEqual(['name_too_long', 'menu_key_required']);
    expect(await listMenus(handle.db, brand.id)).toEqual([]);
    expect(
      (await saveMenu(handle.db, brand.id, { name: 'Main', buttons: [click('a', 'A')] })).ok,
    ).toBe(true);
    expect(
      await saveMenu(handle.db, brand.id, { name: 'Main', buttons: [click('a', 'A')] }),
    ).toMatchObject({
      ok: false,
      problems: [{ code: 'name_taken' }],
    });
    // The first menu became the default one; asking for a second default is refused.
    expect(
      await saveMenu(handle.db, brand.id, {
        name: 'Other',
        isDefault: true,
        buttons: [click('a', 'A')],
      }),
    ).toMatchObject({
      ok: false,
      problems: [{ code: 'menu_default_locked' }],
    });
  });

  it('turns WeChat errors into coded problems (errcode kept)', async () => {
    const brand = await makeBrand();
    await saveMenu(handle.db, brand.id, { name: 'Main', buttons: [click('a', 'A')] });
    await control.injectFault({
      path: '/cgi-bin/menu/create',
      appId: brand.appId,
      errcode: 40018,
      errmsg: 'invalid button name size',
    });
    expect(await publishAllMenus(deps, brand.id, OPERATOR)).toMatchObject({
      ok: false,
      problems: [{ code: 'wechat_error', values: { errcode: 40018 } }],
    });
    expect((await listMenus(handle.db, brand.id))[0]).toMatchObject({
      unpublished: true,
      publishedAt: null,
    });
  });

  it('tells the operator to register an account the sandbox does not know (40013)', async () => {
    const brand = await makeBrand({ register: false });
    await saveMenu(handle.db, brand.id, { name: 'Main', buttons: [click('a', 'A')] });
    expect(await publishAllMenus(deps, brand.id, OPERATOR)).toEqual({
      ok: false,
      problems: [
        {
          code: 'wechat_sandbox_unregistered',
          values: { appId: brand.appId, base: sandbox.url, errcode: 40013 },
        },
      ],
    });
  });
});

describe('QR channels', () => {
  it('creates a permanent code through qrcode/create (QR_LIMIT_STR_SCENE) and renders it', async () => {
    const brand = await makeBrand();
    const created = await createQrChannel(
      deps,
      brand.id,
      {
        name: '杯套 2025',
        scene: 'cup-2025',
        kind: 'permanent',
      },
      OPERATOR,
    );
    expect(created).toMatchObject({ ok: true, channel: { scene: 'cup-2025' } });
    const [call] = await control.calls({ appId: brand.appId, path: '/cgi-bin/qrcode/create' });
    expect(call!.body).toEqual({
      action_name: 'QR_LIMIT_STR_SCENE',
      action_info: { scene: { scene_str: 'cup-2025' } },
    });
    const [row] = await handle.db.select().from(qrChannels).where(eq(qrChannels.brandId, brand.id));
    expect(row).toMatchObject({
      name: '杯套 2025',
      kind: 'permanent',
      expiresAt: null,
      ticket: (call!.response as { ticket: string }).ticket,
    });
    expect(row!.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);

    expect(await qrSvgDataUrl(row!.url)).toMatch(/^data:image\/svg\+xml;base64,/);
    const png = await qrPng(row!.url);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect((await findQrChannel(handle.db, brand.id, row!.id))?.scene).toBe('cup-2025');
  });

  it('creates a temporary code (QR_STR_SCENE) expiring after the chosen days, ≤ 30', async () => {
    const brand = await makeBrand();
    const before = Date.now();
    const created = await createQrChannel(
      deps,
      brand.id,
      {
        name: 'Poster',
        scene: 'poster.spring',
        kind: 'temporary',
        days: 7,
      },
      OPERATOR,
    );
    expect(created.ok).toBe(true);
    const [call] = await control.calls({ appId: brand.appId, path: '/cgi-bin/qrcode/create' });
    expect(call!.body).toMatchObject({ action_name: 'QR_STR_SCENE', expire_seconds: 7 * 86_400 });
    const [channel] = await listQrChannels(handle.db, brand.id);
    const expires = new Date(channel!.expiresAt!).getTime();
    expect(expires - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 1_000);
    expect(expires - before).toBeLessThan(7 * 86_400_000 + 60_000);
    expect(channel!.expired).toBe(false);
    expect((await listQrChannels(handle.db, brand.id, new Date(expires + 1)))[0]!.expired).toBe(
      true,
    );

    for (const days of [0, 31, 2.5, undefined]) {
      expect(
        await createQrChannel(
          deps,
          brand.id,
          {
            name: 'x',
            scene: `t-${days}`,
            kind: 'temporary',
            days,
          },
          OPERATOR,
        ),
      ).toMatchObject({
        ok: false,
        problems: [{ code: 'qr_bad_expiry', field: 'days' }],
      });
    }
  });

  it('refuses bad and reused scenes before asking WeChat', async () => {
    const brand = await makeBrand();
    expect(
      (
        await createQrChannel(
          deps,
          brand.id,
          { name: 'A', scene: 'store-1', kind: 'permanent' },
          OPERATOR,
        )
      ).ok,
    ).toBe(true);
    await control.clearCalls();
    const reused = await createQrChannel(
      deps,
      brand.id,
      {
        name: 'B',
        scene: 'store-1',
        kind: 'permanent',
      },
      OPERATOR,
    );
    expect(reused).toMatchObject({
      ok: false,
      problems: [{ code: 'qr_scene_taken', field: 'scene' }],
    });
    for (const scene of ['', 'with space', 'prefix*', 'x'.repeat(65), '门店']) {
      const r = await createQrChannel(
        deps,
        brand.id,
        { name: 'C', scene, kind: 'permanent' },
        OPERATOR,
      );
      expect(r.ok).toBe(false);
    }
    expect(await control.calls({ appId: brand.appId, path: '/cgi-bin/qrcode/create' })).toEqual([]);
  });

  it('counts scans and follows per channel from the events carrying its scene', async () => {
    const brand = await makeBrand();
    const other = await makeBrand();
    await createQrChannel(
      deps,
      brand.id,
      { name: 'Cup', scene: 'cup', kind: 'permanent' },
      OPERATOR,
    );
    await createQrChannel(
      deps,
      brand.id,
      { name: 'Door', scene: 'door', kind: 'permanent' },
      OPERATOR,
    );
    const event = (brandId: string, type: string, scene: string | null) => ({
      brandId,
      type,
      dedupeKey: randomUUID(),
      payload: { scene, ticket: null },
    });
    await handle.db.insert(events).values([
      event(brand.id, 'follow', 'cup'),
      event(brand.id, 'follow', 'cup'),
      event(brand.id, 'qr_scan', 'cup'),
      event(brand.id, 'follow', null),
      event(brand.id, 'qr_scan', 'door'),
      event(brand.id, 'keyword', 'cup'),
      event(other.id, 'follow', 'cup'), // another brand's channel with the same scene
    ]);
    const stats = Object.fromEntries(
      (await listQrChannels(handle.db, brand.id)).map((c) => [c.scene, [c.scans, c.follows]]),
    );
    expect(stats).toEqual({ cup: [1, 2], door: [1, 0] });
  });

  it('reports an unreachable WeChat without storing a channel', async () => {
    const brand = await makeBrand();
    await control.injectFault({
      path: '/cgi-bin/qrcode/create',
      appId: brand.appId,
      errcode: 45009,
      errmsg: 'reach max api daily quota limit',
      count: 10,
    });
    const result = await createQrChannel(
      deps,
      brand.id,
      {
        name: 'Q',
        scene: 'quota',
        kind: 'permanent',
      },
      OPERATOR,
    );
    expect(result).toMatchObject({
      ok: false,
      problems: [{ code: 'wechat_error', values: { errcode: 45009 } }],
    });
    expect(
      await handle.db.select().from(qrChannels).where(eq(qrChannels.brandId, brand.id)),
    ).toEqual([]);
    expect(await handle.db.select().from(menus).where(eq(menus.brandId, brand.id))).toEqual([]);
  });
});
