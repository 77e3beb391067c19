/**
 * The editor's Simulate tab, in zh-CN (docs/product.md#simulating-a-flow): the golden-48-hours
 * flow imported into a brand's editor; 粉丝 A follows and writes 优惠 at +3 h (the matched
 * branch, the coupon, the welcome and the coupon in the phone, the path lit on the canvas,
 * playing at 3600× moves the clock); 粉丝 B stays silent (the timeout branch and its template
 * message); the scenarios are saved with the flow and come back after a reload.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { followers, flows, messageTemplates } from '../../db/schema';
import { SandboxControl } from '../../wechat/sandbox/control';
import { golden48, REMINDER_TEMPLATE, WELCOME_POOL } from '../cases/journey-cases';
import { fanfare } from './stack';
import { brandId, closeTestDb, testDb } from './support/db';
import {
  createBrand,
  createFlow,
  editorReady,
  failureShot,
  launch,
  nodeById,
  openPage,
  waitSaved,
} from './support/editor';

const SLUG = `e2e-sim-${Date.now().toString(36)}`;
const FLOW_FILE = '/tmp/simui-golden48.json';

/** The golden flow, laid out downwards (the document itself has no positions). */
const POSITIONS: Record<string, { x: number; y: number }> = {
  follow: { x: 0, y: 0 },
  hello: { x: 0, y: 150 },
  wait: { x: 0, y: 300 },
  coupon: { x: -170, y: 470 },
  reply: { x: -170, y: 620 },
  end1: { x: -170, y: 770 },
  nudge: { x: 170, y: 470 },
  end2: { x: 170, y: 620 },
};

let browser: Browser;
let flowId = '';
let appId = '';
before(async () => {
  ({ appId } = await createBrand(SLUG, '杯子咖啡 Simulate'));
  const pool = await fanfare(
    process.env,
    [
      'coupon-pool',
      'create',
      '--brand',
      SLUG,
      '--name',
      WELCOME_POOL,
      '--generate',
      '5',
      '--expires',
      '30d',
    ],
    'ignore',
  );
  assert.equal(pool, 0, 'fanfare coupon-pool create');
  await testDb()
    .db.insert(messageTemplates)
    .values({
      brandId: await brandId(SLUG),
      name: REMINDER_TEMPLATE.name,
      wechatTemplateId: REMINDER_TEMPLATE.wechatTemplateId,
      fields: REMINDER_TEMPLATE.fields,
      title: REMINDER_TEMPLATE.title,
      content: REMINDER_TEMPLATE.content,
      keywords: [{ key: 'thing1', kind: 'thing', label: '提醒' }],
    });
  writeFileSync(
    FLOW_FILE,
    JSON.stringify({
      ...golden48,
      name: '黄金 48 小时',
      nodes: golden48.nodes.map((n) => ({ ...n, position: POSITIONS[n.id] })),
    }),
  );
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

const trace = (page: Page) => page.getByTestId('sim-trace');
const phone = (page: Page) => page.getByTestId('phone-preview');
const clockMs = async (page: Page) =>
  Number(await page.getByTestId('sim-clock').getAttribute('data-ms'));
const lit = (page: Page, id: string) => nodeById(page, id).locator('.flow-node[data-sim]');

/**
 * Presses 发送给测试粉丝 and waits for its answer: the results per test follower, the "no test
 * followers yet" sentence, or an error (the route belongs to the test-followers feature: on a
 * branch without it, a 404). Returns which, with the text shown.
 */
export async function sendToTestFollowers(
  page: Page,
): Promise<{ kind: 'results' | 'none' | 'error'; text: string }> {
  const box = page.getByTestId('sim-test-send');
  await box.getByRole('button', { name: /发送给测试粉丝|Send to test followers/ }).click();
  const results = box.getByTestId('sim-test-send-results');
  const none = box.getByTestId('sim-test-send-none');
  const error = box.getByRole('alert');
  await results.or(none).or(error).first().waitFor();
  for (const [kind, locator] of [
    ['results', results],
    ['none', none],
    ['error', error],
  ] as const)
    if (await locator.count()) return { kind, text: await locator.innerText() };
  throw new Error('no answer from the test send');
}

test('simulate the golden 48 hours in zh-CN: a keyword at +3 h, then silence', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`, 'zh-CN');
  await failureShot(page, 'simulate-failure', async () => {
    flowId = await createFlow(page, SLUG, '黄金 48 小时', '新建流程');
    await page.getByTestId('import-file').setInputFiles(FLOW_FILE);
    await nodeById(page, 'nudge').waitFor();
    await waitSaved(page);
    const undoBefore = await page.getByRole('button', { name: '撤销' }).isEnabled();

    await page.getByRole('tab', { name: '模拟' }).click();
    const panel = page.getByTestId('simulate-panel');
    await panel.waitFor();

    // 粉丝 A: the follow is already in the script (from the trigger); a keyword at +3 h.
    const rows = panel.locator('.sim-row');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.nth(0).locator('.sim-row__type').inputValue(), 'follow');
    assert.equal(await rows.nth(0).locator('.sim-row__at').inputValue(), '+0m');
    await panel.getByRole('button', { name: '+ 添加事件' }).click();
    // A wrong time is named on its row, and clears when corrected.
    await panel.getByLabel('何时（第 2 行）').fill('3h');
    await rows.nth(1).locator('.field__issue').waitFor();
    assert.match(await rows.nth(1).locator('.field__issue').innerText(), /相对时间/);
    await page.screenshot({ path: '/tmp/simui-script-error.png' });
    await panel.getByLabel('何时（第 2 行）').fill('+3h');
    await rows.nth(1).locator('.field__issue').waitFor({ state: 'detached' });
    await panel.getByLabel('做什么（第 2 行）').selectOption('keyword');
    await panel.getByLabel('消息内容（第 2 行）').fill('优惠');

    await panel.getByRole('button', { name: '运行', exact: true }).click();
    await trace(page).waitFor();
    const steps = trace(page).locator('li');
    await page.getByTestId('sim-end').waitFor();
    assert.equal(await page.getByTestId('sim-end').getAttribute('data-status'), 'completed');
    const ids = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    assert.deepEqual(ids, ['follow', 'hello', 'wait', 'wait', 'coupon', 'reply', 'end1']);
    const waited = trace(page).locator('li[data-node-id="wait"]').nth(1);
    assert.equal(await waited.getAttribute('data-outcome'), 'completed');
    assert.match(await trace(page).locator('li[data-node-id="coupon"]').innerText(), /SAMPLE-0001/);
    assert.equal(
      await trace(page).locator('li[data-node-id="reply"]').getAttribute('data-outcome'),
      'sent',
    );
    // The phone: the welcome, then the coupon.
    const chat = await phone(page).innerText();
    assert.match(chat, /欢迎关注！回复“优惠”领券。/);
    assert.match(chat, /新人券 SAMPLE-0001/);
    // The path on the canvas: visited steps lit, the other branch not; the taken connection.
    for (const id of ['follow', 'hello', 'wait', 'coupon', 'reply']) {
      assert.equal(await lit(page, id).count(), 1, `${id} is lit`);
    }
    assert.equal(await lit(page, 'end1').getAttribute('data-sim'), 'current');
    assert.equal(await lit(page, 'nudge').count(), 0, 'the timeout branch is not lit');
    assert.equal(
      await page.locator('.react-flow__edge[data-id="wait-matched"] .flow-edge--sim').count(),
      1,
    );
    assert.equal(
      await page.locator('.react-flow__edge[data-id="wait-timeout"] .flow-edge--sim').count(),
      0,
    );
    await page.screenshot({ path: '/tmp/simui-run.png' });

    // Clicking a step of the trace selects its node, staying on the tab.
    await trace(page).locator('li[data-node-id="coupon"] button').click();
    await nodeById(page, 'coupon').locator('.flow-node--selected').waitFor();
    assert.equal(
      await page.getByRole('tab', { name: '模拟' }).getAttribute('aria-selected'),
      'true',
    );

    // Playing at 3600×: from the start, the clock moves an hour a second.
    await panel.getByRole('button', { name: '从头开始' }).click();
    assert.equal(await steps.count(), 0);
    const t0 = await clockMs(page);
    await panel.getByRole('button', { name: '▶ 3600×' }).click();
    await page.waitForTimeout(1_200);
    const t1 = await clockMs(page);
    assert.ok(t1 - t0 >= 30 * 60_000, `the clock advanced ${(t1 - t0) / 60_000} min`);
    await page.screenshot({ path: '/tmp/simui-playing.png' });
    await page.getByTestId('sim-end').waitFor({ timeout: 15_000 });
    assert.equal(await steps.count(), 7);

    // Step: one trace item; next: the rest of that moment, then the next moment (+3 h).
    await panel.getByRole('button', { name: '从头开始' }).click();
    await panel.getByRole('button', { name: '单步' }).click();
    assert.equal(await steps.count(), 1);
    await panel.getByRole('button', { name: '跳到下一步' }).click();
    assert.equal(await steps.count(), 3);
    assert.equal(await clockMs(page), t0);
    await panel.getByRole('button', { name: '跳到下一步' }).click();
    assert.equal((await clockMs(page)) - t0, 3 * 3_600_000);
    assert.equal(await steps.count(), 7);

    // 粉丝 B: only the follow — 48 hours of silence take the timeout branch.
    await panel.getByRole('button', { name: '+ 粉丝' }).click();
    await panel.getByRole('tab', { name: '粉丝 B' }).waitFor();
    assert.equal(await rows.count(), 1);
    await panel.getByRole('button', { name: '运行', exact: true }).click();
    await page.getByTestId('sim-end').waitFor();
    const idsB = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-id')));
    assert.deepEqual(idsB, ['follow', 'hello', 'wait', 'wait', 'nudge', 'end2']);
    assert.match(await trace(page).locator('li[data-node-id="wait"]').nth(1).innerText(), /超时/);
    const card = phone(page).getByTestId('template-card');
    assert.match(await card.innerText(), /会员提醒/);
    assert.match(await card.innerText(), /新人券还在等你/);
    assert.equal(await lit(page, 'nudge').count(), 1);
    assert.equal(await lit(page, 'coupon').count(), 0);
    await page.screenshot({ path: '/tmp/simui-silence.png' });
    await phone(page).scrollIntoViewIfNeeded();
    await phone(page).screenshot({ path: '/tmp/simui-phone.png' });

    // No test follower yet: the panel says where to mark one.
    const none = await sendToTestFollowers(page);
    assert.equal(none.kind, 'none');
    assert.match(none.text, /还没有测试粉丝/);

    // Saved with the flow.
    await panel.getByRole('button', { name: '保存场景' }).click();
    await page.getByTestId('sim-save-state').getByText('场景已随流程保存。').waitFor();
    const [row] = await testDb()
      .db.select({ scenarios: flows.simulationScenarios })
      .from(flows)
      .where(eq(flows.id, flowId));
    assert.equal(row?.scenarios?.length, 2);

    // Leaving the tab clears the path; the simulation made no undo step.
    await page.getByRole('tab', { name: '节点' }).click();
    assert.equal(await page.locator('.flow-node[data-sim]').count(), 0);
    assert.equal(await page.getByRole('button', { name: '撤销' }).isEnabled(), undoBefore);

    // After a reload, both followers are back.
    await page.reload();
    await editorReady(page);
    await page.getByRole('tab', { name: '模拟' }).click();
    await panel.getByRole('tab', { name: '粉丝 B' }).waitFor();
    await panel.getByRole('tab', { name: '粉丝 A' }).click();
    assert.equal(await rows.count(), 2);
    assert.equal(await panel.getByLabel('消息内容（第 2 行）').inputValue(), '优惠');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('a test follower marked on their page receives the simulated messages, marked 【测试】 (zh-CN)', async () => {
  assert.ok(flowId, 'the first test made the flow');
  // A tester follows the account and writes to it (a message opens 48 hours of customer service).
  const sandbox = new SandboxControl(process.env.WECHAT_SANDBOX_URL!);
  await sandbox.follow(appId, 'o_sim_tester');
  await sandbox.text(appId, 'o_sim_tester', '我是测试员');
  const brand = await brandId(SLUG);
  for (const deadline = Date.now() + 30_000; ;) {
    const [row] = await testDb()
      .db.select({ id: followers.id, quota: followers.quotaKind })
      .from(followers)
      .where(and(eq(followers.brandId, brand), eq(followers.openid, 'o_sim_tester')));
    if (row?.quota === 'message') break;
    assert.ok(Date.now() < deadline, 'the tester’s message reached the brand');
    await new Promise((r) => setTimeout(r, 200));
  }

  const { context, page, problems } = await openPage(
    browser,
    `/brands/${SLUG}/followers/o_sim_tester`,
    'zh-CN',
  );
  await failureShot(page, 'simulate-test-send-failure', async () => {
    await page.getByLabel('备注（可选）').fill('王芳的手机');
    await page.getByRole('button', { name: '设为测试粉丝' }).click();
    await page.getByText('已设为测试粉丝。').waitFor();

    await page.goto(new URL(`/brands/${SLUG}/flows/${flowId}`, page.url()).href);
    await editorReady(page);
    await page.getByRole('tab', { name: '模拟' }).click();
    const panel = page.getByTestId('simulate-panel');
    await panel.getByRole('tab', { name: '粉丝 A' }).click();
    await panel.getByRole('button', { name: '运行', exact: true }).click();
    await page.getByTestId('sim-end').waitFor();
    const sent = await sendToTestFollowers(page);
    assert.equal(sent.kind, 'results', sent.text);
    assert.match(sent.text, /已作为客服消息发送/);
    await page.getByTestId('sim-test-send').screenshot({ path: '/tmp/simui-test-send.png' });

    // The sandbox (WeChat) received both messages, each marked as a test.
    const received = (await sandbox.sentMessages(appId, 'o_sim_tester')).map(
      (m) => (m.body.text as { content?: string } | undefined)?.content ?? '',
    );
    assert.deepEqual(received, [
      '【测试】欢迎关注！回复“优惠”领券。',
      '【测试】新人券 SAMPLE-0001',
    ]);

    // The dry run over the brand's real followers (the tester alone): nothing sent.
    const dry = page.getByTestId('sim-dry-run');
    await dry.getByRole('button', { name: '试运行' }).click();
    const summary = dry.getByTestId('sim-dry-run-result');
    await summary.waitFor();
    assert.match(await summary.innerText(), /抽样 1 \/ 1 位粉丝：1 位会进入流程。/);
    assert.match(await summary.locator('tr[data-node-id="nudge"]').innerText(), /发送 1 条/);
    await dry.screenshot({ path: '/tmp/simui-dry-run.png' });
    assert.equal((await sandbox.sentMessages(appId, 'o_sim_tester')).length, 2);
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the Simulate tab in English', async () => {
  assert.ok(flowId, 'the zh-CN test made the flow');
  const { context, page, problems } = await openPage(
    browser,
    `/brands/${SLUG}/flows/${flowId}`,
    'en-US',
  );
  await failureShot(page, 'simulate-en-failure', async () => {
    await editorReady(page);
    await page.getByRole('tab', { name: 'Simulate' }).click();
    const panel = page.getByTestId('simulate-panel');
    await panel.getByRole('tab', { name: 'Fan A' }).waitFor();
    await panel.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('sim-end').waitFor();
    assert.match(await page.getByTestId('sim-end').innerText(), /Finished/);
    assert.match(await trace(page).innerText(), /SAMPLE-0001/);
    await page.screenshot({ path: '/tmp/simui-en.png' });
  });
  assert.deepEqual(problems, []);
  await context.close();
});
