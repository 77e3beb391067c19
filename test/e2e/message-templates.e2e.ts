/**
 * Message templates in real Chromium: "Sync from WeChat" on the brand's Message templates page
 * imports the sandbox account's templates; in the editor a template push offers them by title,
 * one input per keyword labelled as WeChat shows it with its length hint, and the phone
 * preview renders the template card.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { flows, messageTemplates } from '../../db/schema';
import { fanfare } from './stack';
import { brandId, closeTestDb, testDb } from './support/db';
import {
  createBrand,
  editorReady,
  failureShot,
  launch,
  openPage,
  selectNode,
  shot,
} from './support/editor';

const SLUG = `e2e-tpl-${Date.now().toString(36)}`;

let browser: Browser;
before(async () => {
  await createBrand(SLUG, '模板猫咖 Template Café');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

test('sync the templates, then compose a template push with one input per keyword and its card', async () => {
  const { context, page, problems } = await openPage(
    browser,
    `/brands/${SLUG}/message-templates`,
    'en-US',
  );
  await failureShot(page, 'message-templates-failure', async () => {
    await page.getByText('No message templates yet').waitFor();
    await page.getByRole('button', { name: 'Sync from WeChat' }).click();
    await page.getByRole('status').filter({ hasText: '3 templates synced from WeChat.' }).waitFor();
    await page.getByRole('rowheader', { name: /会员注册成功通知/ }).waitFor();
    await shot(page, 'message-templates-page');

    const [joined] = await testDb()
      .db.select()
      .from(messageTemplates)
      .where(
        and(
          eq(messageTemplates.brandId, await brandId(SLUG)),
          eq(messageTemplates.title, '会员注册成功通知'),
        ),
      );
    assert.ok(joined, 'the template was stored');

    // A flow with a template push (imported as a draft), opened in the editor.
    const file = `${mkdtempSync('/tmp/fanfare-e2e-tpl-')}/flow.json`;
    writeFileSync(
      file,
      JSON.stringify({
        format: 'fanfare.flow/v1',
        name: '注册通知',
        nodes: [
          {
            id: 'follow',
            kind: 'trigger.follow',
            label: '新关注',
            position: { x: 0, y: 0 },
            config: {},
          },
          {
            id: 'notify',
            kind: 'action.push',
            label: '注册通知',
            position: { x: 280, y: 0 },
            config: {
              channel: 'template',
              message: { type: 'template', templateId: joined.wechatTemplateId, data: {} },
            },
          },
        ],
        edges: [{ id: 'e1', from: 'follow', port: 'next', to: 'notify' }],
      }),
    );
    assert.equal(
      await fanfare(process.env, ['flow', 'import', file, '--brand', SLUG], 'ignore'),
      0,
    );
    const [flow] = await testDb()
      .db.select({ id: flows.id })
      .from(flows)
      .where(and(eq(flows.brandId, await brandId(SLUG)), eq(flows.name, '注册通知')));
    await page.goto(new URL(`/brands/${SLUG}/flows/${flow!.id}`, page.url()).href);
    await editorReady(page);
    const panel = await selectNode(page, 'notify');

    const picker = panel.getByLabel('Template', { exact: true });
    assert.match(
      (await picker.locator('option:checked').textContent()) ?? '',
      /^会员注册成功通知 \(/,
    );
    const name = panel.getByLabel('会员名称 (thing1)');
    await panel.getByLabel('会员卡号 (character_string2)').waitFor();
    await panel.getByLabel('注册时间 (time3)').waitFor();
    await name.fill('猫咖会员');
    await panel.getByText('Up to 20 characters of text · 4 / 20 characters').waitFor();
    await panel.getByLabel('会员卡号 (character_string2)').fill('{{follower.openid}}');

    const card = page.getByTestId('template-card');
    await card.getByText('会员注册成功通知').waitFor();
    await card.getByText('猫咖会员').waitFor();
    await card.getByText('oSample').waitFor();

    // Too long for a thing: counted in red, and a warning once validated.
    await name.fill('一二三四五六七八九十一二三四五六七八九十一');
    await panel.getByText('21 / 20 characters').waitFor();
    await page
      .getByText(/has 21 characters; WeChat takes at most 20/)
      .first()
      .waitFor();
    await shot(page, 'message-templates-composer');
    assert.deepEqual(problems, []);
  });
  await context.close();
});
