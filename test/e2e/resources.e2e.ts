/**
 * The brand-resource pages in a real Chromium against the running stack (BASE_URL): a tag,
 * a coupon pool with generated codes, a default menu published to the WeChat sandbox, and a
 * channel QR code with its image and PNG download, the brand's settings — in English and in
 * Chinese.
 *
 * The brand is made the way an operator makes one: `fanfare brand create` against the
 * stack's database (DATA_DIR / EMBEDDED_PG_PORT from test/e2e/run.ts), and registered with
 * the stack's WeChat sandbox (WECHAT_SANDBOX_URL) so WeChat calls succeed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { SandboxControl } from '../../wechat/sandbox/control';
import { signInContext } from './support/auth';
import { closeTestDb } from './support/db';
import { sandboxUrl } from './support/sandbox';

const BASE_URL = process.env.BASE_URL;
const SANDBOX_URL = sandboxUrl();
if (!BASE_URL) throw new Error('BASE_URL is required (npm run test:e2e sets it)');
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

const suffix = randomBytes(3).toString('hex');
const brand = {
  slug: `e2e-res-${suffix}`,
  name: `资源测试 Resources ${suffix}`,
  appId: `wx${randomBytes(8).toString('hex')}`,
  secret: randomBytes(16).toString('hex'),
  token: `tok${suffix}`,
};

let browser: Browser;

function cli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

before(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const created = await cli([
    'brand',
    'create',
    '--slug',
    brand.slug,
    '--name',
    brand.name,
    '--app-id',
    brand.appId,
    '--app-secret',
    brand.secret,
    '--token',
    brand.token,
  ]);
  assert.equal(created.code, 0, `fanfare brand create failed:\n${created.output}`);
  await new SandboxControl(SANDBOX_URL).registerAccount({
    appId: brand.appId,
    secret: brand.secret,
    token: brand.token,
  });
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
  // Vite's dev server optimises newly seen dependencies on first use and then reloads the
  // page: let that happen here, not in the middle of a test.
  const warmupContext = await browser.newContext();
  await signInContext(warmupContext, BASE_URL!);
  const warmup = await warmupContext.newPage();
  for (const path of ['/tags', '/coupons', '/menus', '/qr', '/settings']) {
    await warmup.goto(new URL(`/brands/${brand.slug}${path}`, BASE_URL).href, {
      timeout: 60_000,
    });
    await warmup.waitForLoadState('networkidle', { timeout: 60_000 });
  }
  await warmup.waitForTimeout(1_000);
  await warmupContext.close();
});

after(async () => {
  await browser?.close();
  await closeTestDb();
});

/**
 * A fresh signed-in context in `locale` on the brand's `path` (`/brands/<slug><path>`); collects
 * page errors and hydration warnings.
 */
async function open(path: string, options: BrowserContextOptions) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
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
  const response = await page.goto(new URL(`/brands/${brand.slug}${path}`, BASE_URL).href, {
    timeout: 60_000,
  });
  await page.waitForLoadState('networkidle', { timeout: 60_000 });
  assert.equal(response?.status(), 200);
  return { context, page, problems };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

test('en: the navigation leads to the resource pages, and a tag is created', async () => {
  const { context, page, problems } = await open('/tags', { locale: 'en-US' });
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  for (const name of ['Tags', 'Coupons', 'Menus', 'QR channels']) {
    await nav.getByRole('link', { name, exact: true }).waitFor({ state: 'visible' });
  }
  await page.getByRole('heading', { level: 1, name: 'Tags' }).waitFor();
  await page.getByText(`Official Account: ${brand.name}`).waitFor();
  await page.getByText('0 of 100 tags used').waitFor();

  await page.getByLabel('Tag name').fill('VIP 会员');
  await page.getByRole('button', { name: 'Create tag' }).click();
  await page.getByRole('status').filter({ hasText: 'Tag “VIP 会员” created.' }).waitFor();
  const row = page.getByRole('row', { name: /VIP 会员/ });
  await row.getByText('Not yet on WeChat').waitFor();
  await page.getByText('1 of 100 tags used').waitFor();

  // A name over WeChat's 30 bytes is refused with a sentence on the field.
  await page.getByLabel('Tag name').fill('一二三四五六七八九十一');
  await page.getByRole('button', { name: 'Create tag' }).click();
  await page.getByText('The name is 33 bytes long; WeChat takes at most 30').waitFor();
  assert.equal(await page.getByLabel('Tag name').getAttribute('aria-invalid'), 'true');
  await shot(page, 'resources-tags-en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('zh-CN: a coupon pool is created and filled with generated codes', async () => {
  const { context, page, problems } = await open('/coupons', { locale: 'zh-CN' });
  await page.getByRole('heading', { level: 1, name: '优惠券' }).waitFor();
  await page.getByLabel('券池名称').fill('杯套首单');
  await page.getByRole('button', { name: '创建券池' }).click();
  await page.getByRole('status').filter({ hasText: '已创建券池“杯套首单”' }).waitFor();

  const pool = page.getByRole('article', { name: '杯套首单' });
  await pool.getByText('剩余 0').waitFor();
  await pool.getByLabel('生成券码数量').fill('2500');
  await pool.getByRole('button', { name: '生成券码' }).click();
  await pool
    .getByRole('status')
    .filter({ hasText: '已新增 2,500 个券码' })
    .waitFor({ timeout: 60_000 });
  await pool.getByText('剩余 2,500').waitFor();
  await pool.getByText('共 2,500').waitFor();

  // A CSV from the POS: a header, two codes, one line that is not a code.
  await pool.getByLabel('从 CSV 文件导入券码').setInputFiles({
    name: 'codes.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('券码,备注\nPOS-0001,门店A\nPOS-0002,门店B\n坏 码,?\n'),
  });
  await pool.getByRole('button', { name: '导入 CSV' }).click();
  await pool.getByText('已导入 2 个新券码。').waitFor();
  await pool.getByText('第 4 行：“坏 码”').waitFor();
  await pool.getByText('共 2,502').waitFor();
  await shot(page, 'resources-coupons-zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});

test('zh-CN: a default menu is saved and published to WeChat (the sandbox)', async () => {
  const { context, page, problems } = await open('/menus', { locale: 'zh-CN' });
  await page.getByRole('heading', { level: 1, name: '菜单' }).waitFor();
  const editor = page.getByRole('region', { name: '创建默认菜单' });
  await editor.getByLabel('名称', { exact: true }).fill('会员中心');
  await editor.getByLabel('键值').fill('MEMBER_CENTER');
  await editor.getByRole('button', { name: '保存菜单' }).click();
  await page.getByRole('status').filter({ hasText: '已保存菜单“默认菜单”' }).waitFor();
  await page.getByText('尚未发布').first().waitFor();

  await page.getByRole('button', { name: '发布到微信' }).click();
  await page.getByRole('status').filter({ hasText: '已将 1 个菜单发布到微信' }).waitFor();
  const menu = (await new SandboxControl(SANDBOX_URL!).account(brand.appId)).hasMenu;
  assert.equal(menu, true, 'the sandbox account has the menu');
  await shot(page, 'resources-menus-zh-CN');
  assert.deepEqual(problems, []);
  await context.close();
});

test('en: a permanent channel QR code is created through WeChat and shown, with a PNG download', async () => {
  const { context, page, problems } = await open('/qr', { locale: 'en-US' });
  await page.getByRole('heading', { level: 1, name: 'QR channels' }).waitFor();
  await page.getByLabel('Channel name').fill('Cup sleeve');
  await page.getByLabel('Scene').fill(`cup-${suffix}`);
  await page.getByRole('button', { name: 'Create QR code' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `QR code for scene “cup-${suffix}” created.` })
    .waitFor();

  const card = page.getByRole('article', { name: 'Cup sleeve' });
  const image = card.getByRole('img', { name: `QR code of Cup sleeve (scene cup-${suffix})` });
  await image.waitFor();
  assert.match((await image.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
  assert.ok(
    await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    'the image renders',
  );
  await card.getByText('Permanent').waitFor();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: 'Download PNG' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `qr-cup-${suffix}.png`);
  const href = await card.getByRole('link', { name: 'Download PNG' }).getAttribute('href');
  assert.ok(href, 'the download link has an address');
  const png = await page.request.get(new URL(href, BASE_URL).href);
  assert.equal(png.status(), 200);
  assert.equal(png.headers()['content-type'], 'image/png');
  assert.equal((await png.body()).subarray(1, 4).toString(), 'PNG');

  // The same scene again is refused before WeChat is asked.
  await page.getByLabel('Channel name').fill('Copy');
  await page.getByLabel('Scene').fill(`cup-${suffix}`);
  await page.getByRole('button', { name: 'Create QR code' }).click();
  await page.getByText(`A channel with the scene “cup-${suffix}” already exists.`).waitFor();
  await shot(page, 'resources-qr-en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('zh-CN: the QR page and its card are in Chinese', async () => {
  const { context, page, problems } = await open('/qr', { locale: 'zh-CN' });
  await page.getByRole('heading', { level: 1, name: '渠道二维码' }).waitFor();
  const card = page.getByRole('article', { name: 'Cup sleeve' });
  await card.getByText('永久').waitFor();
  await card.getByRole('link', { name: '下载 PNG' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('zh-CN: brand settings store a brand-wide frequency cap and refuse a bad time zone', async () => {
  const { context, page, problems } = await open('/settings', { locale: 'zh-CN' });
  await page.getByRole('heading', { level: 1, name: '品牌设置' }).waitFor();
  await page.getByText('当前：未设置全品牌上限。').waitFor();
  await page.getByLabel('限制每位粉丝的推送次数').check();
  await page.getByLabel('最多', { exact: true }).fill('2');
  await page.getByLabel('每', { exact: true }).fill('1');
  await page.getByLabel('单位').selectOption('d');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByRole('status').filter({ hasText: '设置已保存。' }).waitFor();
  await page.getByText('当前：每 1 天最多 2 条推送。').waitFor();

  // A zone that does not exist is refused on its field; the stored cap stays.
  await page.getByLabel('时区').fill('Mars/Olympus');
  await page.getByRole('button', { name: '保存设置' }).click();
  await page.getByText('“Mars/Olympus”不是有效的时区').waitFor();
  assert.equal(await page.getByLabel('时区').getAttribute('aria-invalid'), 'true');
  await shot(page, 'resources-settings-zh-CN');

  await page.reload();
  await page.waitForLoadState('networkidle');
  await page.getByText('当前：每 1 天最多 2 条推送。').waitFor();
  assert.equal(await page.getByLabel('时区').inputValue(), 'Asia/Shanghai');
  assert.deepEqual(problems, []);
  await context.close();
});
