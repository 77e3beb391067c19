/**
 * Accounts in a real Chromium, in Chinese (and first-run setup in English): first-run setup
 * (only while no user exists) → sign-out → sign-in (a wrong password refused on its field;
 * redirectTo honoured) → change password (the old one stops working). Runs first (file order): the stack has no user yet,
 * only the brand run.ts made from the CLI, which setup adopts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureUser, signIn } from './support/auth';
import { closeTestDb } from './support/db';
import { BASE_URL, failureShot, launch, openPage, shot } from './support/editor';

const zh = {
  setupHeading: '设置 Fanfare',
  organization: '组织',
  name: '你的姓名',
  email: '邮箱',
  password: '密码',
  createAccount: '创建账户和组织',
  loginHeading: '登录 Fanfare',
  login: '登录',
  logout: '退出登录',
  tooShort: '密码太短：至少需要 10 个字符。',
  wrong: '邮箱或密码不正确。',
  accountHeading: '你的账户',
  current: '当前密码',
  next: '新密码',
  change: '修改密码',
  changed: '密码已修改，其他浏览器上的登录已退出。',
  currentWrong: '当前密码不正确。',
};
const labels = { email: zh.email, password: zh.password, submit: zh.login };
const OWNER = {
  email: 'wang@cat-cafe.example',
  first: '猫咖 first password',
  second: '猫咖 second password',
};

let browser: Browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

const fieldError = (page: Page, label: string) =>
  page
    .locator('.auth-field', { has: page.getByLabel(label, { exact: true }) })
    .locator('.auth-field__error');

test('first-run setup speaks English to an English browser (nothing is created)', async () => {
  const { context, page, problems } = await openPage(browser, '/login', 'en-US', {
    signedIn: false,
  });
  await failureShot(page, 'auth-setup-en-failure', async () => {
    assert.equal(new URL(page.url()).pathname, '/setup', 'an empty installation opens /setup');
    await page.getByRole('heading', { level: 1, name: 'Set up Fanfare' }).waitFor();
    assert.match(await page.getByTestId('setup-adopt').innerText(), /Persist Café/);
    await page.getByLabel('Organization').fill('Cat Café Group');
    await page.getByLabel('Your name').fill('Wang');
    await page.getByLabel('Email').fill('wang-en@cat-cafe.example');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Create account and organization' }).click();
    await fieldError(page, 'Password')
      .filter({ hasText: 'The password is too short: use at least 10 characters.' })
      .waitFor();
    await shot(page, 'setup-en');
    // Refused: still the first run (the zh-CN test below creates the owner).
    await page.goto(new URL('/login', page.url()).href);
    assert.equal(new URL(page.url()).pathname, '/setup');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('setup → sign out → sign in → change password, in zh-CN', async () => {
  const { context, page, problems } = await openPage(browser, '/login', 'zh-CN', {
    signedIn: false,
  });
  await failureShot(page, 'auth-failure', async () => {
    // No user yet: the sign-in page sends a newcomer to first-run setup.
    assert.equal(new URL(page.url()).pathname, '/setup', 'an empty installation opens /setup');
    await page.getByRole('heading', { level: 1, name: zh.setupHeading }).waitFor();
    assert.match(await page.getByTestId('setup-adopt').innerText(), /持久猫咖 Persist Café/);
    await shot(page, 'setup-zh-CN');

    // A short password is refused on its field, and nothing is created.
    await page.getByLabel(zh.organization).fill('猫咖集团');
    await page.getByLabel(zh.name).fill('王店长');
    await page.getByLabel(zh.email).fill(OWNER.email);
    await page.getByLabel(zh.password, { exact: true }).fill('short');
    await page.getByRole('button', { name: zh.createAccount }).click();
    await fieldError(page, zh.password).filter({ hasText: zh.tooShort }).waitFor();
    assert.equal(
      await page.getByLabel(zh.password, { exact: true }).getAttribute('aria-invalid'),
      'true',
    );
    assert.equal(
      await page.getByLabel(zh.organization).inputValue(),
      '猫咖集团',
      'what was typed stays',
    );

    await page.getByLabel(zh.password, { exact: true }).fill(OWNER.first);
    // Home: the owner's brands — with just the adopted one, straight to it.
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith('/brands/')),
      page.getByRole('button', { name: zh.createAccount }).click(),
    ]);
    await page.getByTestId('header-user').filter({ hasText: '王店长' }).waitFor();
    // The adopted brand is this owner's.
    await page.getByText('持久猫咖 Persist Café').first().waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === 'fanfare_session');
    assert.ok(cookie, 'a session cookie');
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Lax');
    assert.equal(cookie.path, '/');

    // Setup happens once: afterwards /setup sends everyone to sign in, and refuses a POST.
    const again = await fetch(new URL('/setup', BASE_URL), { redirect: 'manual' });
    assert.equal(again.status, 302);
    assert.equal(again.headers.get('location'), '/login');

    // Sign out (a POST): the header forgets the user; the account page asks to sign in.
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('button', { name: zh.logout }).click(),
    ]);
    await page.getByRole('heading', { level: 1, name: zh.loginHeading }).waitFor();
    assert.equal(await page.getByTestId('header-user').count(), 0);
    await page.goto(new URL('/account', BASE_URL).href);
    assert.equal(page.url(), new URL('/login?redirectTo=%2Faccount', BASE_URL).href);
    await page.waitForLoadState('networkidle');
    await shot(page, 'login-zh-CN');

    // A wrong password: one sentence on the password field, never which of the two was wrong.
    await page.getByLabel(zh.email).fill(OWNER.email);
    await page.getByLabel(zh.password, { exact: true }).fill('not the password');
    await page.getByRole('button', { name: zh.login, exact: true }).click();
    await fieldError(page, zh.password).filter({ hasText: zh.wrong }).waitFor();
    await shot(page, 'login-wrong-zh-CN');

    // The right one, back to where the person was going.
    await signIn(page, OWNER.email, OWNER.first, labels);
    assert.equal(new URL(page.url()).pathname, '/account');
    await page.getByRole('heading', { level: 1, name: zh.accountHeading }).waitFor();

    // Change the password: a wrong current one is refused on its field…
    await page.getByLabel(zh.current).fill('not the password');
    await page.getByLabel(zh.next).fill(OWNER.second);
    await page.getByRole('button', { name: zh.change }).click();
    await fieldError(page, zh.current).filter({ hasText: zh.currentWrong }).waitFor();
    // …the right one changes it, and this browser stays signed in (its session was rotated).
    const before = (await context.cookies()).find((c) => c.name === 'fanfare_session')?.value;
    await page.getByLabel(zh.current).fill(OWNER.first);
    await page.getByLabel(zh.next).fill(OWNER.second);
    await page.getByRole('button', { name: zh.change }).click();
    await page.getByRole('status').filter({ hasText: zh.changed }).waitFor();
    const rotated = (await context.cookies()).find((c) => c.name === 'fanfare_session')?.value;
    assert.ok(rotated && rotated !== before, 'a new session cookie');
    await shot(page, 'account-changed-zh-CN');
    await page.reload();
    await page.getByTestId('header-user').waitFor();

    // The old password no longer signs in; the new one does.
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/login'),
      page.getByRole('button', { name: zh.logout }).click(),
    ]);
    await page.getByLabel(zh.email).fill(OWNER.email);
    await page.getByLabel(zh.password, { exact: true }).fill(OWNER.first);
    await page.getByRole('button', { name: zh.login, exact: true }).click();
    await fieldError(page, zh.password).filter({ hasText: zh.wrong }).waitFor();
    await signIn(page, OWNER.email, OWNER.second, labels);
    assert.equal(new URL(page.url()).pathname, '/brands/e2e-persist');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a cross-site POST is refused with 403 and changes nothing', async () => {
  // Signed in as the owner (the session cookie a browser would send along).
  const { context, page } = await openPage(browser, '/login', 'zh-CN', { signedIn: false });
  await signIn(page, OWNER.email, OWNER.second, labels);
  const session = (await context.cookies()).find((c) => c.name === 'fanfare_session')!;
  const forged = (path: string, body: Record<string, string> = {}) =>
    fetch(new URL(path, BASE_URL), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'cross-site',
        Cookie: `${session.name}=${session.value}`,
      },
      body: new URLSearchParams(body),
      redirect: 'manual',
    });
  // Sign-out from another site: refused, and the session still works.
  const logout = await forged('/logout');
  assert.equal(logout.status, 403);
  // The front door (app/lib/http/front-door.server.ts) answers a form post with a page.
  assert.match(logout.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await logout.text(), /403/);
  await page.reload();
  await page.getByTestId('header-user').waitFor();
  // Sign-in from another site (login CSRF): refused, no session given.
  const login = await forged('/login', { email: OWNER.email, password: OWNER.second });
  assert.equal(login.status, 403);
  assert.equal(login.headers.get('set-cookie'), null);
  await context.close();
});

test('a user made by the operator signs in', async () => {
  await ensureUser('viewer@cat-cafe.example', 'viewer password', 'viewer');
  const { context, page } = await openPage(browser, '/login', 'zh-CN', { signedIn: false });
  await signIn(page, 'viewer@cat-cafe.example', 'viewer password', labels);
  assert.match(await page.getByTestId('header-user').innerText(), /viewer@cat-cafe\.example/);
  await context.close();
});
