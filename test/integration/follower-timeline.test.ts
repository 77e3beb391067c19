/**
 * Issue 12, acceptance 2 and 4 on the real stack. A follower's timeline lists, in order and in
 * plain language (en and zh-CN), the scan, the journey, each step with its reason, the message
 * text as sent and the coupon code; a push skipped for lack of quota says why in words. A
 * coupon redeemed through the events API is marked once (a second report is a 409), and counts
 * as a conversion of the journey that issued it and of the QR channel the fan came by.
 */
import { and, eq, sql } from 'drizzle-orm';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { handleEventsApi } from '../../app/lib/events-api.server';
import {
  handleChannelStatsApi,
  handleFlowStatsApi,
  handleFollowerApi,
} from '../../app/lib/read-api.server';
import { couponCodes, followers, journeys, qrChannels } from '../../db/schema';
import { REASONS } from '../../engine/outcomes';
import { createApiKey } from '../../services/api-keys/store';
import type { FlowStats } from '../../services/analytics/stats';
import { createFollowerTimeline, type FollowerView } from '../../services/analytics/timeline';
import { journeyRows, seedCupWorld, startRuntime, type Runtime } from '../support/runtime';
import { signedInMember } from '../support/signed-in';
import { startWebApp } from '../support/web-app';

let rt: Runtime;
let key: string;
beforeAll(async () => {
  rt = await startRuntime();
  await seedCupWorld(rt, ['CUP-T1', 'CUP-T2']);
  key = (await createApiKey(rt.handle.db, rt.brand.id, 'timeline')).key;
  await rt.handle.db.insert(qrChannels).values({
    brandId: rt.brand.id,
    name: '杯套',
    scene: 'cup-2012',
    kind: 'permanent',
    ticket: 't',
    url: 'http://weixin.qq.com/q/x',
  });
});
afterAll(() => rt?.close());

const headers = () => ({ authorization: `Bearer ${key}` });

async function follower(openid: string): Promise<FollowerView> {
  const res = await handleFollowerApi(
    rt.handle.db,
    rt.brand.slug,
    openid,
    new Request(`http://test/api/v1/brands/${rt.brand.slug}/followers/${openid}`, {
      headers: headers(),
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as FollowerView;
}

function postEvent(body: unknown) {
  return handleEventsApi(
    rt.handle.db,
    rt.brand.slug,
    new Request(`http://test/api/v1/brands/${rt.brand.slug}/events`, {
      method: 'POST',
      headers: { ...headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

it('tells a follower’s story in order, and credits a redeemed coupon to its journey and channel', async () => {
  const { flowId } = await rt.publish('test/fixtures/flows/results/cup-qr-stats.json');
  const completed = (n: number) =>
    expect
      .poll(
        async () => (await journeyRows(rt, flowId)).filter((j) => j.status === 'completed').length,
        { timeout: 60_000, interval: 250 },
      )
      .toBe(n);

  await rt.running(async () => {
    await rt.control.follow(rt.brand.appId, 'o_t1', { scene: 'cup-2012' });
    await completed(1);
    // A minute later the window is closed: the survey's thank-you cannot go out.
    await rt.handle.db
      .update(followers)
      .set({ quotaExpiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(followers.brandId, rt.brand.id), eq(followers.openid, 'o_t1')));
    expect(
      (await postEvent({ type: 'custom', openid: 'o_t1', name: 'survey_done', id: 'sv-t1' }))
        .status,
    ).toBe(202);
    await completed(2);
  });

  const [issued] = await rt.handle.db
    .select()
    .from(couponCodes)
    .innerJoin(journeys, eq(journeys.id, couponCodes.journeyId))
    .where(and(eq(couponCodes.status, 'issued'), eq(journeys.flowId, flowId)));
  const code = issued!.coupon_codes.code;
  expect(code).toBe('CUP-T1');

  const f = await follower('o_t1');
  expect(f.profile.subscribed).toBe(true);
  expect(f.profile.qrScene).toBe('cup-2012');
  expect(f.tags).toContain('cup_fan');
  expect(f.quota.open).toBe(false);
  expect(f.quota.reason).toBe('quota_closed');
  expect(f.quota.text).toEqual(REASONS.quota_closed);

  // Newest first; read oldest first, it is the story.
  const story = [...f.timeline].reverse();
  const ats = f.timeline.map((e) => e.at);
  expect([...ats].sort().reverse()).toEqual(ats);
  const en = story.map((e) => e.text.en);
  const flowName = '"杯套扫码：新粉领券，老粉欢迎回来"';
  expect(en.slice(0, 8)).toEqual([
    'Followed the account by scanning the QR code “cup-2012”.',
    `Entered the flow ${flowName}.`,
    // The tag step's own event (a tag_added trigger may start another flow).
    'Was tagged “cup_fan”.',
    '"打上杯套粉丝标签": tags updated.',
    `"发放杯套券": issued the coupon ${code} from “cup-coupon”.`,
    `"发送券码": sent as a customer-service message: “欢迎！你的专属券码：${code}”.`,
    'Reached the end "结束".',
    `Finished the flow ${flowName}.`,
  ]);
  expect(story[0]!.kind).toBe('event');
  expect(story[4]).toMatchObject({ kind: 'step', nodeId: 'coupon', coupon: { code } });
  expect(story[5]).toMatchObject({
    kind: 'step',
    flowId,
    nodeId: 'push',
    message: { channel: 'customer_service', outcome: 'sent' },
  });
  expect(story[5]!.text['zh-CN']).toBe(
    `「发送券码」：以客服消息发送：“欢迎！你的专属券码：${code}”。`,
  );
  // The survey: the event, the journey, and the push skipped — in words.
  expect(en.slice(8)).toEqual([
    'Event “survey_done”.',
    `Entered the flow ${flowName}.`,
    `"感谢": not sent as a customer-service message. ${REASONS.quota_closed!.en}`,
    'Reached the end "结束".',
    `Finished the flow ${flowName}.`,
  ]);
  expect(story[10]!.text['zh-CN']).toBe(
    `「感谢」：未以客服消息发送。${REASONS.quota_closed!['zh-CN']}`,
  );
  expect(story[10]).toMatchObject({ status: 'skipped', reason: 'quota_closed' });

  // The till reports the coupon redeemed: once.
  const redeem = { type: 'coupon_redeemed', code, orderId: 'POS-1', store: '静安店' };
  const first = await postEvent(redeem);
  expect(first.status).toBe(202);
  expect(await first.json()).toMatchObject({ ok: true, code, converted: true });
  const second = await postEvent({ ...redeem, orderId: 'POS-2' });
  expect(second.status).toBe(409);
  expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
    'E_ALREADY_REDEEMED',
  );
  const unknown = await postEvent({ ...redeem, code: 'NOPE' });
  expect(unknown.status).toBe(404);
  const [row] = await rt.handle.db.select().from(couponCodes).where(eq(couponCodes.code, code));
  expect(row).toMatchObject({
    status: 'redeemed',
    redeemedOrderId: 'POS-1',
    redeemedStore: '静安店',
  });

  // A conversion of the journey that issued it (and of no other)…
  const issuing = (await journeyRows(rt, flowId)).filter((j) => j.convertedAt !== null);
  expect(issuing.map((j) => j.id)).toEqual([issued!.journeys.id]);
  const stats = (await (
    await handleFlowStatsApi(
      rt.handle.db,
      rt.brand.slug,
      flowId,
      new Request('http://test/stats', { headers: headers() }),
    )
  ).json()) as FlowStats;
  expect(stats.journeys).toMatchObject({ entered: 2, completed: 2, converted: 1 });
  // …and of the QR channel the fan came by.
  const channels = (await (
    await handleChannelStatsApi(
      rt.handle.db,
      rt.brand.slug,
      new Request('http://test/stats', { headers: headers() }),
    )
  ).json()) as { channels: Record<string, unknown> };
  expect(channels.channels['cup-2012']).toEqual({ converted: 1, couponsRedeemed: 1 });

  // The timeline tells it too.
  const after = await follower('o_t1');
  expect(after.timeline.slice(0, 2).map((e) => e.text.en)).toEqual([
    `Converted in the flow ${flowName}: redeemed the coupon it issued.`,
    `Redeemed the coupon ${code} at 静安店 (order POS-1).`,
  ]);
  // A shorter page is the newest part of the whole story, though the steps older than what it
  // can show are not read (services/analytics/timeline.ts). From 2 on: a page reads the
  // `limit` newest journeys, and this fan has two.
  const timeline = createFollowerTimeline({ db: rt.handle.db });
  for (let k = 2; k <= after.timeline.length; k++) {
    const page = await timeline.read(rt.brand.id, 'o_t1', { limit: String(k) });
    expect(page.ok && JSON.parse(JSON.stringify(page.follower.timeline))).toEqual(
      after.timeline.slice(0, k),
    );
  }

  // The CLI answers the same, from the same place.
  const cliStats = fanfare('flow', 'stats', flowId, '--brand', rt.brand.slug, '--json');
  expect(cliStats.status).toBe(0);
  expect(JSON.parse(cliStats.stdout)).toEqual(stats);
  const table = fanfare('flow', 'stats', flowId, '--brand', rt.brand.slug);
  expect(table.stdout).toMatch(
    /journeys: entered 2, active 0, completed 2, exited 0, failed 0, converted 1/,
  );
  expect(table.stdout).toMatch(/thanks +entered 1, .*skipped quota_closed=1/);
  const show = fanfare('follower', 'show', 'o_t1', '--brand', rt.brand.slug, '--lang', 'zh-CN');
  expect(show.status).toBe(0);
  expect(show.stdout).toContain(`「发送券码」：以客服消息发送：“欢迎！你的专属券码：${code}”。`);
  const json = fanfare('follower', 'show', 'o_t1', '--brand', rt.brand.slug, '--json');
  expect(JSON.parse(json.stdout).timeline).toEqual(after.timeline);
  const missing = fanfare('follower', 'show', 'o_nobody', '--brand', rt.brand.slug);
  expect(missing.status).toBe(1);
  expect(missing.stderr).toMatch(/error E_NOT_FOUND: /);
});

const fanfare = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      FANFARE_SECRET_KEY: 'ab'.repeat(32),
    },
  });

it('shows the follower page to a member, in their language; another brand’s fan is a 404', async () => {
  process.env.DATABASE_URL = inject('databaseUrl');
  process.env.FANFARE_SECRET_KEY = rt.secretKeyHex;
  const app = await startWebApp();
  try {
    const viewer = await signedInMember(rt.handle.db, rt.brand.slug, 'viewer');
    const get = (path: string, lang: string) =>
      app.handle(
        new Request(`http://fanfare.test${path}`, {
          headers: { 'accept-language': lang, cookie: viewer.cookie },
          redirect: 'manual',
        }),
      );
    const zh = await get(`/brands/${rt.brand.slug}/followers/o_t1`, 'zh-CN');
    expect(zh.status).toBe(200);
    const html = await zh.text();
    expect(html).toContain('粉丝 o_t1');
    expect(html).toContain('「发送券码」：以客服消息发送：“欢迎！你的专属券码：CUP-T1”。');
    expect(html).toContain(REASONS.quota_closed!['zh-CN']);
    const en = await (await get(`/brands/${rt.brand.slug}/followers/o_t1`, 'en')).text();
    expect(en).toContain('Redeemed the coupon CUP-T1 at 静安店 (order POS-1).');
    expect((await get(`/brands/${rt.brand.slug}/followers/o_nobody`, 'en')).status).toBe(404);
  } finally {
    await app.close();
  }
}, 120_000);

it('answers an unknown follower and a bad limit with a code and a sentence', async () => {
  const ask = (path: string) =>
    handleFollowerApi(
      rt.handle.db,
      rt.brand.slug,
      path.split('?')[0]!,
      new Request(`http://test/api/v1/brands/${rt.brand.slug}/followers/${path}`, {
        headers: headers(),
      }),
    );
  const nobody = await ask('o_nobody');
  expect(nobody.status).toBe(404);
  expect(((await nobody.json()) as { error: { code: string } }).error.code).toBe('E_NOT_FOUND');
  const bad = await ask('o_t1?limit=0');
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('E_LIMIT');
});
