/**
 * The expiry of a coupon pool on the coupons page, in real Chromium: chosen when the pool is
 * created and changed on its card, refused on the field with a sentence when it is not a
 * last day from today on or 1 to 3650 days — in English and in Chinese.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { couponPools } from '../../db/schema';
import { brandId, closeTestDb, testDb } from './support/db';
import { createBrand, failureShot, launch, openPage, shot } from './support/editor';

const SLUG = `e2e-expiry-${Date.now().toString(36)}`;

let browser: Browser;
before(async () => {
  await createBrand(SLUG, '有效期咖啡 Expiry Café');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

async function storedPool(name: string) {
  const [row] = await testDb()
    .db.select()
    .from(couponPools)
    .where(and(eq(couponPools.brandId, await brandId(SLUG)), eq(couponPools.name, name)));
  return row;
}

const createCard = (page: Page, heading: string) =>
  page.locator('.res-card', { has: page.getByRole('heading', { name: heading, exact: true }) });

test('en: a pool is created with days after issue, then given a last day; bad values are refused on the field', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}/coupons`, 'en-US');
  await failureShot(page, 'coupon-expiry-en-failure', async () => {
    const form = createCard(page, 'New coupon pool');
    await form.getByLabel('Pool name').fill('welcome-week');
    await form.getByRole('radio', { name: 'Good for a number of days after issue' }).check();
    const days = form.getByLabel('Days after issue', { exact: true });
    await days.fill('0');
    await form.getByRole('button', { name: 'Create pool' }).click();
    // Refused on the field, in words; nothing stored.
    await form.getByText('Enter a whole number of days from 1 to 3650.').waitFor();
    assert.equal(await days.getAttribute('aria-invalid'), 'true');
    assert.match((await days.getAttribute('aria-describedby')) ?? '', /error/);
    assert.equal(await storedPool('welcome-week'), undefined);

    await days.fill('14');
    await form.getByRole('button', { name: 'Create pool' }).click();
    await page.getByRole('status').filter({ hasText: 'Pool “welcome-week” created' }).waitFor();
    const card = page.getByRole('article', { name: 'welcome-week' });
    await card.getByText('Good for 14 days after issue').waitFor();
    assert.deepEqual(
      {
        expiresAt: (await storedPool('welcome-week'))?.expiresAt,
        days: (await storedPool('welcome-week'))?.expiresAfterDays,
      },
      { expiresAt: null, days: 14 },
    );
    // The create form starts afresh for the next pool.
    assert.equal(await form.getByRole('radio', { name: 'No expiry' }).isChecked(), true);

    // On the card: a day in the past is refused, a future one saved.
    await card.getByRole('radio', { name: 'Good through a date' }).check();
    const lastDay = card.getByLabel('Last day', { exact: true });
    await lastDay.fill('2020-01-31');
    await card.getByRole('button', { name: 'Save expiry' }).click();
    await card
      .getByText(
        /2020-01-31 is in the past \(today is \d{4}-\d{2}-\d{2} in Asia\/Shanghai\); choose today or a later day\./,
      )
      .waitFor();
    assert.equal(
      await card.getByLabel('Last day', { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    assert.equal((await storedPool('welcome-week'))?.expiresAfterDays, 14, 'nothing changed');

    await card.getByLabel('Last day', { exact: true }).fill('2099-12-31');
    await card.getByRole('button', { name: 'Save expiry' }).click();
    await card
      .getByText('Expiry of “welcome-week” saved; it applies to codes issued from now on.')
      .waitFor();
    await card.getByText('Good through 2099-12-31').waitFor();
    const stored = await storedPool('welcome-week');
    assert.equal(stored?.expiresAfterDays, null);
    // The end of that day in the brand's zone (Asia/Shanghai, UTC+8).
    assert.equal(stored?.expiresAt?.toISOString(), '2099-12-31T15:59:59.999Z');
    await shot(page, 'coupon-expiry-en');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('zh-CN: the expiry fields and their errors are in Chinese; a pool without expiry says what messages will show', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}/coupons`, 'zh-CN');
  await failureShot(page, 'coupon-expiry-zh-failure', async () => {
    const form = createCard(page, '新建优惠券池');
    await form.getByRole('group', { name: '有效期' }).waitFor();
    await form.getByLabel('券池名称').fill('无期限');
    await form.getByRole('radio', { name: '领取后若干天内有效' }).check();
    await form.getByLabel('领取后天数', { exact: true }).fill('4000');
    await form.getByRole('button', { name: '创建券池' }).click();
    await form.getByText('请填写 1 到 3650 之间的整数天数。').waitFor();

    await form.getByRole('radio', { name: '不设有效期' }).check();
    await form.getByRole('button', { name: '创建券池' }).click();
    await page.getByRole('status').filter({ hasText: '已创建券池“无期限”' }).waitFor();
    const card = page.getByRole('article', { name: '无期限' });
    await card.getByText('未设有效期').waitFor();
    await card.getByText('使用 {{coupon.expiresAt}} 的消息对这个券池会显示为空。').waitFor();
    const stored = await storedPool('无期限');
    assert.deepEqual([stored?.expiresAt, stored?.expiresAfterDays], [null, null]);
    await shot(page, 'coupon-expiry-zh-CN');
  });
  assert.deepEqual(problems, []);
  await context.close();
});
