import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WechatClient, fetchStableToken, type TokenProvider } from './client';
import { WechatError, isRetryable, isTokenError } from './errors';
import { type RunningSandbox, startSandbox } from './sandbox/index';
import { SandboxControl } from './sandbox/control';
import { MemoryTokenStore, TokenHolder } from './token-holder';

const APP = { appId: 'wxclienttest0001', secret: 'client-secret', token: 'cb-token' };
let sandbox: RunningSandbox;
let control: SandboxControl;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
});
afterAll(() => sandbox.stop());
beforeEach(async () => {
  await control.reset();
  await control.registerAccount(APP);
});

function setup(extra: { maxAttempts?: number } = {}) {
  const sleeps: number[] = [];
  const transport = {
    baseUrl: sandbox.url,
    sleep: async (ms: number) => void sleeps.push(ms),
    random: () => 0.5,
    ...extra,
  };
  const holder = new TokenHolder({
    brandId: 'brand-1',
    store: new MemoryTokenStore(),
    fetchToken: ({ forceRefresh }) =>
      fetchStableToken({ appId: APP.appId, secret: APP.secret, forceRefresh }, transport),
  });
  return { client: new WechatClient({ tokens: holder, ...transport }), holder, sleeps };
}

async function caught(p: Promise<unknown>): Promise<WechatError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WechatError) return err;
    throw err;
  }
  throw new Error('expected a WechatError');
}

describe('stable_token', () => {
  it('returns the same token while valid and a new one on force_refresh', async () => {
    const opts = { baseUrl: sandbox.url };
    const a = await fetchStableToken({ appId: APP.appId, secret: APP.secret }, opts);
    const b = await fetchStableToken({ appId: APP.appId, secret: APP.secret }, opts);
    expect(b.access_token).toBe(a.access_token);
    expect(a.expires_in).toBeGreaterThan(7000);
    const c = await fetchStableToken(
      { appId: APP.appId, secret: APP.secret, forceRefresh: true },
      opts,
    );
    expect(c.access_token).not.toBe(a.access_token);
  });

  it('rejects a bad secret with a typed, non-retryable error', async () => {
    const err = await caught(
      fetchStableToken({ appId: APP.appId, secret: 'nope' }, { baseUrl: sandbox.url }),
    );
    expect({ kind: err.kind, errcode: err.errcode, endpoint: err.endpoint }).toEqual({
      kind: 'api',
      errcode: 40125,
      endpoint: '/cgi-bin/stable_token',
    });
    expect(isRetryable(err)).toBe(false);
    expect(isTokenError(err)).toBe(false);
  });
});

describe('WechatClient against the sandbox', () => {
  it('refreshes the token on 40001 and retries once', async () => {
    const { client } = setup();
    await client.createTag('vip');
    const before = (await control.calls({ path: '/cgi-bin/stable_token' })).length;
    await control.invalidateTokens(APP.appId, 'revoke');
    const tags = await client.getTags();
    expect(tags.map((t) => t.name)).toContain('vip');
    const tokenCalls = await control.calls({ path: '/cgi-bin/stable_token' });
    expect(tokenCalls.length).toBe(before + 1);
    expect((tokenCalls.at(-1)!.body as { force_refresh: boolean }).force_refresh).toBe(true);
    const tagCalls = await control.calls({ path: '/cgi-bin/tags/get' });
    expect(tagCalls.map((c) => c.errcode)).toEqual([40001, 0]);
  });

  it('refreshes on 42001 (expired) too', async () => {
    const { client } = setup();
    await client.getTags();
    await control.invalidateTokens(APP.appId, 'expire');
    await expect(client.getTags()).resolves.toBeInstanceOf(Array);
    const codes = (await control.calls({ path: '/cgi-bin/tags/get' })).map((c) => c.errcode);
    expect(codes).toEqual([0, 42001, 0]);
  });

  it('gives up after one token retry', async () => {
    const { client } = setup();
    await client.getTags();
    await control.injectFault({ path: '/cgi-bin/tags/get', errcode: 40001, count: 2 });
    const err = await caught(client.getTags());
    expect(err.errcode).toBe(40001);
    expect(isTokenError(err)).toBe(true);
  });

  it('backs off with jitter on 45009 and then succeeds', async () => {
    const { client, sleeps } = setup();
    await client.getTags();
    await control.injectFault({
      path: '/cgi-bin/tags/get',
      errcode: 45009,
      errmsg: 'reach max api daily quota limit',
      count: 2,
    });
    await expect(client.getTags()).resolves.toBeInstanceOf(Array);
    expect(sleeps).toEqual([100, 200]); // random 0.5 × (200, 400)
    const codes = (await control.calls({ path: '/cgi-bin/tags/get' })).map((c) => c.errcode);
    expect(codes).toEqual([0, 45009, 45009, 0]);
  });

  it('stops after maxAttempts with the last error', async () => {
    const { client, sleeps } = setup({ maxAttempts: 3 });
    await control.injectFault({
      path: '/cgi-bin/tags/get',
      errcode: -1,
      errmsg: 'system error',
      count: 5,
    });
    const err = await caught(client.getTags());
    expect(err.errcode).toBe(-1);
    expect(isRetryable(err)).toBe(true);
    expect(sleeps.length).toBe(2);
  });

  it('retries an idempotent call on HTTP 500 but not a customer-service send', async () => {
    const { client } = setup();
    await control.injectFault({ path: '/cgi-bin/tags/get', httpStatus: 500 });
    await expect(client.getTags()).resolves.toBeInstanceOf(Array);

    await control.seedFollower(APP.appId, { openid: 'o_fan' });
    await control.injectFault({ path: '/cgi-bin/message/custom/send', httpStatus: 502 });
    const err = await caught(
      client.sendCustomMessage({ touser: 'o_fan', msgtype: 'text', text: { content: 'hi' } }),
    );
    expect({ kind: err.kind, status: err.status, errcode: err.errcode }).toEqual({
      kind: 'http',
      status: 502,
      errcode: null,
    });
    expect(isRetryable(err)).toBe(true);
    expect((await control.calls({ path: '/cgi-bin/message/custom/send' })).length).toBe(1);
  });

  it('times out a slow call', async () => {
    const holder: TokenProvider = {
      getToken: async () => 'x'.repeat(20),
      invalidate: async () => {},
    };
    const client = new WechatClient({
      tokens: holder,
      baseUrl: sandbox.url,
      timeoutMs: 100,
      maxAttempts: 1,
    });
    await control.injectFault({ path: '/cgi-bin/tags/get', delayMs: 1000 });
    const err = await caught(client.getTags());
    expect(err.kind).toBe('timeout');
    expect(isRetryable(err)).toBe(true);
  });

  it('keeps the 64-bit template msgid exact', async () => {
    const { client } = setup();
    await control.seedFollower(APP.appId, { openid: 'o_fan' });
    await control.addTemplate(APP.appId, {
      templateId: 'tpl-order-shipped',
      title: '发货通知',
      content: '商品：{{thing1.DATA}}',
    });
    const res = await client.sendTemplateMessage({
      touser: 'o_fan',
      template_id: 'tpl-order-shipped',
      data: { thing1: { value: 'cat food' } },
      client_msg_id: 'order-42',
    });
    expect(res.msgid).toMatch(/^\d{19}$/);
    expect(BigInt(res.msgid) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const [sent] = await control.sentMessages(APP.appId);
    expect(sent!.msgid).toBe(res.msgid);
    const again = await client.sendTemplateMessage({
      touser: 'o_fan',
      template_id: 'tpl-order-shipped',
      data: { thing1: { value: 'cat food' } },
      client_msg_id: 'order-42',
    });
    expect(again.msgid).toBe(res.msgid);
    expect(await control.sentMessages(APP.appId)).toHaveLength(1);
  });

  it('covers users, tags, menus and QR codes end to end', async () => {
    const { client } = setup();
    await control.seedFollower(APP.appId, { openid: 'o_a' });
    await control.seedFollower(APP.appId, { openid: 'o_b' });
    const tag = await client.createTag('新客');
    await client.tagFollowers(tag.id, ['o_a', 'o_b']);
    expect(await client.getFollowerTags('o_a')).toEqual([tag.id]);
    const info = await client.getUserInfo('o_a');
    expect(info.subscribe === 1 && info.tagid_list).toEqual([tag.id]);
    expect((await client.batchGetUserInfo(['o_a', 'o_b'])).map((u) => u.openid)).toEqual([
      'o_a',
      'o_b',
    ]);
    const page = await client.listFollowers();
    expect(page).toMatchObject({
      total: 2,
      count: 2,
      data: { openid: ['o_a', 'o_b'] },
      next_openid: 'o_b',
    });
    expect((await client.listFollowers('o_b')).count).toBe(0);
    await client.untagFollowers(tag.id, ['o_b']);
    expect((await client.listTagFollowers(tag.id)).data?.openid).toEqual(['o_a']);

    await client.createMenu({ button: [{ type: 'click', name: 'Hi', key: 'HI' }] });
    const menuid = await client.addConditionalMenu(
      { button: [{ type: 'click', name: 'VIP', key: 'VIP' }] },
      { tag_id: String(tag.id) },
    );
    expect((await client.tryMatchMenu('o_a')).button[0]).toMatchObject({ key: 'VIP' });
    expect((await client.tryMatchMenu('o_b')).button[0]).toMatchObject({ key: 'HI' });
    expect((await client.getMenu()).conditionalmenu?.[0]?.menuid).toBe(menuid);
    await client.deleteConditionalMenu(menuid);
    expect((await client.tryMatchMenu('o_a')).button[0]).toMatchObject({ key: 'HI' });
    await client.deleteMenu();
    expect((await caught(client.getMenu())).errcode).toBe(46003);

    const qr = await client.createQrCode({
      action_name: 'QR_LIMIT_STR_SCENE',
      action_info: { scene: { scene_str: 'cup-0042' } },
    });
    expect(qr.ticket).toMatch(/^gQ/);
    expect(qr.url).toMatch(/^http:\/\/weixin\.qq\.com\/q\//);
    expect(qr.expire_seconds).toBeUndefined();
    const temp = await client.createQrCode({
      expire_seconds: 3600,
      action_name: 'QR_SCENE',
      action_info: { scene: { scene_id: 7 } },
    });
    expect(temp.expire_seconds).toBe(3600);

    await client.deleteTag(tag.id);
    expect(await client.getFollowerTags('o_a')).toEqual([]);
  });

  it('reports an unknown openid as errcode 40003 with the endpoint', async () => {
    const { client } = setup();
    const err = await caught(client.getUserInfo('o_nobody'));
    expect({ errcode: err.errcode, endpoint: err.endpoint }).toEqual({
      errcode: 40003,
      endpoint: '/cgi-bin/user/info',
    });
    expect(err.message).not.toContain('access_token');
  });
});
