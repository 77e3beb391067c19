/**
 * Acceptance 3 and the rest of the flow's life: import (an invalid file changes nothing, a
 * valid one replaces the draft), publish twice (the second dialog shows what changed), the
 * history lists both versions, a version opens read-only, "restore as draft" works from the
 * version page and from the history panel; then the flows list pauses, resumes, duplicates
 * and archives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { root } from './stack';
import { closeTestDb } from './support/db';
import {
  BASE_URL,
  createBrand,
  createFlow,
  editorReady,
  failureShot,
  launch,
  nodeById,
  openPage,
  selectNode,
  shot,
  storedDraft,
  storedFlow,
  storedVersions,
  waitSaved,
} from './support/editor';

const SLUG = `e2e-ver-${Date.now().toString(36)}`;
const FIXTURE_FILE = `${root}/test/fixtures/flows/valid/cup-qr-coupon-vip.json`;
const FIXTURE = JSON.parse(readFileSync(FIXTURE_FILE, 'utf8')) as { name: string };
const INVALID_FILE = `${root}/test/fixtures/flows/invalid/E_NO_TRIGGER.json`;

let browser: Browser;
before(async () => {
  await createBrand(SLUG, '杯子咖啡 Versions');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

async function publish(page: Page, expect: RegExp | string) {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('publish-diff').waitFor();
  const text = await dialog.innerText();
  if (typeof expect === 'string')
    assert.ok(text.includes(expect), `the publish dialog says "${expect}": ${text}`);
  else assert.match(text, expect);
  await dialog.getByRole('button', { name: 'Publish now' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

test('import, publish twice, history, view read-only, restore as draft; then the list actions', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`);
  await failureShot(page, 'editor-versions-failure', async () => {
    const flowId = await createFlow(page, SLUG, 'Imported later');

    // An invalid file: its issues are shown, the draft does not change.
    await page.getByTestId('import-file').setInputFiles(INVALID_FILE);
    const problem = page.getByTestId('import-problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), /E_NO_TRIGGER/);
    await shot(page, 'editor-import-invalid');
    await page.getByRole('button', { name: 'Close' }).click();
    assert.equal(await page.locator('.react-flow__node').count(), 0);
    assert.equal((await storedDraft(flowId)).nodes.length, 0);

    // A valid file replaces the draft.
    await page.getByTestId('import-file').setInputFiles(FIXTURE_FILE);
    await nodeById(page, 'scan').waitFor();
    assert.equal(await page.locator('.react-flow__node').count(), 6);
    await waitSaved(page);
    assert.equal((await storedDraft(flowId)).name, FIXTURE.name);

    // Export downloads the draft as it is stored.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.flow\.json$/);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    assert.deepEqual(exported, await storedDraft(flowId));

    await publish(page, '6 steps go live');
    await page.getByText('Published v1').waitFor();

    // Change one step and publish again: the dialog names what changed.
    const panel = await selectNode(page, 'push');
    await panel.getByLabel('Label').fill('发送领券消息 v2');
    await waitSaved(page);
    await publish(page, 'Changed (1)');
    await page.getByText('Published v2').waitFor();
    const versions = await storedVersions(flowId);
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2],
    );
    assert.equal((await storedFlow(flowId))?.liveVersionId, versions[1]!.id);
    assert.notEqual(versions[0]!.contentHash, versions[1]!.contentHash);

    // History lists both; v1 opens read-only.
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.locator('.versions .version');
    await history.nth(1).waitFor();
    assert.deepEqual(
      await history.evaluateAll((els) => els.map((el) => el.getAttribute('data-version'))),
      ['2', '1'],
    );
    assert.match(await history.nth(0).innerText(), /Live/);
    await shot(page, 'editor-history');
    await history.nth(1).getByRole('link', { name: 'View' }).click();
    await page.waitForURL(/\/versions\/1$/);
    // The version page's own viewer (the editor's canvas may still be on screen right after
    // the URL changes: a client-side navigation renders the new page a moment later).
    await page.locator('.editor--viewer[data-ready="true"] .react-flow__node').first().waitFor();
    assert.match(await page.locator('h1').innerText(), /v1/);
    const pushNode = nodeById(page, 'push');
    await pushNode.getByText('发送领券消息').waitFor();
    assert.doesNotMatch(await pushNode.innerText(), /v2/);
    assert.equal(
      await page.locator('.react-flow__node.draggable').count(),
      0,
      'nothing can be dragged',
    );
    await pushNode.locator('.flow-node__head').click();
    assert.equal(
      await page.locator('.panel').getByLabel('Label').getAttribute('readonly'),
      '',
      'fields are read-only',
    );
    await shot(page, 'editor-version-view');

    // Restore v1 as the draft (from the version page).
    await page.getByRole('button', { name: 'Restore as draft' }).click();
    await page.waitForURL(new RegExp(`/brands/${SLUG}/flows/${flowId}$`));
    await editorReady(page);
    assert.equal(
      (await storedDraft(flowId)).nodes.find((n) => n.id === 'push')?.label,
      '发送领券消息',
    );
    await nodeById(page, 'push').getByText('发送领券消息').waitFor();
    assert.doesNotMatch(await nodeById(page, 'push').innerText(), /v2/);
    assert.equal(
      (await storedFlow(flowId))?.liveVersionId,
      versions[1]!.id,
      'the live version is untouched',
    );

    // …and v2 back again from the history panel.
    await page.getByRole('tab', { name: 'History' }).click();
    page.once('dialog', (d) => void d.accept());
    await page
      .locator('.version[data-version="2"]')
      .getByRole('button', { name: 'Restore as draft' })
      .click();
    await page.getByText('v2 is now the draft').waitFor();
    await nodeById(page, 'push').getByText('v2').waitFor();
    assert.equal(
      (await storedDraft(flowId)).nodes.find((n) => n.id === 'push')?.label,
      '发送领券消息 v2',
    );

    // The flows list: live v2, pause, resume, duplicate, archive the copy.
    await page.goto(new URL(`/brands/${SLUG}`, BASE_URL).href);
    const row = page.locator(`tr[data-flow-id="${flowId}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Live[\s\S]*v2/);
    const result = page.getByTestId('flow-action-result');
    page.once('dialog', (d) => void d.accept()); // "… journeys are running; their pushes will wait"
    await row.getByRole('button', { name: `Pause: ${FIXTURE.name}` }).click();
    await result.getByText('is paused').waitFor();
    await row.locator('.badge--paused').waitFor();
    assert.equal((await storedFlow(flowId))?.status, 'paused');
    await row.getByRole('button', { name: `Resume: ${FIXTURE.name}` }).click();
    await result.getByText('is live again').waitFor();
    await row.locator('.badge--live').waitFor();
    assert.equal((await storedFlow(flowId))?.status, 'live');
    await row.getByRole('button', { name: `Duplicate: ${FIXTURE.name}` }).click();
    await result.getByText('as a copy').waitFor();
    const copyName = `${FIXTURE.name} (copy)`;
    const copyRow = page.locator('tr', { has: page.getByRole('link', { name: copyName }) });
    await copyRow.locator('.badge--draft').waitFor();
    page.once('dialog', (d) => void d.accept());
    await copyRow.getByRole('button', { name: `Archive: ${copyName}` }).click();
    await result.getByText('is archived').waitFor();
    await copyRow.locator('.badge--archived').waitFor();
    assert.equal(
      await copyRow.getByRole('button', { name: `Archive: ${copyName}` }).count(),
      0,
      'an archived flow cannot be archived again',
    );
    await shot(page, 'flows-list-actions');
  });
  assert.deepEqual(problems, []);
  await context.close();
});
