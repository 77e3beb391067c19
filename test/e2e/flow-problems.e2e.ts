/**
 * What went wrong while a flow ran, as its marketer sees it in a real Chromium, in English and
 * in Chinese: a broadcast whose audience the date sweep could not select (recorded against the
 * flow by workflows/activities/sweeps.ts) and a webhook refused because its address is inside
 * (workflows/activities/profile.ts) — on the flows list and as a banner on the flow page.
 * The records are written the way the worker writes them, straight into the stack's database.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { compile } from '../../engine/compile';
import { patternProblem } from '../../engine/patterns';
import { flowVersions, flows, followers, journeySteps, journeys, sweeps } from '../../db/schema';
import { brandId, closeTestDb, testDb } from './support/db';
import { createBrand, launch, openPage, SCREENSHOTS } from './support/editor';

const slug = `e2e-problems-${randomBytes(3).toString('hex')}`;
let browser: Browser;
let broadcastFlow = '';

async function liveFlow(brand: string, doc: Record<string, unknown>) {
  const { db } = testDb();
  // Published while the operator allowed 10.0.0.0/8; the worker's list no longer does.
  const plan = compile(doc, { webhookAllowList: ['10.0.0.0/8'] });
  const [flow] = await db
    .insert(flows)
    .values({ brandId: brand, name: String(doc.name), status: 'live', draft: doc })
    .returning({ id: flows.id });
  const [version] = await db
    .insert(flowVersions)
    .values({
      flowId: flow!.id,
      version: 1,
      document: doc,
      plan: plan as never,
      contentHash: plan.hash,
    })
    .returning({ id: flowVersions.id });
  await db.update(flows).set({ liveVersionId: version!.id }).where(eq(flows.id, flow!.id));
  return { flowId: flow!.id, versionId: version!.id };
}

before(async () => {
  browser = await launch();
  await createBrand(slug, `问题 Problems ${slug}`);
  const brand = await brandId(slug);
  const { db } = testDb();

  const broadcast = await liveFlow(brand, {
    format: 'fanfare.flow/v1',
    name: '上海会员群发 Shanghai broadcast',
    nodes: [
      {
        id: 'blast',
        label: '上海会员 Shanghai members',
        kind: 'trigger.audience',
        config: {
          at: '2026-01-01T10:00:00+08:00',
          audience: { fact: 'follower', path: '$.city', operator: 'matches', value: 'Shang' },
        },
      },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [{ id: 'e', from: 'blast', to: 'end' }],
  });
  broadcastFlow = broadcast.flowId;
  await db.insert(sweeps).values({
    brandId: brand,
    flowVersionId: broadcast.versionId,
    nodeId: 'blast',
    localDate: 'once',
    status: 'failed',
    failure: 'invalid_rules',
    failureDetail: { text: patternProblem('(?<n>Shang)hai')!.sentence },
    failedAt: new Date(),
  });

  const hook = await liveFlow(brand, {
    format: 'fanfare.flow/v1',
    name: 'CRM 通知 CRM notify',
    nodes: [
      { id: 'f', kind: 'trigger.follow' },
      {
        id: 'crm',
        label: '通知 CRM',
        kind: 'action.webhook',
        config: { url: 'http://10.1.2.3/hook' },
      },
    ],
    edges: [{ id: 'e', from: 'f', to: 'crm' }],
  });
  const [fan] = await db
    .insert(followers)
    .values({ brandId: brand, openid: `o_${randomUUID().slice(0, 8)}`, subscribed: true })
    .returning({ id: followers.id });
  const [journey] = await db
    .insert(journeys)
    .values({
      brandId: brand,
      flowId: hook.flowId,
      flowVersionId: hook.versionId,
      followerId: fan!.id,
      workflowId: `journey:${randomUUID()}`,
      entryKey: 'once',
      status: 'failed',
      exitReason: 'E_WEBHOOK_REFUSED',
      endedAt: new Date(),
    })
    .returning({ id: journeys.id });
  await db.insert(journeySteps).values({
    journeyId: journey!.id,
    nodeId: 'crm',
    stepKey: `${journey!.id}:crm:1`,
    kind: 'action.webhook',
    status: 'failed',
    reason: 'webhook_refused',
    output: { host: '10.1.2.3', address: '10.1.2.3', category: 'private' },
    completedAt: new Date(),
  });
});

after(async () => {
  await browser?.close();
  await closeTestDb();
});

const expected = {
  en: {
    sweep: [
      '上海会员 Shanghai members: its followers could not be selected',
      'uses a named group (?<name>…)',
      'publish again',
    ],
    webhook: [
      '通知 CRM: calls to 10.1.2.3 were refused',
      'inside a private network',
      'journeys stopped here in the last 7 days: 1',
    ],
    heading: 'Needs attention',
  },
  'zh-CN': {
    sweep: ['上海会员 Shanghai members：未能筛选粉丝', '使用了命名分组 (?<name>…)', '重新发布'],
    webhook: ['通知 CRM：对 10.1.2.3 的调用被拒绝', '位于内网', '近 7 天在此停止的旅程：1'],
    heading: '需要处理',
  },
} as const;

for (const [lang, locale] of [
  ['en', 'en-US'],
  ['zh-CN', 'zh-CN'],
] as const) {
  test(`the flows list and the flow page show what went wrong (${lang})`, async () => {
    const { context, page, problems } = await openPage(browser, `/brands/${slug}`, locale);
    try {
      const notes = page.getByTestId('flow-problems');
      await notes.first().waitFor();
      const text = (await notes.allInnerTexts()).join('\n');
      for (const part of [...expected[lang].sweep, ...expected[lang].webhook])
        assert.ok(text.includes(part), `${part} in ${text}`);
      await page.screenshot({
        path: `${SCREENSHOTS}/flow-problems-list-${lang}.png`,
        fullPage: true,
      });

      await page.goto(new URL(`/brands/${slug}/flows/${broadcastFlow}`, page.url()).href);
      const banner = page.getByRole('note', { name: expected[lang].heading });
      await banner.waitFor({ timeout: 60_000 });
      const bannerText = await banner.innerText();
      for (const part of expected[lang].sweep)
        assert.ok(bannerText.includes(part), `${part} in ${bannerText}`);
      await page.screenshot({ path: `${SCREENSHOTS}/flow-problems-editor-${lang}.png` });
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
