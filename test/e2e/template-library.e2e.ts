/**
 * Issue 13, acceptance 4 in real Chromium (zh-CN): brand A's cup-QR flow saved as a template
 * from the flow editor ("保存为模板": the pool and the scene renamed, the push text ticked as a
 * parameter), then used in brand B through the binding form — B's own coupon pool and QR scene — which opens the new
 * draft flow in B's editor; the flow remembers the template and B's bindings. The library
 * previews the template read-only on the canvas.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { flows } from '../../db/schema';
import { fanfare } from './stack';
import { brandId, closeTestDb, testDb } from './support/db';
import {
  createBrand,
  editorReady,
  failureShot,
  launch,
  openPage,
  SCREENSHOTS,
  shot,
} from './support/editor';

const stamp = Date.now().toString(36);
const A = `e2e-tpla-${stamp}`;
const B = `e2e-tplb-${stamp}`;
const TEMPLATE = `杯套模板 ${stamp}`;

let browser: Browser;
before(async () => {
  await createBrand(A, '模板甲 Template A');
  await createBrand(B, '模板乙 Template B');
  const pool = await fanfare(
    process.env,
    [
      'coupon-pool',
      'create',
      '--brand',
      B,
      '--name',
      'b-pool',
      '--generate',
      '5',
      '--expires',
      '30d',
    ],
    'ignore',
  );
  assert.equal(pool, 0, 'fanfare coupon-pool create (brand B)');
  const imported = await fanfare(
    process.env,
    ['flow', 'import', 'test/fixtures/flows/valid/cup-qr-coupon-vip.json', '--brand', A],
    'ignore',
  );
  assert.equal(imported, 0, 'fanfare flow import (brand A)');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

test('save a flow as a template in zh-CN, then use it in another brand through the binding form', async () => {
  const [flowA] = await testDb()
    .db.select()
    .from(flows)
    .where(eq(flows.brandId, await brandId(A)));
  assert.ok(flowA, 'brand A has the imported flow');
  const { context, page, problems } = await openPage(
    browser,
    `/brands/${A}/flows/${flowA.id}`,
    'zh-CN',
  );
  await failureShot(page, 'template-library-failure', async () => {
    await editorReady(page);
    await page.getByRole('link', { name: '保存为模板' }).click();
    await page.waitForURL(/\/templates\?save=/);
    await page.getByLabel('模板名称', { exact: true }).fill(TEMPLATE);
    // The flow's values to tick: the brand resources are parameters already (renamed here),
    // the push text becomes one when ticked.
    const choices = page.getByTestId('template-param-choices');
    await choices.getByTestId('candidate-coupon.pool').getByRole('textbox').fill('pool');
    await choices.getByTestId('candidate-scan.scenes.0').getByRole('textbox').fill('scene');
    const push = choices.getByTestId('candidate-push.message.text');
    await push.getByRole('checkbox').check();
    await push.getByRole('textbox').fill('welcome');
    await shot(page, 'template-library-save-form');
    await page
      .getByRole('region', { name: '将流程保存为模板' })
      .screenshot({ path: `${SCREENSHOTS}template-library-save-form-whole.png` });
    await page.getByRole('button', { name: '保存为模板' }).click();
    await page.getByText(`已保存为模板“${TEMPLATE}”的第 1 版。`).waitFor();
    await shot(page, 'template-library-saved');
    // Said "saved" once the list is read again: the new template is in it.
    await page.getByRole('row', { name: new RegExp(TEMPLATE) }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'template-library-saved-list');

    // The library previews it read-only on the canvas.
    await page
      .getByRole('row', { name: new RegExp(TEMPLATE) })
      .getByRole('link', { name: '预览' })
      .click();
    await page.getByTestId('template-canvas').locator('.react-flow__node').first().waitFor();
    assert.equal(
      await page.getByTestId('template-canvas').locator('.react-flow__node').count(),
      6,
      'the preview draws the six steps',
    );
    await shot(page, 'template-library-preview');

    // Brand B: the library, "use", the binding form over B's own resources.
    await page.goto(new URL(`/brands/${B}/templates`, process.env.BASE_URL).href);
    await page.getByTestId(`use-${TEMPLATE}`).click();
    await page.getByTestId('binding-form').waitFor();
    await page.getByLabel('pool (券池)').selectOption('b-pool');
    await page.getByLabel('scene (二维码场景)').fill('cup_2024');
    await page.getByLabel('welcome (文案)').waitFor();
    await shot(page, 'template-library-binding-form');
    await page
      .getByTestId('binding-form')
      .screenshot({ path: `${SCREENSHOTS}template-library-binding-form-whole.png` });
    await page.getByRole('button', { name: '生成流程草稿' }).click();
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 60_000 });
    await editorReady(page);
  });
  const flowB = page.url().split('/').pop()!;
  const [row] = await testDb().db.select().from(flows).where(eq(flows.id, flowB));
  assert.equal(row?.brandId, await brandId(B));
  assert.deepEqual(row?.templateBindings, { pool: 'b-pool', scene: 'cup_2024' });
  assert.ok(row?.templateVersionId, 'the flow remembers its template version');
  assert.match(JSON.stringify(row?.draft), /"pool":"b-pool"/);
  assert.deepEqual(problems, []);
  await context.close();
});
