/**
 * The audit log in a real Chromium, in Chinese: an admin publishes a flow (through the same
 * publish function the editor and the CLI use, as that admin), signs in, opens
 * /brands/<slug>/audit and reads "王芳 发布了流程「…」第 1 版" with its time. Named to sort
 * after auth.e2e.ts (node runs the files in name order), whose first-run setup needs an
 * installation without users.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { publishDocument } from '../../services/flows/publish';
import { flows } from '../../db/schema';
import { createServices, OPERATOR } from '../../services';
import { signIn } from './support/auth';
import { brandId, closeTestDb, testDb } from './support/db';
import { failureShot, launch, openPage } from './support/editor';

const SLUG = 'e2e-persist';
const SHOTS = '/tmp/shots-audit/';
const ADMIN = { email: 'wangfang-audit@cat-cafe.example', password: '审计 password 123' };
const FLOW = '黄金48小时';
const labels = { email: '邮箱', password: '密码', submit: '登录' };

const flowDoc = {
  format: 'fanfare.flow/v1',
  name: FLOW,
  settings: {
    timezone: 'Asia/Shanghai',
    entry: { reentry: 'once' },
    quietHours: null,
    frequencyCap: null,
    exitOn: [],
    goal: null,
  },
  nodes: [
    { id: 'follow', kind: 'trigger.follow', config: { scenes: ['audit-e2e'] } },
    {
      id: 'push',
      kind: 'action.push',
      config: { channel: 'auto', message: { type: 'text', text: '欢迎' } },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'e1', from: 'follow', port: 'next', to: 'push' },
    { id: 'e2', from: 'push', port: 'next', to: 'end' },
  ],
};

let browser: Browser;
before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

test('an admin sees who published a flow in the audit log, in zh-CN', async () => {
  const { db } = testDb();
  const services = createServices({ db });
  // An admin of the installation's organization (made, adopting the brand, when none exists).
  const [org] = await services.members.organizations.list();
  const { user } = await services.members.createUser(OPERATOR, {
    email: ADMIN.email,
    name: '王芳',
    password: ADMIN.password,
    organization: org?.slug ?? 'E2E Organization',
    role: 'admin',
  });
  const brand = await brandId(SLUG);
  const [flow] = await db
    .insert(flows)
    .values({ brandId: brand, name: FLOW, draft: flowDoc })
    .returning({ id: flows.id });
  const published = await publishDocument(db, {
    flowId: flow!.id,
    brandId: brand,
    draft: flowDoc,
    timezone: 'Asia/Shanghai',
    actor: { kind: 'user', userId: user.id, email: user.email },
  });
  assert.equal(published.ok, true, 'the flow publishes');

  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}/audit`, 'zh-CN', {
    signedIn: false,
  });
  await failureShot(page, 'audit-log-failure', async () => {
    await signIn(page, ADMIN.email, ADMIN.password, labels);
    assert.equal(new URL(page.url()).pathname, `/brands/${SLUG}/audit`, 'back where it started');
    await page.getByRole('heading', { level: 1, name: '审计日志' }).waitFor();
    const row = page.locator('[data-testid="audit-log"] tbody tr', {
      hasText: `王芳 发布了流程「${FLOW}」第 1 版`,
    });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-action'), 'flow.published');
    assert.match(await row.locator('time').innerText(), /现在|分钟前/);
    // Filtering by the person keeps the entry.
    await page.getByLabel('人员').selectOption({ label: '王芳' });
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.waitForURL(/actor=/);
    await row.waitFor();
    await page.screenshot({ path: `${SHOTS}audit-log-zh.png`, fullPage: true });
  });
  assert.deepEqual(problems, []);
  await context.close();
});
