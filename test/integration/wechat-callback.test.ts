import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { handleWechatCallback } from '../../app/lib/wechat-callback.server';
import { createLogger } from '../../config/logger';
import { connect, type DbHandle } from '../../db/client';
import { events, followers } from '../../db/schema';
import { SecretBox } from '../../services/secrets';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { buildPush } from '../../wechat/sandbox/push';
import { insertBrand } from '../support/brands';
import { serve, type Served } from '../support/serve';

const box = new SecretBox(randomBytes(32).toString('hex'));
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let app: Served;

interface TestBrand {
  id: string;
  slug: string;
  appId: string;
  token: string;
  mode: 'plaintext' | 'compatible' | 'safe';
}

async function makeBrand(mode: TestBrand['mode']): Promise<TestBrand> {
  const { id, slug, appId, token, secret } = await insertBrand(handle.db, box, {
    prefix: `cb-${mode}`,
    mode,
    ...(mode === 'plaintext' ? {} : { aesKey: AES_KEY }),
  });
  await control.registerAccount({
    appId,
    secret,
    token,
    mode,
    ...(mode === 'plaintext' ? {} : { aesKey: AES_KEY }),
    callbackUrl: `${app.url}/wechat/${slug}`,
  });
  return { id, slug, appId, token, mode };
}

const eventsOf = (brandId: string) =>
  handle.db.select().from(events).where(eq(events.brandId, brandId));
const followerOf = async (brandId: string, openid: string) =>
  (
    await handle.db
      .select()
      .from(followers)
      .where(and(eq(followers.brandId, brandId), eq(followers.openid, openid)))
  )[0];

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 8 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  const deps = { db: handle.db, box, logger: createLogger('test', 'silent') };
  app = await serve((request) => {
    const slug = new URL(request.url).pathname.split('/')[2] ?? '';
    return handleWechatCallback(deps, slug, request);
  });
});

afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
  await handle?.close();
});

describe('WeChat callback route', () => {
  it('answers the URL check with echostr, and 401 to a bad signature', async () => {
    const brand = await makeBrand('plaintext');
    const { query } = buildPush({ token: brand.token, appId: brand.appId, mode: 'plaintext' }, {});
    const ok = await fetch(
      `${app.url}/wechat/${brand.slug}?${new URLSearchParams({ ...query, echostr: 'hello-42' })}`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('hello-42');
    const bad = await fetch(
      `${app.url}/wechat/${brand.slug}?${new URLSearchParams({ ...query, signature: 'f'.repeat(40), echostr: 'x' })}`,
    );
    expect(bad.status).toBe(401);
  });

  it('records a QR follow: the follower, the event, the window — and a retried push changes nothing', async () => {
    const brand = await makeBrand('plaintext');
    const result = await control.follow(brand.appId, 'o_cup_fan', {
      scene: 'cup-2012',
      duplicate: true,
    });
    expect(result.delivered).toBe(true);
    expect(result.attempts.at(-1)?.body).toBe('success');

    const stored = await eventsOf(brand.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      type: 'follow',
      openid: 'o_cup_fan',
      payload: { scene: 'cup-2012', firstTime: true },
      dispatchedAt: null,
    });
    const f = await followerOf(brand.id, 'o_cup_fan');
    expect(f).toMatchObject({
      subscribed: true,
      qrScene: 'cup-2012',
      subscribeScene: 'ADD_SCENE_QR_CODE',
    });
    expect(f?.firstSubscribedAt).not.toBeNull();
    // a follow opens 3 customer-service messages within a minute (engine/quota.ts)
    expect(f).toMatchObject({ quotaKind: 'event', quotaLeft: 3 });
    expect(f!.quotaExpiresAt!.getTime() - f!.subscribedAt!.getTime()).toBe(60_000);
  });

  it('marks only the first follow as the first: a fan who comes back is not new', async () => {
    const brand = await makeBrand('plaintext');
    // WeChat tells events apart by fan and second (the dedupe key): one a second apart.
    const createTime = Math.floor(Date.now() / 1000) - 10;
    const event = (Event: string, at: number) => {
      const push = buildPush(
        { token: brand.token, appId: brand.appId, mode: 'plaintext' },
        {
          ToUserName: 'gh_000000000000',
          FromUserName: 'o_again',
          CreateTime: at,
          MsgType: 'event',
          Event,
        },
      );
      return fetch(`${app.url}/wechat/${brand.slug}?${new URLSearchParams(push.query)}`, {
        method: 'POST',
        body: push.body,
      });
    };
    for (const [name, at] of [
      ['subscribe', createTime],
      ['unsubscribe', createTime + 1],
      ['subscribe', createTime + 2],
    ] as const)
      expect((await event(name, at)).status).toBe(200);
    const follows = (await eventsOf(brand.id))
      .filter((e) => e.type === 'follow')
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((e) => (e.payload as { firstTime?: boolean }).firstTime);
    expect(follows).toEqual([true, false]);
  });

  it('keeps the quota with the event: a message opens 5 / 48 h, a click resets the count, an unfollow closes it', async () => {
    const brand = await makeBrand('plaintext');
    await control.follow(brand.appId, 'o_quota');
    await control.text(brand.appId, 'o_quota', 'hello');
    const afterText = await followerOf(brand.id, 'o_quota');
    expect(afterText).toMatchObject({ quotaKind: 'message', quotaLeft: 5 });
    const textAt = afterText!.lastInteractionAt!.getTime();
    expect(afterText!.quotaExpiresAt!.getTime() - textAt).toBe(48 * 3600_000);
    await handle.db
      .update(followers)
      .set({ quotaLeft: 1 })
      .where(and(eq(followers.brandId, brand.id), eq(followers.openid, 'o_quota')));
    await control.click(brand.appId, 'o_quota', 'MENU');
    // quotas do not add up: 3 again, and the message's later expiry stays
    expect(await followerOf(brand.id, 'o_quota')).toMatchObject({
      quotaKind: 'event',
      quotaLeft: 3,
      quotaExpiresAt: afterText!.quotaExpiresAt,
    });
    await control.unfollow(brand.appId, 'o_quota');
    expect(await followerOf(brand.id, 'o_quota')).toMatchObject({
      quotaKind: null,
      quotaLeft: 0,
      quotaExpiresAt: null,
    });
  });

  it('enters the same push delivered 3 times concurrently exactly once', async () => {
    const brand = await makeBrand('plaintext');
    const push = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      {
        ToUserName: 'gh_000000000000',
        FromUserName: 'o_triple',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'event',
        Event: 'subscribe',
        EventKey: 'qrscene_cup-2012',
        Ticket: 't',
      },
    );
    const url = `${app.url}/wechat/${brand.slug}?${new URLSearchParams(push.query)}`;
    const replies = await Promise.all(
      [1, 2, 3].map(() => fetch(url, { method: 'POST', body: push.body })),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await eventsOf(brand.id)).toHaveLength(1);
  });

  it('keeps two menu clicks of one fan in the same second apart, and their retries once', async () => {
    const brand = await makeBrand('plaintext');
    await control.follow(brand.appId, 'o_clicker');
    const createTime = Math.floor(Date.now() / 1000);
    const click = (key: string) => {
      const push = buildPush(
        { token: brand.token, appId: brand.appId, mode: 'plaintext' },
        {
          ToUserName: 'gh_000000000000',
          FromUserName: 'o_clicker',
          CreateTime: createTime,
          MsgType: 'event',
          Event: 'CLICK',
          EventKey: key,
        },
      );
      return fetch(`${app.url}/wechat/${brand.slug}?${new URLSearchParams(push.query)}`, {
        method: 'POST',
        body: push.body,
      });
    };
    // Two buttons in one second, each delivered twice (WeChat retries).
    const replies = await Promise.all([
      click('MENU_A'),
      click('MENU_B'),
      click('MENU_A'),
      click('MENU_B'),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const clicks = (await eventsOf(brand.id)).filter((e) => e.type === 'menu_click');
    expect(clicks.map((e) => e.payload.key).sort()).toEqual(['MENU_A', 'MENU_B']);
  });

  it('keeps text MsgIds and keywords, records unfollow', async () => {
    const brand = await makeBrand('plaintext');
    await control.follow(brand.appId, 'o_t');
    await control.text(brand.appId, 'o_t', '0042 猫粮');
    await control.unfollow(brand.appId, 'o_t');
    const stored = (await eventsOf(brand.id)).sort((a, b) => Number(a.id - b.id));
    expect(stored.map((e) => e.type)).toEqual(['follow', 'keyword', 'unfollow']);
    expect(stored[1]!.payload).toMatchObject({ text: '0042 猫粮' });
    expect(String(stored[1]!.payload.msgId)).toMatch(/^\d+$/);
    expect(stored[1]!.dedupeKey).toBe(stored[1]!.payload.msgId);
    expect(await followerOf(brand.id, 'o_t')).toMatchObject({ subscribed: false });
  });

  it('works in safe mode (encrypted push) and refuses plaintext pushes there', async () => {
    const brand = await makeBrand('safe');
    expect((await control.follow(brand.appId, 'o_safe')).delivered).toBe(true);
    expect((await control.scan(brand.appId, 'o_safe', 'table-7')).delivered).toBe(true);
    const stored = (await eventsOf(brand.id)).sort((a, b) => Number(a.id - b.id));
    expect(stored.map((e) => [e.type, e.payload.scene])).toEqual([
      ['follow', null],
      ['qr_scan', 'table-7'],
    ]);

    const plain = buildPush(
      { token: brand.token, appId: brand.appId, mode: 'plaintext' },
      {
        ToUserName: 'gh_1',
        FromUserName: 'o_plain',
        CreateTime: Math.floor(Date.now() / 1000),
        MsgType: 'event',
        Event: 'CLICK',
        EventKey: 'k',
      },
    );
    const refused = await fetch(
      `${app.url}/wechat/${brand.slug}?${new URLSearchParams(plain.query)}`,
      { method: 'POST', body: plain.body },
    );
    expect(refused.status).toBe(400);
    expect(await eventsOf(brand.id)).toHaveLength(2);
  });

  it('works in compatible mode', async () => {
    const brand = await makeBrand('compatible');
    await control.follow(brand.appId, 'o_c');
    expect((await control.click(brand.appId, 'o_c', 'VIP_MENU')).delivered).toBe(true);
    expect((await eventsOf(brand.id)).find((e) => e.type === 'menu_click')).toMatchObject({
      type: 'menu_click',
      payload: { key: 'VIP_MENU' },
    });
  });

  it('stores nothing for a bad signature, a bad msg_signature, bad XML or an unknown brand', async () => {
    const brand = await makeBrand('safe');
    const fields = {
      ToUserName: 'gh_1',
      FromUserName: 'o_evil',
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'text',
      Content: 'hi',
      MsgId: '1',
    };
    const push = buildPush(
      { token: brand.token, appId: brand.appId, aesKey: AES_KEY, mode: 'safe' },
      fields,
    );
    const post = (query: Record<string, string>, body = push.body, slug = brand.slug) =>
      fetch(`${app.url}/wechat/${slug}?${new URLSearchParams(query)}`, { method: 'POST', body });

    expect((await post({ ...push.query, signature: '0'.repeat(40) })).status).toBe(401);
    expect((await post({ ...push.query, msg_signature: '0'.repeat(40) })).status).toBe(401);
    const otherApp = buildPush(
      { token: brand.token, appId: 'wx_someone_else', aesKey: AES_KEY, mode: 'safe' },
      fields,
    );
    expect((await post(otherApp.query, otherApp.body)).status).toBe(400);
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>';
    expect((await post(push.query, xxe)).status).toBe(400);
    expect((await post(push.query, `<xml>${'a'.repeat(70_000)}</xml>`)).status).toBe(413);
    const stale = buildPush(
      { token: brand.token, appId: brand.appId, aesKey: AES_KEY, mode: 'safe' },
      fields,
      { timestamp: Math.floor(Date.now() / 1000) - 3600 },
    );
    expect((await post(stale.query, stale.body)).status).toBe(401);
    expect((await post(push.query, push.body, 'no-such-brand')).status).toBe(404);
    expect(await eventsOf(brand.id)).toHaveLength(0);
    // …and the genuine push still goes through afterwards.
    expect((await post(push.query)).status).toBe(200);
    expect(await eventsOf(brand.id)).toHaveLength(1);
  });
});
