/**
 * Test sends (issue 11) on a real PostgreSQL and the WeChat sandbox, through the use case and
 * through the route the editor's Simulate panel calls: an editor marks fans as test followers
 * (only the brand's own fans, at most 20); a test send of a text and a template message reaches
 * them through WeChat marked 【测试】; a tester who has not written to the account is recorded
 * skipped / quota_closed; nothing reaches messages, journeys, journey steps or flow_stats; a
 * viewer may list but not send; bad JSON to the route is a 400 with a code.
 */
import { randomBytes } from 'node:crypto';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connect, type DbHandle } from '../../db/client';
import {
  auditLog,
  brands,
  flowStats,
  flows,
  followers,
  journeySteps,
  journeys,
  messages,
  testFollowers,
  testSends,
} from '../../db/schema';
import { createServices, type Services } from '../../services';
import type { Actor } from '../../services/deps';
import { ServiceError } from '../../services/errors';
import type { Role } from '../../services/members/roles';
import { SecretBox } from '../../services/secrets';
import { startSandbox, type RunningSandbox } from '../../wechat/sandbox';
import { SandboxControl } from '../../wechat/sandbox/control';
import { insertBrand, type TestBrand } from '../support/brands';
import { signedInMember } from '../support/signed-in';
import { startWebApp, type WebApp } from '../support/web-app';

const secretKey = randomBytes(32).toString('hex');
const box = new SecretBox(secretKey);
let handle: DbHandle;
let sandbox: RunningSandbox;
let control: SandboxControl;
let app: WebApp;
let s: Services;
let brand: TestBrand;
let flowId: string;
let couponTemplate: string;
const people = {} as Record<'editor' | 'viewer', Actor & { kind: 'user' }>;
const cookies = {} as Record<'editor' | 'viewer', string>;

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

/** A fan of the brand in both places: our followers table and the sandbox's account. */
async function fan(openid: string): Promise<void> {
  await handle.db
    .insert(followers)
    .values({ brandId: brand.id, openid, subscribed: true, subscribedAt: new Date() });
  await control.seedFollower(brand.appId, { openid, subscribed: true });
}

const post = (path: string, cookie: string, body: string, type = 'application/json') =>
  app.handle(
    new Request(`http://fanfare.test${path}`, {
      method: 'POST',
      headers: {
        cookie,
        'accept-language': 'en',
        'content-type': type,
        origin: 'http://fanfare.test',
        'sec-fetch-site': 'same-origin',
      },
      body,
    }),
  );
const testSendPath = () => `/brands/${brand.slug}/flows/${flowId}/test-send`;

beforeAll(async () => {
  handle = connect(inject('databaseUrl'), { max: 4 });
  sandbox = await startSandbox({ port: 0 });
  control = new SandboxControl(sandbox.url);
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = secretKey;
  process.env.WECHAT_API_BASE = sandbox.url;
  s = createServices({ db: handle.db, box, wechatApiBase: sandbox.url });
  const org = await s.members.organizations.create(`测试 ${randomBytes(3).toString('hex')}`);
  brand = await insertBrand(handle.db, box, { prefix: 'testsend' });
  await handle.db.update(brands).set({ organizationId: org.id }).where(eq(brands.id, brand.id));
  await control.registerAccount({ appId: brand.appId, secret: brand.secret, token: brand.token });
  people.editor = await person('editor', org.id);
  people.viewer = await person('viewer', org.id);
  cookies.editor = (await signedInMember(handle.db, brand.slug, 'editor')).cookie;
  cookies.viewer = (await signedInMember(handle.db, brand.slug, 'viewer')).cookie;
  const [flow] = await handle.db
    .insert(flows)
    .values({ brandId: brand.id, name: '会员欢迎', draft: {} })
    .returning({ id: flows.id });
  flowId = flow!.id;
  // The account's templates, as the brand's page syncs them (our name → WeChat's id).
  const synced = await s.messageTemplates.sync(people.editor, brand.slug);
  couponTemplate = synced.templates.find((t) => t.title === '优惠券到账提醒')!.name;
  await fan('o_tester_open');
  await fan('o_tester_closed');
  // Only the first tester has written to the account: WeChat opens 48 h of customer service.
  await control.text(brand.appId, 'o_tester_open', '你好');
  app = await startWebApp();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await sandbox?.stop();
  await handle?.close();
});

const text = { type: 'text' as const, text: '欢迎加入会员！' };
const template = () => ({
  type: 'template' as const,
  templateId: couponTemplate,
  data: { thing1: '满100减20券', character_string2: 'CP2026', time3: '2026-12-31 23:59' },
});

describe('test followers', () => {
  it('editors mark the brand’s own fans; viewers list; an unknown openid is E_UNKNOWN_FOLLOWER', async () => {
    expect(await s.testSends.listTestFollowers(people.viewer, brand.slug)).toEqual([]);
    expect(
      (
        await refusal(
          s.testSends.markTestFollower(people.viewer, brand.slug, { openid: 'o_tester_open' }),
        )
      ).code,
    ).toBe('forbidden');
    const unknown = await refusal(
      s.testSends.markTestFollower(people.editor, brand.slug, { openid: 'o_nobody' }),
    );
    expect(unknown).toMatchObject({ code: 'E_UNKNOWN_FOLLOWER', values: { openid: 'o_nobody' } });

    const marked = await s.testSends.markTestFollower(people.editor, brand.slug, {
      openid: 'o_tester_open',
      label: '王芳的手机',
    });
    expect(marked).toMatchObject({
      openid: 'o_tester_open',
      label: '王芳的手机',
      subscribed: true,
    });
    await s.testSends.markTestFollower(people.editor, brand.slug, { openid: 'o_tester_closed' });
    expect(
      (await s.testSends.listTestFollowers(people.viewer, brand.slug)).map((f) => f.openid),
    ).toEqual(['o_tester_open', 'o_tester_closed']);
    const audited = await handle.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brand.id), eq(auditLog.action, 'test_follower.marked')));
    expect(audited).toHaveLength(2);
  });

  it('a test send reaches the testers through WeChat marked 【测试】; a closed quota is skipped', async () => {
    const viewerTry = await refusal(
      s.testSends.testSend(people.viewer, brand.slug, {
        flowId,
        messages: [{ nodeId: 'welcome', message: text }],
      }),
    );
    expect(viewerTry.code).toBe('forbidden');

    const { results } = await s.testSends.testSend(people.editor, brand.slug, {
      flowId,
      messages: [
        { nodeId: 'welcome', message: text },
        { nodeId: 'coupon', message: template() },
      ],
    });
    expect(results).toEqual([
      {
        openid: 'o_tester_open',
        nodeId: 'welcome',
        outcome: 'sent',
        channel: 'customer_service',
        errcode: null,
        reason: null,
      },
      {
        openid: 'o_tester_closed',
        nodeId: 'welcome',
        outcome: 'skipped',
        channel: 'customer_service',
        errcode: 45015,
        reason: 'quota_closed',
      },
      {
        openid: 'o_tester_open',
        nodeId: 'coupon',
        outcome: 'sent',
        channel: 'template',
        errcode: null,
        reason: null,
      },
      {
        openid: 'o_tester_closed',
        nodeId: 'coupon',
        outcome: 'sent',
        channel: 'template',
        errcode: null,
        reason: null,
      },
    ]);

    const received = await control.sentMessages(brand.appId, 'o_tester_open');
    const cs = received.find((m) => m.channel === 'customer_service');
    expect(cs?.body).toMatchObject({
      msgtype: 'text',
      text: { content: '【测试】欢迎加入会员！' },
    });
    const tpl = received.find((m) => m.channel === 'template');
    expect(tpl?.body).toMatchObject({
      data: {
        thing1: { value: '【测试】满100减20券' },
        character_string2: { value: 'CP2026' },
      },
    });
    const closed = await control.sentMessages(brand.appId, 'o_tester_closed');
    expect(closed.map((m) => m.channel)).toEqual(['template']);

    // Recorded in test_sends, and audited once.
    const rows = await handle.db.select().from(testSends).where(eq(testSends.brandId, brand.id));
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.flowId === flowId)).toBe(true);
    const sent = await handle.db
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.brandId, brand.id), eq(auditLog.action, 'test_send.sent')));
    expect(sent).toEqual([
      {
        details: expect.objectContaining({ flowName: '会员欢迎', sent: 3, skipped: 1, failed: 0 }),
      },
    ]);
    expect(
      (await s.testSends.recentTestSends(people.viewer, brand.slug)).map((r) => r.outcome).sort(),
    ).toEqual(['sent', 'sent', 'sent', 'skipped']);
  });

  it('writes nothing to messages, journeys, journey steps or flow_stats', async () => {
    const n = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
    expect(
      await n(
        handle.db.select({ n: count() }).from(messages).where(eq(messages.brandId, brand.id)),
      ),
    ).toBe(0);
    expect(
      await n(
        handle.db.select({ n: count() }).from(journeys).where(eq(journeys.brandId, brand.id)),
      ),
    ).toBe(0);
    const brandJourneys = handle.db
      .select({ id: journeys.id })
      .from(journeys)
      .where(eq(journeys.brandId, brand.id));
    expect(
      await n(
        handle.db
          .select({ n: count() })
          .from(journeySteps)
          .where(inArray(journeySteps.journeyId, brandJourneys)),
      ),
    ).toBe(0);
    expect(
      await n(handle.db.select({ n: count() }).from(flowStats).where(eq(flowStats.flowId, flowId))),
    ).toBe(0);
  });

  it('refuses bad input, another brand’s flow, a 21st tester and a brand without credentials', async () => {
    const empty = await refusal(
      s.testSends.testSend(people.editor, brand.slug, { flowId, messages: [] }),
    );
    expect(empty.code).toBe('E_INPUT');
    const tooMany = await refusal(
      s.testSends.testSend(people.editor, brand.slug, {
        flowId,
        messages: Array.from({ length: 21 }, (_, i) => ({ nodeId: `n${i}`, message: text })),
      }),
    );
    expect(tooMany.code).toBe('E_INPUT');
    const broken = await refusal(
      s.testSends.testSend(people.editor, brand.slug, {
        flowId,
        messages: [{ nodeId: 'x', message: { type: 'text', text: '' } }],
      }),
    );
    expect(broken).toMatchObject({ code: 'E_INPUT', field: 'messages.0.message.text' });
    const otherFlow = await refusal(
      s.testSends.testSend(people.editor, brand.slug, {
        flowId: '00000000-0000-4000-8000-000000000000',
        messages: [{ nodeId: 'x', message: text }],
      }),
    );
    expect(otherFlow.code).toBe('flow_unknown');

    // Twenty test followers at most.
    const extra = Array.from({ length: 18 }, (_, i) => `o_extra_${i}`);
    await handle.db
      .insert(followers)
      .values(extra.map((openid) => ({ brandId: brand.id, openid, subscribed: true })));
    for (const openid of extra)
      await s.testSends.markTestFollower(people.editor, brand.slug, { openid });
    await handle.db.insert(followers).values({ brandId: brand.id, openid: 'o_21st' });
    const full = await refusal(
      s.testSends.markTestFollower(people.editor, brand.slug, { openid: 'o_21st' }),
    );
    expect(full).toMatchObject({ code: 'E_TOO_MANY', values: { max: 20 } });
    // Relabelling one already marked is not a 21st.
    await s.testSends.markTestFollower(people.editor, brand.slug, {
      openid: 'o_extra_0',
      label: 'renamed',
    });
    for (const openid of extra)
      expect(await s.testSends.unmarkTestFollower(people.editor, brand.slug, openid)).toEqual({
        removed: true,
      });
    expect(await s.testSends.unmarkTestFollower(people.editor, brand.slug, 'o_extra_0')).toEqual({
      removed: false,
    });
    expect(
      await handle.db.select().from(testFollowers).where(eq(testFollowers.brandId, brand.id)),
    ).toHaveLength(2);

    const bare = await insertBrand(handle.db, box, { prefix: 'testsend-bare' });
    await handle.db
      .update(brands)
      .set({ appId: '', appSecretEnc: '' })
      .where(eq(brands.id, bare.id));
    const notConnected = await refusal(
      s.testSends.testSend({ kind: 'operator' }, bare.slug, {
        messages: [{ nodeId: 'x', message: text }],
      }),
    );
    expect(notConnected.code).toBe('E_NOT_CONNECTED');
    expect(notConnected.message).not.toContain(brand.secret);
  });
});

describe('POST /brands/<slug>/flows/<flowId>/test-send', () => {
  it('answers the results, with each reason in words', async () => {
    const response = await post(
      testSendPath(),
      cookies.editor,
      JSON.stringify({ messages: [{ nodeId: 'welcome', message: text }] }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      results: { openid: string; outcome: string; reason: string | null; reasonText: string }[];
    };
    expect(body.results.map((r) => [r.openid, r.outcome, r.reason])).toEqual([
      ['o_tester_open', 'sent', null],
      ['o_tester_closed', 'skipped', 'quota_closed'],
    ]);
    expect(body.results[1]!.reasonText).toContain('must first send a message to the account');
  });

  it('bad JSON is a 400 with a code; an invalid body E_INPUT; a viewer 403', async () => {
    const bad = await post(testSendPath(), cookies.editor, '{"messages": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'E_JSON', message: expect.any(String) },
    });

    const invalid = await post(testSendPath(), cookies.editor, JSON.stringify({ messages: 'hi' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'E_INPUT' } });

    const viewer = await post(
      testSendPath(),
      cookies.viewer,
      JSON.stringify({ messages: [{ nodeId: 'welcome', message: text }] }),
    );
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ error: { code: expect.any(String) } });

    const form = await post(
      testSendPath(),
      cookies.editor,
      'messages=1',
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(415);
  });

  it('the test followers page lists them; the fan page marks and removes', async () => {
    const page = await app.handle(
      new Request(`http://fanfare.test/brands/${brand.slug}/test-followers`, {
        headers: { cookie: cookies.viewer, 'accept-language': 'zh-CN', accept: 'text/html' },
      }),
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('测试粉丝');
    expect(html).toContain('王芳的手机');
    expect(html).not.toContain('name="intent" value="unmark"');

    const fanPage = `/brands/${brand.slug}/followers/o_tester_closed`;
    const unmark = await post(
      fanPage,
      cookies.editor,
      'intent=unmark',
      'application/x-www-form-urlencoded',
    );
    expect(unmark.status).toBe(200);
    expect(
      (await s.testSends.listTestFollowers(people.viewer, brand.slug)).map((f) => f.openid),
    ).toEqual(['o_tester_open']);
    const mark = await post(
      fanPage,
      cookies.editor,
      new URLSearchParams({ intent: 'mark', label: '测试机', openid: 'o_ignored' }).toString(),
      'application/x-www-form-urlencoded',
    );
    expect(mark.status).toBe(200);
    expect(await s.testSends.listTestFollowers(people.viewer, brand.slug)).toEqual([
      expect.objectContaining({ openid: 'o_tester_open' }),
      expect.objectContaining({ openid: 'o_tester_closed', label: '测试机' }),
    ]);
    const viewerMark = await post(
      fanPage,
      cookies.viewer,
      'intent=unmark',
      'application/x-www-form-urlencoded',
    );
    expect(viewerMark.status).toBe(403);
  });
});
