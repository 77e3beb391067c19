/**
 * Brands managed in the UI, in a real Chromium and in Chinese: an organization admin creates
 * a brand (/brands/new), connects it to the stack's WeChat sandbox on its connection page
 * (secrets shown only masked afterwards), tests the connection (success), copies the callback
 * URL, creates an API key (shown once; the events API accepts it) and revokes it after the
 * confirmation. Runs after auth.e2e.ts (file order), which set the installation up.
 * Screenshots of each page go to /tmp/shots-brands/.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { SandboxControl } from '../../wechat/sandbox/control';
import { ensureUser, signIn } from './support/auth';
import { closeTestDb } from './support/db';
import { sandboxUrl } from './support/sandbox';
import { BASE_URL, failureShot, launch, openPage } from './support/editor';

const SANDBOX_URL = sandboxUrl();
const SHOTS = '/tmp/shots-brands';

const zh = {
  email: '邮箱',
  password: '密码',
  login: '登录',
  newTitle: '新建品牌',
  name: '名称',
  slug: '简称',
  create: '创建品牌',
  connectionTitle: '微信连接',
  notConnected: '尚未连接：请在下方填写凭据。',
  appId: 'AppID（开发者ID）',
  appSecret: 'AppSecret（开发者密码）',
  token: '令牌（Token）',
  aesKey: '消息加解密密钥（EncodingAESKey）',
  safe: '安全模式（推荐）',
  save: '保存凭据',
  saved: '已保存。请测试连接，让微信核对这些凭据。',
  test: '测试连接',
  ok: '连接正常',
  copy: '复制',
  copied: '已复制',
  apiKeys: 'API 密钥',
  keyName: '名称',
  createKey: '创建密钥',
  onlyOnce: '它只显示这一次',
  revoke: '撤销',
  revokeKey: '撤销密钥',
};
const ADMIN = { email: 'li.admin@cat-cafe.example', password: '猫咖 admin password' };

const suffix = randomBytes(3).toString('hex');
const brand = {
  slug: `e2e-ui-${suffix}`,
  name: `界面猫咖 UI Café ${suffix}`,
  appId: `wx${randomBytes(8).toString('hex')}`,
  secret: randomBytes(16).toString('hex'),
  token: `tok${suffix}`,
  aesKey: randomBytes(40)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, 'a')
    .slice(0, 43),
};

let browser: Browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
  // An admin of the installation's organization (made by auth.e2e.ts's setup).
  await ensureUser(ADMIN.email, ADMIN.password, 'admin');
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

test('create a brand, connect it to the sandbox, test it, create and revoke an API key (zh-CN)', async () => {
  const { context, page, problems } = await openPage(browser, '/login', 'zh-CN', {
    signedIn: false,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  await failureShot(page, 'brand-connection-failure', async () => {
    await signIn(page, ADMIN.email, ADMIN.password, {
      email: zh.email,
      password: zh.password,
      submit: zh.login,
    });

    // A new brand: name and short name, in the admin's organization.
    await page.goto(new URL('/brands/new', BASE_URL).href);
    await page.getByRole('heading', { level: 1, name: zh.newTitle }).waitFor();
    await page.getByLabel(zh.name, { exact: true }).fill(brand.name);
    await page.getByLabel(zh.slug, { exact: true }).fill('Not OK');
    await page.getByRole('button', { name: zh.create }).click();
    await page.locator('#brand-slug-error').waitFor();
    assert.equal(
      await page.getByLabel(zh.slug, { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    await shot(page, '1-new-brand-refused');
    await page.getByLabel(zh.slug, { exact: true }).fill(brand.slug);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/brands/${brand.slug}/connection`),
      page.getByRole('button', { name: zh.create }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: zh.connectionTitle }).waitFor();
    assert.equal(await page.getByTestId('connection-state').innerText(), zh.notConnected);
    const callbackUrl = new URL(`/wechat/${brand.slug}`, BASE_URL).href;
    assert.equal(await page.getByTestId('callback-url').inputValue(), callbackUrl);
    await shot(page, '2-connection-empty');

    // WeChat's console side: the sandbox knows the account and where to call back.
    await new SandboxControl(SANDBOX_URL).registerAccount({
      appId: brand.appId,
      secret: brand.secret,
      token: brand.token,
      aesKey: brand.aesKey,
      mode: 'safe',
      callbackUrl,
    });

    await page.getByLabel(zh.appId).fill(brand.appId);
    await page.getByLabel(zh.appSecret).fill(brand.secret);
    await page.getByLabel(zh.token).fill(brand.token);
    await page.getByLabel(zh.aesKey).fill(brand.aesKey);
    await page.getByLabel(zh.safe).check();
    await page.getByRole('button', { name: zh.save }).click();
    await page.getByRole('status').filter({ hasText: zh.saved }).waitFor();
    // Only masked forms come back: the secret fields are empty, the hints end in the last 4.
    assert.equal(await page.getByLabel(zh.appSecret).inputValue(), '');
    // (The page's data is reloaded after the save: wait for it rather than read it at once.)
    await page
      .getByTestId('stored-appSecret')
      .filter({ hasText: `••••${brand.secret.slice(-4)}` })
      .waitFor();
    const html = await page.content();
    for (const secret of [brand.secret, brand.token, brand.aesKey]) {
      assert.ok(!html.includes(secret), 'no secret on the page');
    }
    await shot(page, '3-connection-saved');

    await page.getByRole('button', { name: zh.test }).click();
    await page.getByTestId('test-result').filter({ hasText: zh.ok }).waitFor();
    await page.getByRole('button', { name: zh.copy }).click();
    await page.getByText(zh.copied).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), callbackUrl);
    await shot(page, '4-connection-tested');

    // An API key: shown once, with a warning; the events API takes it.
    await page.getByRole('link', { name: zh.apiKeys }).click();
    await page.waitForURL((url) => url.pathname === `/brands/${brand.slug}/api-keys`);
    await page.getByLabel(zh.keyName, { exact: true }).fill('收银系统');
    await page.getByRole('button', { name: zh.createKey }).click();
    const created = page.getByTestId('created-key');
    await created.waitFor();
    assert.match(await created.innerText(), new RegExp(zh.onlyOnce));
    const key = await page.getByTestId('new-api-key').inputValue();
    assert.match(key, /^ff_/);
    await shot(page, '5-api-key-created');
    const accepted = await fetch(new URL(`/api/v1/brands/${brand.slug}/events`, BASE_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ type: 'custom', openid: 'o_ui_test', name: 'ping' }),
    });
    assert.equal(accepted.status, 202, 'the events API accepts the new key');

    // Revoke, after the confirmation; the key stops working.
    await page.getByRole('link', { name: /撤销密钥“收银系统”/ }).click();
    await page.getByRole('alertdialog').waitFor();
    await shot(page, '6-api-key-confirm-revoke');
    await page.getByRole('button', { name: zh.revokeKey }).click();
    await page.getByRole('status').filter({ hasText: '已撤销' }).waitFor();
    await shot(page, '7-api-key-revoked');
    const refused = await fetch(new URL(`/api/v1/brands/${brand.slug}/events`, BASE_URL), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ type: 'custom', openid: 'o_ui_test', name: 'ping' }),
    });
    assert.equal(refused.status, 401, 'a revoked key is refused');
    assert.deepEqual(problems, []);
  });
  await context.close();
});
