/**
 * Pausing from the flows list asks first and says what it holds: how many journeys are
 * running and that their pushes wait until the flow is resumed — in English and in Chinese.
 * Cancelling changes nothing; confirming pauses.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { compile } from '../../engine/compile';
import { flowVersions, flows, followers, journeys } from '../../db/schema';
import { brandId, closeTestDb, testDb } from './support/db';
import { createBrand, failureShot, launch, openPage, shot, storedFlow } from './support/editor';

const SLUG = `e2e-pause-${Date.now().toString(36)}`;
const NAME = '暂停测试 Pause test';

let browser: Browser;
let flowId: string;

/** A live flow with `running` journeys in it (rows only: no workflow needs to run for the list). */
async function liveFlowWithJourneys(running: number): Promise<string> {
  const { db } = testDb();
  const brand = await brandId(SLUG);
  const doc = {
    format: 'fanfare.flow/v1',
    name: NAME,
    nodes: [
      { id: 'follow', kind: 'trigger.follow' },
      { id: 'wait', kind: 'wait.delay', config: { duration: '1d' } },
      {
        id: 'push',
        kind: 'action.push',
        config: { message: { type: 'text', text: 'hello' } },
      },
    ],
    edges: [
      { id: 'e1', from: 'follow', port: 'next', to: 'wait' },
      { id: 'e2', from: 'wait', port: 'next', to: 'push' },
    ],
  };
  const plan = compile(doc);
  const [flow] = await db
    .insert(flows)
    .values({ brandId: brand, name: NAME, status: 'live', draft: doc })
    .returning({ id: flows.id });
  const [version] = await db
    .insert(flowVersions)
    .values({
      flowId: flow!.id,
      version: 1,
      document: doc,
      plan: plan as never,
      contentHash: plan.hash,
    })
    .returning({ id: flowVersions.id });
  await db.update(flows).set({ liveVersionId: version!.id }).where(eq(flows.id, flow!.id));
  for (let i = 0; i < running; i++) {
    const [fan] = await db
      .insert(followers)
      .values({ brandId: brand, openid: `o_pause_${i}`, subscribed: true })
      .returning({ id: followers.id });
    await db.insert(journeys).values({
      brandId: brand,
      flowId: flow!.id,
      flowVersionId: version!.id,
      followerId: fan!.id,
      workflowId: `journey:e2e-pause:${flow!.id}:${i}`,
      entryKey: 'once',
      currentStep: 'wait',
    });
  }
  return flow!.id;
}

before(async () => {
  await createBrand(SLUG, '暂停咖啡 Pause Café');
  flowId = await liveFlowWithJourneys(2);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

/** Clicks the row's button and answers the confirmation; returns what it asked. */
async function answer(page: Page, button: string, accept: boolean): Promise<string> {
  const asked = page.waitForEvent('dialog', { timeout: 10_000 });
  const click = page
    .locator(`tr[data-flow-id="${flowId}"]`)
    .getByRole('button', { name: button })
    .click();
  const dialog = await asked;
  const message = dialog.message();
  assert.equal(dialog.type(), 'confirm');
  await (accept ? dialog.accept() : dialog.dismiss());
  await click;
  return message;
}

test('pausing asks for confirmation and says how many journeys it holds (en)', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`, 'en-US');
  await failureShot(page, 'flow-pause-en-failure', async () => {
    const row = page.locator(`tr[data-flow-id="${flowId}"]`);
    await row.locator('.badge--live').waitFor();

    const question = await answer(page, `Pause: ${NAME}`, false);
    assert.match(question, /2 journeys are running; their pushes will wait until you resume/);
    assert.ok(question.includes(NAME), 'names the flow');
    // Cancelled: still live, nothing happened.
    await page.waitForLoadState('networkidle');
    assert.equal((await storedFlow(flowId))?.status, 'live');
    await row.locator('.badge--live').waitFor();

    await answer(page, `Pause: ${NAME}`, true);
    await page.getByTestId('flow-action-result').getByText('is paused').waitFor();
    await row.locator('.badge--paused').waitFor();
    assert.equal((await storedFlow(flowId))?.status, 'paused');
    await shot(page, 'flow-paused-en');

    // Resuming asks nothing and says the held pushes go out now.
    await row.getByRole('button', { name: `Resume: ${NAME}` }).click();
    await page
      .getByTestId('flow-action-result')
      .getByText('pushes held while it was paused are going out now')
      .waitFor();
    assert.equal((await storedFlow(flowId))?.status, 'live');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('pausing asks for confirmation in Chinese', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`, 'zh-CN');
  await failureShot(page, 'flow-pause-zh-failure', async () => {
    const row = page.locator(`tr[data-flow-id="${flowId}"]`);
    await row.locator('.badge--live').waitFor();
    const question = await answer(page, `暂停：${NAME}`, true);
    assert.match(question, /有 2 段旅程正在进行，其中的推送将暂缓，恢复后立即发出/);
    await row.locator('.badge--paused').waitFor();
    assert.equal((await storedFlow(flowId))?.status, 'paused');
  });
  assert.deepEqual(problems, []);
  await context.close();
});
