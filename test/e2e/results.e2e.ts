/**
 * Issue 12 as a marketer sees it (zh-CN, real Chromium, the whole stack): a live store-QR flow
 * run by two fans who scan (one of them twice) shows its numbers on the canvas, and a fan's
 * page tells the story — the scan, the journey, the steps, the message as sent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { flows, journeys } from '../../db/schema';
import { SandboxControl } from '../../wechat/sandbox/control';
import { fanfare } from './stack';
import { brandId, closeTestDb, testDb } from './support/db';
import { createBrand, editorReady, failureShot, launch, openPage, shot } from './support/editor';

const slug = `e2e-results-${Date.now().toString(36)}`;
let appId: string;
let browser: Browser;

before(async () => {
  ({ appId } = await createBrand(slug, '结果门店 Results Store'));
  const env = process.env;
  const flowFile = storeFlowOnCupChannel();
  assert.equal(
    await fanfare(
      env,
      ['coupon-pool', 'create', '--brand', slug, '--name', 'store-welcome', '--generate', '5'],
      'ignore',
    ),
    0,
    'fanfare coupon-pool create',
  );
  assert.equal(
    await fanfare(env, ['flow', 'import', flowFile, '--brand', slug, '--publish'], 'inherit'),
    0,
    'fanfare flow import --publish',
  );
  browser = await launch();
});

/** The store-QR welcome flow on the brand's own QR channel (createBrand's cup_2024), laid out. */
function storeFlowOnCupChannel(): string {
  const doc = JSON.parse(readFileSync('test/e2e/fixtures/store-qr-welcome.json', 'utf8'));
  doc.nodes[0].config.scenes = ['cup_2024'];
  // Laid out in a row, as the editor would place them, so the canvas shows every step.
  doc.nodes.forEach((n: { position?: { x: number; y: number } }, i: number) => {
    n.position = { x: i * 280, y: 0 };
  });
  const file = join(mkdtempSync(join(tmpdir(), 'fanfare-results-')), 'flow.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}
after(async () => {
  await browser?.close();
  await closeTestDb();
});

test('the canvas counts what the flow did, and a fan page tells their story (zh-CN)', async () => {
  const sandbox = new SandboxControl(process.env.WECHAT_SANDBOX_URL!);
  await sandbox.follow(appId, 'o_results_a', { scene: 'cup_2024' });
  await sandbox.follow(appId, 'o_results_b', { scene: 'cup_2024' });
  await sandbox.scan(appId, 'o_results_a', 'cup_2024');

  const brand = await brandId(slug);
  const [flow] = await testDb().db.select().from(flows).where(eq(flows.brandId, brand));
  assert.ok(flow, 'the imported flow');
  const deadline = Date.now() + 90_000;
  for (;;) {
    const done = await testDb()
      .db.select()
      .from(journeys)
      .where(and(eq(journeys.flowId, flow.id), eq(journeys.status, 'completed')));
    if (done.length === 2) break;
    assert.ok(Date.now() < deadline, `two journeys completed (have ${done.length})`);
    await new Promise((r) => setTimeout(r, 500));
  }

  const { context, page, problems } = await openPage(
    browser,
    `/brands/${slug}/flows/${flow.id}`,
    'zh-CN',
  );
  await failureShot(page, 'results-canvas-failure', async () => {
    await editorReady(page);
    const push = page.locator('.react-flow__node[data-id="push"]').getByTestId('node-stats');
    await push.getByText('已发送 2').waitFor();
    await page
      .locator('.react-flow__node[data-id="scan"]')
      .getByTestId('node-stats')
      .getByText('进入 2')
      .waitFor();
    await shot(page, 'results-canvas-zh');

    await page.goto(new URL(`/brands/${slug}/followers/o_results_a`, process.env.BASE_URL).href);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    await timeline
      .getByText(/欢迎光临！券码/)
      .first()
      .waitFor();
    await shot(page, 'results-follower-zh');
  });
  assert.deepEqual(problems, []);
  await context.close();
});
