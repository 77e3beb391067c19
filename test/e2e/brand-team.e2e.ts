/**
 * Issue 9, acceptance 4, in a real Chromium: an organization admin (zh-CN) creates a brand,
 * connects it to the stack's WeChat sandbox and tests the connection, invites an editor on the
 * brand's members page (the link shown to copy); the editor (en) opens the link, chooses a
 * password, lands on the brand, builds a flow by mouse and publishes it; the admin's audit log
 * shows both the invitation and the publication, by name. Runs after auth.e2e.ts (file order),
 * whose first-run setup made the installation's organization. Screenshots: /tmp/shots-team/.
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
import {
  BASE_URL,
  connect,
  createFlow,
  dropNode,
  failureShot,
  launch,
  openPage,
  selectNode,
  waitSaved,
} from './support/editor';

const SANDBOX_URL = sandboxUrl();
const SHOTS = '/tmp/shots-team';

const suffix = randomBytes(3).toString('hex');
const ADMIN = { email: `zhou.admin-${suffix}@cat-cafe.example`, password: '猫咖 team admin pw' };
const EDITOR = {
  email: `lin.editor-${suffix}@cat-cafe.example`,
  name: 'Lin Editor',
  password: 'editor password 2026',
};
const brand = {
  slug: `e2e-team-${suffix}`,
  name: `团队猫咖 Team Café ${suffix}`,
  appId: `wx${randomBytes(8).toString('hex')}`,
  secret: randomBytes(16).toString('hex'),
  token: `tok${suffix}`,
};
const FLOW = `Welcome ${suffix}`;

let browser: Browser;
before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
  await ensureUser(ADMIN.email, ADMIN.password, 'admin');
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

let inviteLink = '';

test('an admin creates and connects a brand, then invites an editor (zh-CN)', async () => {
  const { context, page, problems } = await openPage(browser, '/login', 'zh-CN', {
    signedIn: false,
  });
  await failureShot(page, 'brand-team-admin-failure', async () => {
    await signIn(page, ADMIN.email, ADMIN.password, {
      email: '邮箱',
      password: '密码',
      submit: '登录',
    });
    await page.goto(new URL('/brands/new', BASE_URL).href);
    await page.getByLabel('名称', { exact: true }).fill(brand.name);
    await page.getByLabel('简称', { exact: true }).fill(brand.slug);
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/brands/${brand.slug}/connection`),
      page.getByRole('button', { name: '创建品牌' }).click(),
    ]);

    // The sandbox plays WeChat's console: the account exists and calls back here.
    await new SandboxControl(SANDBOX_URL).registerAccount({
      appId: brand.appId,
      secret: brand.secret,
      token: brand.token,
      mode: 'plaintext',
      callbackUrl: new URL(`/wechat/${brand.slug}`, BASE_URL).href,
    });
    await page.getByLabel('AppID（开发者ID）').fill(brand.appId);
    await page.getByLabel('AppSecret（开发者密码）').fill(brand.secret);
    await page.getByLabel('令牌（Token）').fill(brand.token);
    await page.getByLabel('明文模式').check();
    await page.getByRole('button', { name: '保存凭据' }).click();
    await page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await page.getByRole('button', { name: '测试连接' }).click();
    await page.getByTestId('test-result').filter({ hasText: '连接正常' }).waitFor();

    // Members: the admin is there; invite an editor and copy the link shown once.
    await page.getByRole('link', { name: '成员', exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/brands/${brand.slug}/members`);
    await page.getByRole('heading', { level: 2, name: '有权访问的人' }).waitFor();
    await page.getByTestId(`member-${ADMIN.email}`).waitFor();
    await page.getByLabel('邮箱地址').fill(EDITOR.email);
    await page.getByLabel('角色', { exact: true }).selectOption('editor');
    await page.getByRole('button', { name: '生成邀请链接' }).click();
    const shown = page.getByTestId('invite-created');
    await shown.waitFor();
    inviteLink = await page.getByLabel('邀请链接').inputValue();
    assert.match(inviteLink, new RegExp(`^${BASE_URL}/invite/[A-Za-z0-9_-]{43}$`));
    await page.getByRole('cell', { name: EDITOR.email }).waitFor(); // among the open invitations
    await shot(page, '1-members-invited-zh-CN');
    assert.deepEqual(problems, []);
  });
  await context.close();
});

test('the editor accepts, builds a flow by mouse and publishes it (en)', async () => {
  assert.ok(inviteLink, 'the previous test made an invitation');
  const { context, page, problems } = await openPage(browser, inviteLink, 'en-US', {
    signedIn: false,
  });
  await failureShot(page, 'brand-team-editor-failure', async () => {
    await page.getByLabel('Your name').fill(EDITOR.name);
    await page.getByLabel('Password', { exact: true }).fill(EDITOR.password);
    await shot(page, '2-invitation-en');
    // Their only brand opens.
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/brands/${brand.slug}`),
      page.getByRole('button', { name: 'Create account and join' }).click(),
    ]);
    await page.getByTestId('header-user').filter({ hasText: EDITOR.name }).waitFor();
    // An editor does not see the administration pages.
    assert.equal(await page.getByRole('link', { name: 'Members', exact: true }).count(), 0);

    await createFlow(page, brand.slug, FLOW);
    const follow = await dropNode(page, 'trigger.follow', { x: 200, y: 120 });
    const push = await dropNode(page, 'action.push', { x: 200, y: 320 });
    await connect(page, follow, 'next', push);
    const panel = await selectNode(page, push);
    await panel.getByLabel('Message', { exact: true }).fill('Welcome to the Team Café!');
    await waitSaved(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('2 steps go live').waitFor();
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published v1').waitFor();
    await shot(page, '3-editor-published-en');
    assert.deepEqual(problems, []);
  });
  await context.close();
});

test('the admin’s audit log shows the invitation and the publication (zh-CN)', async () => {
  const { context, page, problems } = await openPage(browser, '/login', 'zh-CN', {
    signedIn: false,
  });
  await failureShot(page, 'brand-team-audit-failure', async () => {
    await signIn(page, ADMIN.email, ADMIN.password, {
      email: '邮箱',
      password: '密码',
      submit: '登录',
    });
    await page.goto(new URL(`/brands/${brand.slug}/audit`, BASE_URL).href);
    await page.getByText(`发布了流程「${FLOW}」第 1 版`).waitFor();
    const log = await page.locator('main').innerText();
    assert.match(log, new RegExp(`${EDITOR.name} 发布了流程「${FLOW}」第 1 版`));
    assert.match(log, new RegExp(`邀请了 ${EDITOR.email.replace(/\./g, '\\.')}（编辑）`));
    await shot(page, '4-audit-log-zh-CN');
    assert.deepEqual(problems, []);
  });
  await context.close();
});
