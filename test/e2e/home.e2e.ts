/**
 * A brand's home page (its flows, /brands/<slug>) in a real Chromium against the running app
 * (BASE_URL), signed in as the e2e owner: the UI language follows Accept-Language, the switch
 * changes it (with and without JavaScript) and the choice survives a reload. The brand is the
 * one run.ts creates before the tests (e2e-persist).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { signInContext } from './support/auth';
import { closeTestDb } from './support/db';

const BASE_URL = process.env.BASE_URL;
if (!BASE_URL) throw new Error('BASE_URL is required (npm run test:e2e sets it)');
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** What each language must show; the strings are the product's own copy. */
const ui = {
  'zh-CN': {
    nav: '主导航',
    flows: '流程',
    noBrand: '还没有品牌',
    noBrandExplains: '微信公众号',
    brandLine: /^公众号：/,
    table: '名称',
    noFlows: '还没有流程',
    switchButton: '中文',
    brandNotFound: '找不到这个品牌',
  },
  en: {
    nav: 'Main navigation',
    flows: 'Flows',
    noBrand: 'No brand yet',
    noBrandExplains: 'WeChat Official Account',
    brandLine: /^Official Account: /,
    table: 'Name',
    noFlows: 'No flows yet',
    switchButton: 'English',
    brandNotFound: 'Brand not found',
  },
} as const;
type Lang = keyof typeof ui;

let browser: Browser;

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await closeTestDb();
});

/** The brand run.ts makes before the tests. */
const HOME = '/brands/e2e-persist';

/** A fresh signed-in context (own cookies) and page; collects uncaught errors and hydration warnings. */
async function open(options: BrowserContextOptions, path = HOME) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(20_000);
  await signInContext(context, BASE_URL!);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (
      message.type() === 'error' &&
      /hydrat|did not match|server rendered/i.test(message.text())
    ) {
      problems.push(`console: ${message.text()}`);
    }
  });
  const response = await page.goto(new URL(path, BASE_URL).href, { timeout: 60_000 });
  // Scripts loaded and hydrated (in dev, Vite serves many modules: wait for them to settle).
  if (options.javaScriptEnabled !== false)
    await page.waitForLoadState('networkidle', { timeout: 60_000 });
  return { context, page, response, problems };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

/** The home page is fully in `lang`: html lang, navigation, heading and the main content. */
async function assertHomeIn(page: Page, lang: Lang): Promise<void> {
  const text = ui[lang];
  assert.equal(await page.locator('html').getAttribute('lang'), lang);
  assert.match(await page.title(), /Fanfare/);
  assert.ok(await page.getByText('Fanfare', { exact: true }).first().isVisible(), 'names Fanfare');

  const nav = page.getByRole('navigation', { name: text.nav });
  await nav.getByRole('link', { name: text.flows, exact: true }).waitFor({ state: 'visible' });
  await page
    .getByRole('heading', { level: 1, name: text.flows, exact: true })
    .waitFor({ state: 'visible' });
  assert.equal(
    await page
      .getByRole('button', { name: text.switchButton, exact: true })
      .getAttribute('aria-pressed'),
    'true',
  );

  const noBrand = page.getByRole('heading', { level: 2, name: text.noBrand });
  if (await noBrand.isVisible()) {
    // No brand in this database: the page explains what a brand is and how to add one.
    const emptyState = page.locator('section', { has: noBrand });
    assert.ok(
      (await emptyState.innerText()).includes(text.noBrandExplains),
      'explains what a brand is',
    );
    const command = await emptyState.locator('pre code').innerText();
    assert.match(command, /^npm run fanfare -- brand create --slug /);
    return;
  }
  // A brand exists: the page names it and shows its flows (or says there are none).
  await page.getByText(text.brandLine).waitFor({ state: 'visible' });
  const table = page.getByRole('columnheader', { name: text.table, exact: true });
  const none = page.getByRole('heading', { level: 2, name: text.noFlows });
  assert.ok(
    (await table.isVisible()) || (await none.isVisible()),
    'shows the flows table or "no flows"',
  );
}

test('Accept-Language zh-CN: the home page is in Chinese', async () => {
  const { context, page, problems } = await open({ locale: 'zh-CN' });
  await assertHomeIn(page, 'zh-CN');
  await shot(page, 'home-zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Accept-Language en-US: the home page is in English', async () => {
  const { context, page, problems } = await open({ locale: 'en-US' });
  await assertHomeIn(page, 'en');
  await shot(page, 'home-en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the language switch changes the language in place and it persists across reloads', async () => {
  const { context, page, problems } = await open({ locale: 'en-US' });
  await assertHomeIn(page, 'en');
  // With JavaScript the switch is a client-side navigation: the page (and this marker) stays.
  await page.evaluate(() => Object.assign(window, { e2eMarker: true }));

  await page.getByRole('button', { name: '中文', exact: true }).click();
  await page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
  await assertHomeIn(page, 'zh-CN');
  assert.equal(
    await page.evaluate(() => 'e2eMarker' in window),
    true,
    'switched without a full reload',
  );
  const cookie = (await context.cookies()).find((c) => c.name === 'fanfare_lng');
  assert.equal(cookie?.value, 'zh-CN');

  await page.reload();
  await page.waitForLoadState('networkidle');
  await assertHomeIn(page, 'zh-CN');
  await shot(page, 'switched-to-zh-CN');

  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  await assertHomeIn(page, 'en');
  await page.reload();
  await assertHomeIn(page, 'en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the language switch works without JavaScript', async () => {
  const { context, page } = await open({ locale: 'zh-CN', javaScriptEnabled: false });
  await assertHomeIn(page, 'zh-CN');
  // A native form post: the action answers with a redirect back here, setting the cookie.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/set-language') && r.status() === 302),
    page.getByRole('button', { name: 'English', exact: true }).click(),
  ]);
  await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
  await assertHomeIn(page, 'en');
  await page.reload();
  await assertHomeIn(page, 'en');
  await shot(page, 'no-js-switched-to-en');
  await context.close();
});

test("an unknown brand is a 404 that says so, in the reader's language", async () => {
  for (const [locale, lang] of [
    ['zh-CN', 'zh-CN'],
    ['en-US', 'en'],
  ] as const) {
    const { context, page, response, problems } = await open(
      { locale },
      // The brand switcher's address without JavaScript: it redirects to /brands/<slug>.
      '/?brand=no-such-brand-e2e',
    );
    assert.equal(response?.status(), 404);
    await page
      .getByRole('heading', { level: 1, name: ui[lang].brandNotFound })
      .waitFor({ state: 'visible' });
    assert.ok(await page.getByText('no-such-brand-e2e').isVisible(), 'the sentence names the slug');
    // The layout (navigation, switch) is still there to find the way back.
    await page.getByRole('navigation', { name: ui[lang].nav }).waitFor({ state: 'visible' });
    await shot(page, `brand-not-found-${lang}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('/healthz reports the database', async () => {
  const response = await fetch(new URL('/healthz', BASE_URL));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { ok: true, db: true });
});
