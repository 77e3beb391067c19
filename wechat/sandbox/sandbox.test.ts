import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACK_BODY, type CallbackAccount, handleCallback } from '../callback';
import { WechatClient, fetchStableToken } from '../client';
import { WechatError } from '../errors';
import type { InboundMessage } from '../messages';
import { SandboxControl } from './control';
import { type RunningSandbox, startSandbox } from './index';
import { DEFAULT_LIMITS } from './types';
import { openQuota, QUOTA_RULES, takeQuota, type Quota } from '../../engine/quota';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP = { appId: 'wxsandboxtest001', secret: 's3cret', token: 'cb-token', aesKey: AES_KEY };
let sandbox: RunningSandbox;
let control: SandboxControl;
let client: WechatClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await control.reset();
  await control.registerAccount(APP);
  client = new WechatClient({
    baseUrl: sandbox.url,
    maxAttempts: 1,
    tokens: {
      getToken: async () => (await fetchStableToken(APP, { baseUrl: sandbox.url })).access_token,
      invalidate: async () => {},
    },
  });
});

async function errcode(p: Promise<unknown>): Promise<number | null> {
  try {
    await p;
    return 0;
  } catch (err) {
    if (err instanceof WechatError) return err.errcode;
    throw err;
  }
}

const text = (touser: string) =>
  client.sendCustomMessage({ touser, msgtype: 'text', text: { content: 'hi' } });

describe('tags', () => {
  it('allows 100 tags per account; the 101st is 45056', async () => {
    for (let i = 1; i <= 100; i++) await client.createTag(`tag-${i}`);
    expect(await errcode(client.createTag('tag-101'))).toBe(45056);
    expect((await client.getTags()).filter((t) => t.id > 2)).toHaveLength(100);
  });

  it('checks names: duplicate 45157, over 30 bytes 45158, reserved ids 45058', async () => {
    const vip = await client.createTag('vip');
    expect(vip.id).toBeGreaterThanOrEqual(100);
    expect(await errcode(client.createTag('vip'))).toBe(45157);
    expect(await errcode(client.createTag('星标组'))).toBe(45157);
    expect(await errcode(client.createTag('一二三四五六七八九十一'))).toBe(45158); // 11 × 3 bytes
    expect(await errcode(client.createTag('一二三四五六七八九十'))).toBe(0); // 30 bytes
    expect(await errcode(client.deleteTag(2))).toBe(45058);
    expect(await errcode(client.tagFollowers(1, ['o_a']))).toBe(45159);
    expect(await errcode(client.deleteTag(999))).toBe(45159);
  });

  it('allows 20 tags per follower; the 21st is 45059 and nothing is applied', async () => {
    await control.seedFollower(APP.appId, { openid: 'o_a' });
    await control.seedFollower(APP.appId, { openid: 'o_b' });
    const ids: number[] = [];
    for (let i = 0; i < 21; i++) ids.push((await client.createTag(`t${i}`)).id);
    for (const id of ids.slice(0, 20)) await client.tagFollowers(id, ['o_a']);
    expect(await errcode(client.tagFollowers(ids[20]!, ['o_b', 'o_a']))).toBe(45059);
    expect(await client.getFollowerTags('o_b')).toEqual([]);
    expect(await errcode(client.tagFollowers(ids[0]!, ['o_a']))).toBe(0); // re-applying is not a new tag
  });

  it('rejects unknown openids (40003) and over 50 per call (40032)', async () => {
    const tag = await client.createTag('x');
    expect(await errcode(client.tagFollowers(tag.id, ['o_nobody']))).toBe(40003);
    const many = Array.from({ length: 51 }, (_, i) => `o_${i}`);
    expect(await errcode(client.tagFollowers(tag.id, many))).toBe(40032);
  });
});

describe('menus', () => {
  const menu = (key: string) => ({ button: [{ type: 'click' as const, name: key, key }] });

  it('needs a default menu first (65303) and only tag_id rules (65320)', async () => {
    const tag = await client.createTag('vip');
    expect(await errcode(client.addConditionalMenu(menu('A'), { tag_id: String(tag.id) }))).toBe(
      65303,
    );
    await client.createMenu(menu('DEFAULT'));
    const sexRule = { sex: '1' } as unknown as { tag_id: string };
    expect(await errcode(client.addConditionalMenu(menu('A'), sexRule))).toBe(65320);
    expect(await errcode(client.addConditionalMenu(menu('A'), { tag_id: String(tag.id) }))).toBe(0);
  });

  it('validates buttons (40016 too many top buttons, 40019 click without key)', async () => {
    const four = {
      button: ['a', 'b', 'c', 'd'].map((k) => ({ type: 'click' as const, name: k, key: k })),
    };
    expect(await errcode(client.createMenu(four))).toBe(40016);
    const noKey = { button: [{ type: 'click', name: 'x' }] } as unknown as ReturnType<typeof menu>;
    expect(await errcode(client.createMenu(noKey))).toBe(40019);
  });

  it('trymatch follows the tag applied last', async () => {
    await control.seedFollower(APP.appId, { openid: 'o_a' });
    const gold = await client.createTag('gold');
    const silver = await client.createTag('silver');
    await client.createMenu(menu('DEFAULT'));
    await client.addConditionalMenu(menu('GOLD'), { tag_id: String(gold.id) });
    await client.addConditionalMenu(menu('SILVER'), { tag_id: String(silver.id) });
    const seen = async () => ((await client.tryMatchMenu('o_a')).button[0] as { key: string }).key;

    expect(await seen()).toBe('DEFAULT');
    await client.tagFollowers(silver.id, ['o_a']);
    await client.tagFollowers(gold.id, ['o_a']);
    expect(await seen()).toBe('GOLD'); // gold applied last, though silver's menu is newer
    await client.untagFollowers(gold.id, ['o_a']);
    expect(await seen()).toBe('SILVER');
    await client.tagFollowers(gold.id, ['o_a']);
    await client.tagFollowers(silver.id, ['o_a']); // re-applied: now the last
    expect(await seen()).toBe('SILVER');
    expect(await errcode(client.tryMatchMenu('o_nobody'))).toBe(65302);
  });
});

describe('customer-service window and quotas', () => {
  it('follow: 3 messages within the minute, then 45047', async () => {
    await control.follow(APP.appId, 'o_fan');
    for (let i = 0; i < 3; i++) expect(await errcode(text('o_fan'))).toBe(0);
    expect(await errcode(text('o_fan'))).toBe(45047);
  });

  it('follow: the window closes after a minute (45015)', async () => {
    await control.follow(APP.appId, 'o_fan');
    await control.advanceClock(61_000);
    expect(await errcode(text('o_fan'))).toBe(45015);
  });

  it("a fan's message: 5 within 48 h, then 45047; after 48 h 45015", async () => {
    await control.seedFollower(APP.appId, { openid: 'o_fan' });
    expect(await errcode(text('o_fan'))).toBe(45015); // never interacted
    await control.text(APP.appId, 'o_fan', 'hello');
    await control.advanceClock(47 * 3600_000);
    for (let i = 0; i < 5; i++) expect(await errcode(text('o_fan'))).toBe(0);
    expect(await errcode(text('o_fan'))).toBe(45047);
    await control.text(APP.appId, 'o_fan', 'again'); // a new message renews the quota
    expect(await errcode(text('o_fan'))).toBe(0);
    await control.advanceClock(48 * 3600_000 + 1000);
    expect(await errcode(text('o_fan'))).toBe(45015);
  });

  it('quotas do not add up: a click after a message resets the count, the later expiry stays', async () => {
    await control.seedFollower(APP.appId, { openid: 'o_fan' });
    await control.text(APP.appId, 'o_fan', 'hello');
    for (let i = 0; i < 4; i++) expect(await errcode(text('o_fan'))).toBe(0);
    await control.click(APP.appId, 'o_fan', 'COUPON'); // 3 again, not 1 + 3
    for (let i = 0; i < 3; i++) expect(await errcode(text('o_fan'))).toBe(0);
    expect(await errcode(text('o_fan'))).toBe(45047);
    await control.click(APP.appId, 'o_fan', 'COUPON');
    await control.advanceClock(3600_000); // the message's 48 hours still run
    expect(await errcode(text('o_fan'))).toBe(0);
  });

  it('agrees with the engine’s quota model (engine/quota.ts) on every step of a long run', async () => {
    expect(DEFAULT_LIMITS).toMatchObject({
      eventGrantSeconds: QUOTA_RULES.event.withinMs / 1000,
      eventGrantQuota: QUOTA_RULES.event.messages,
      messageGrantSeconds: QUOTA_RULES.message.withinMs / 1000,
      messageGrantQuota: QUOTA_RULES.message.messages,
    });
    await control.seedFollower(APP.appId, { openid: 'o_model' });
    let model: Quota | null = null;
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const advances = [0, 10_000, 59_000, 61_000, 3600_000, 47 * 3600_000];
    for (let step = 0; step < 120; step++) {
      const what = rand(4);
      if (what === 0) {
        await control.text(APP.appId, 'o_model', 'hi');
        model = openQuota(model, 'message', (await control.clock()).now);
      } else if (what === 1) {
        await control.click(APP.appId, 'o_model', 'K');
        model = openQuota(model, 'event', (await control.clock()).now);
      } else if (what === 2) {
        const ms = advances[rand(advances.length)]!;
        await control.advanceClock(ms);
      } else {
        const now = (await control.clock()).now;
        const expected = takeQuota(model, now);
        const got = await errcode(text('o_model'));
        if (expected.ok) model = expected.quota;
        expect([step, got]).toEqual([
          step,
          expected.ok ? 0 : expected.reason === 'quota_closed' ? 45015 : 45047,
        ]);
      }
    }
  });

  it('a news message carries one article (45008); empty text is 44004', async () => {
    await control.follow(APP.appId, 'o_fan');
    const article = { title: 'A', description: '', url: 'https://example.com', picurl: '' };
    const news = (n: number) =>
      client.sendCustomMessage({
        touser: 'o_fan',
        msgtype: 'news',
        news: { articles: Array.from({ length: n }, () => article) },
      });
    expect(await errcode(news(2))).toBe(45008);
    expect(await errcode(news(1))).toBe(0);
    const empty = client.sendCustomMessage({
      touser: 'o_fan',
      msgtype: 'text',
      text: { content: '' },
    });
    expect(await errcode(empty)).toBe(44004);
  });

  it('a POST endpoint called with GET is 43002; an empty POST body is 44002', async () => {
    const { access_token } = await fetchStableToken(APP, { baseUrl: sandbox.url });
    const url = `${sandbox.url}/cgi-bin/message/custom/send?access_token=${access_token}`;
    const get = (await (await fetch(url)).json()) as { errcode: number };
    expect(get.errcode).toBe(43002);
    const empty = (await (await fetch(url, { method: 'POST', body: '' })).json()) as {
      errcode: number;
    };
    expect(empty.errcode).toBe(44002);
  });

  it('a menu click reopens a 3-message grant', async () => {
    await control.seedFollower(APP.appId, { openid: 'o_fan' });
    await control.click(APP.appId, 'o_fan', 'COUPON');
    for (let i = 0; i < 3; i++) expect(await errcode(text('o_fan'))).toBe(0);
    expect(await errcode(text('o_fan'))).toBe(45047);
  });

  it('unfollowed: 43004 for custom and template messages', async () => {
    await control.follow(APP.appId, 'o_fan');
    await control.unfollow(APP.appId, 'o_fan');
    expect(await errcode(text('o_fan'))).toBe(43004);
    const tpl = client.sendTemplateMessage({ touser: 'o_fan', template_id: 't', data: {} });
    expect(await errcode(tpl)).toBe(43004);
    expect((await client.getUserInfo('o_fan')).subscribe).toBe(0);
  });

  it('records what was sent', async () => {
    await control.follow(APP.appId, 'o_fan');
    await text('o_fan');
    const sent = await control.sentMessages(APP.appId, 'o_fan');
    expect(sent).toMatchObject([
      { channel: 'customer_service', touser: 'o_fan', body: { text: { content: 'hi' } } },
    ]);
  });
});

describe('mass send', () => {
  const mass = (touser: string[], clientmsgid?: string) =>
    client.sendMassMessage({
      touser,
      msgtype: 'text',
      text: { content: 'broadcast' },
      ...(clientmsgid ? { clientmsgid } : {}),
    });
  const fans = async (n: number) => {
    const openids = Array.from({ length: n }, (_, i) => `o_mass_${i}`);
    for (const openid of openids) await control.seedFollower(APP.appId, { openid });
    return openids;
  };

  it('takes 2–10,000 openids (40130 otherwise) and answers 64-bit msg_id / msg_data_id', async () => {
    const openids = await fans(2);
    expect(await errcode(mass(['o_mass_0']))).toBe(40130);
    expect(await errcode(mass(Array.from({ length: 10_001 }, (_, i) => `o_x${i}`)))).toBe(40130);
    const sent = await mass(openids);
    expect(sent.msg_id).toMatch(/^\d{19}$/);
    expect(sent.msg_data_id).toMatch(/^\d+$/);
    const view = await control.mass(APP.appId);
    expect(view.sends).toHaveLength(1);
    expect(view.sends[0]).toMatchObject({ msgId: sent.msg_id, delivered: openids, filtered: [] });
    expect(view.receivedThisMonth).toEqual({ o_mass_0: 1, o_mass_1: 1 });
  });

  it('filters fans over 4 a month, unfollowed and unknown ones; a repeated clientmsgid is 45065', async () => {
    const openids = await fans(3);
    await control.seedFollower(APP.appId, { openid: 'o_mass_2', massThisMonth: 3 });
    await control.seedFollower(APP.appId, { openid: 'o_gone', subscribed: false });
    for (let i = 0; i < 4; i++) await mass(openids);
    const last = (await control.mass(APP.appId)).sends.at(-1)!;
    expect(last.delivered).toEqual(['o_mass_0', 'o_mass_1']);
    expect(last.filtered).toEqual(['o_mass_2']);
    await mass([...openids, 'o_gone', 'o_nobody'], 'batch-1');
    expect((await control.mass(APP.appId)).sends.at(-1)).toMatchObject({
      delivered: [],
      filtered: ['o_nobody', 'o_mass_0', 'o_mass_1', 'o_mass_2', 'o_gone'],
    });
    expect(await errcode(mass(openids, 'batch-1'))).toBe(45065);
    expect((await control.mass(APP.appId)).receivedThisMonth).toEqual({
      o_mass_0: 4,
      o_mass_1: 4,
      o_mass_2: 4,
    });
  });
});

describe('message templates', () => {
  it("lists the seeded templates in WeChat's shape, stable per account", async () => {
    const list = await client.getAllPrivateTemplates();
    expect(list.map((t) => t.title)).toEqual(['会员注册成功通知', '优惠券到账提醒', '生日祝福']);
    for (const t of list) {
      expect(Object.keys(t).sort()).toEqual([
        'content',
        'deputy_industry',
        'example',
        'primary_industry',
        'template_id',
        'title',
      ]);
      expect(t.template_id).toMatch(/^[\w-]{43}$/);
      expect(t.content).toMatch(/\{\{\w+\.DATA\}\}/);
    }
    await control.reset(APP.appId);
    expect((await client.getAllPrivateTemplates()).map((t) => t.template_id)).toEqual(
      list.map((t) => t.template_id),
    );
  });

  it('sends only a template the account has (40037 otherwise); added and deleted ones follow', async () => {
    await control.follow(APP.appId, 'o_fan');
    const [first] = await client.getAllPrivateTemplates();
    const send = (template_id: string) =>
      client.sendTemplateMessage({ touser: 'o_fan', template_id, data: {} });
    expect(await errcode(send(first!.template_id))).toBe(0);
    expect(await errcode(send('no-such-template'))).toBe(40037);
    const added = await control.addTemplate(APP.appId, {
      title: '积分变动提醒',
      content: '变动积分：{{number1.DATA}}\n当前积分：{{number2.DATA}}',
    });
    expect(await errcode(send(added.template_id))).toBe(0);
    await control.deleteTemplate(APP.appId, added.template_id);
    expect(await errcode(send(added.template_id))).toBe(40037);
    expect((await control.templates(APP.appId)).map((t) => t.title)).not.toContain('积分变动提醒');
    expect((await control.sentMessages(APP.appId)).map((m) => m.channel)).toEqual([
      'template',
      'template',
    ]);
  });
});

describe('faults and calls', () => {
  it('records every call and consumes faults', async () => {
    await control.injectFault({ path: '/cgi-bin/tags/get', errcode: 45009, count: 1 });
    expect(await errcode(client.getTags())).toBe(45009);
    expect(await errcode(client.getTags())).toBe(0);
    const calls = await control.calls({ path: '/cgi-bin/tags/get' });
    expect(calls.map((c) => [c.errcode, c.faultId !== null])).toEqual([
      [45009, true],
      [0, false],
    ]);
    expect(await control.faults()).toEqual([]);
  });

  it('keeps stable and legacy tokens in separate slots; a stable token is renewed in its last 5 minutes', async () => {
    const tagsWith = (token: string) =>
      fetch(`${sandbox.url}/cgi-bin/tags/get?access_token=${token}`).then(
        (r) => r.json() as Promise<{ errcode?: number }>,
      );
    const legacy = async () =>
      (
        (await fetch(
          `${sandbox.url}/cgi-bin/token?grant_type=client_credential&appid=${APP.appId}&secret=${APP.secret}`,
        ).then((r) => r.json())) as { access_token: string }
      ).access_token;
    try {
      const a = (await fetchStableToken(APP, { baseUrl: sandbox.url })).access_token;
      const l1 = await legacy();
      const l2 = await legacy();
      // Legacy calls neither replace nor shorten the stable token.
      expect((await fetchStableToken(APP, { baseUrl: sandbox.url })).access_token).toBe(a);
      expect(l2).not.toBe(l1);
      expect((await tagsWith(a)).errcode ?? 0).toBe(0);
      // 6 minutes before it expires it is still the one; 4 minutes before, a new one.
      const ttl = 7200_000;
      await control.setClockOffset(ttl - 6 * 60_000);
      expect((await fetchStableToken(APP, { baseUrl: sandbox.url })).access_token).toBe(a);
      await control.setClockOffset(ttl - 4 * 60_000);
      const b = await fetchStableToken(APP, { baseUrl: sandbox.url });
      expect(b.access_token).not.toBe(a);
      expect(b.expires_in).toBe(7200);
      // The old one lives out its time.
      expect((await tagsWith(a)).errcode ?? 0).toBe(0);
    } finally {
      await control.setClockOffset(0);
    }
  });

  it('answers token errors for missing/garbled tokens', async () => {
    const bad = (token: string) =>
      fetch(`${sandbox.url}/cgi-bin/tags/get?access_token=${token}`).then(
        (r) => r.json() as Promise<{ errcode: number }>,
      );
    expect((await bad('')).errcode).toBe(41001);
    expect((await bad('a%20b')).errcode).toBe(40014);
    expect((await bad('sbx_unknowntoken')).errcode).toBe(40001);
  });
});

describe('simulated callbacks', () => {
  let app: Server;
  let appUrl: string;
  const received: InboundMessage[] = [];
  let account: CallbackAccount = { ...APP, mode: 'plaintext' };

  beforeAll(async () => {
    app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://app');
        const r = handleCallback({
          method: req.method!,
          query: url.searchParams,
          body: Buffer.concat(chunks),
          account,
        });
        if (r.kind === 'rejected') return res.writeHead(r.status).end(r.code);
        if (r.kind === 'echo') return res.end(r.body);
        received.push(r.message);
        if (r.message.kind === 'text') return res.end(r.replyText(`echo: ${r.message.content}`));
        res.end(ACK_BODY);
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/wechat/brand`;
  });
  afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));
  beforeEach(() => {
    received.length = 0;
  });

  it.each(['plaintext', 'compatible', 'safe'] as const)(
    '%s mode: delivers, verifies, and reads the reply',
    async (mode) => {
      account = { ...APP, mode };
      await control.registerAccount({ ...APP, mode, callbackUrl: appUrl });
      const qr = await client.createQrCode({
        action_name: 'QR_LIMIT_STR_SCENE',
        action_info: { scene: { scene_str: '007' } },
      });

      const follow = await control.follow(APP.appId, 'o_fan', { scene: '007' });
      expect(follow.delivered).toBe(true);
      expect(follow.reply).toEqual({ kind: 'none', encrypted: false });
      expect(received[0]).toMatchObject({
        kind: 'subscribe',
        scene: '007',
        ticket: qr.ticket,
        fromUserName: 'o_fan',
      });
      const info = await client.getUserInfo('o_fan');
      expect(info).toMatchObject({
        subscribe: 1,
        subscribe_scene: 'ADD_SCENE_QR_CODE',
        qr_scene_str: '007',
      });

      const reply = await control.text(APP.appId, 'o_fan', '0042');
      expect(received[1]).toMatchObject({ kind: 'text', content: '0042' });
      expect(reply.reply).toMatchObject({
        kind: 'message',
        msgType: 'text',
        content: 'echo: 0042',
        encrypted: mode !== 'plaintext',
      });

      await control.scan(APP.appId, 'o_fan', '007');
      await control.click(APP.appId, 'o_fan', 'MENU_1');
      await control.location(APP.appId, 'o_fan', { latitude: 31.2304, longitude: 121.4737 });
      await control.unfollow(APP.appId, 'o_fan');
      expect(received.map((m) => m.kind)).toEqual([
        'subscribe',
        'text',
        'scan',
        'click',
        'location',
        'unsubscribe',
      ]);
      expect(received[4]).toMatchObject({ latitude: 31.2304, longitude: 121.4737 });
    },
  );

  it('is rejected (401) when the app has another token, and WeChat retries 3 times', async () => {
    account = { ...APP, token: 'other', mode: 'plaintext' };
    await control.registerAccount({ ...APP, mode: 'plaintext', callbackUrl: appUrl });
    const r = await control.follow(APP.appId, 'o_fan');
    expect(r.delivered).toBe(false);
    expect(r.attempts.map((a) => a.status)).toEqual([401, 401, 401]);
    expect(r.follower.subscribed).toBe(true); // the follow happened on WeChat regardless
  });

  it('mass send: pushes a signed MASSSENDJOBFINISH with its counts to the callback', async () => {
    account = { ...APP, mode: 'plaintext' };
    await control.registerAccount({
      ...APP,
      mode: 'plaintext',
      callbackUrl: appUrl,
      limits: { massJobDelayMs: 10 },
    });
    for (const openid of ['o_m1', 'o_m2', 'o_m3'])
      await control.seedFollower(APP.appId, {
        openid,
        ...(openid === 'o_m3' ? { massThisMonth: 4 } : {}),
      });
    const sent = await client.sendMassMessage({
      touser: ['o_m1', 'o_m2', 'o_m3'],
      msgtype: 'text',
      text: { content: 'hello all' },
    });
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(1);
    expect(received[0]).toMatchObject({
      kind: 'other',
      event: 'MASSSENDJOBFINISH',
      massJob: {
        msgId: sent.msg_id,
        status: 'send success',
        totalCount: 3,
        filterCount: 1,
        sentCount: 2,
        errorCount: 0,
      },
    });
  });

  it('can deliver a duplicate, with the same dedupe identity', async () => {
    account = { ...APP, mode: 'plaintext' };
    await control.registerAccount({ ...APP, mode: 'plaintext', callbackUrl: appUrl });
    await control.follow(APP.appId, 'o_fan');
    await control.text(APP.appId, 'o_fan', 'hi', { duplicate: true });
    const texts = received.filter((m) => m.kind === 'text');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toEqual(texts[1]);
  });

  it('without a callback URL only updates state', async () => {
    const r = await control.follow(APP.appId, 'o_quiet');
    expect(r).toMatchObject({ delivered: false, attempts: [], follower: { subscribed: true } });
    await expect(control.follow(APP.appId, 'o_quiet')).rejects.toThrow(/already follows/);
  });
});
