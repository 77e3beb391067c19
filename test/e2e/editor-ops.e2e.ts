/**
 * Acceptance 2: undo/redo, copy/paste (and duplicate, multi-select, delete), insert-on-edge
 * and auto-layout, each through the real UI with the keyboard shortcuts and the mouse —
 * checked on the canvas and in the draft the server stored.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { closeTestDb, insertFollower } from './support/db';
import {
  BASE_URL,
  canvasEdges,
  connect,
  createBrand,
  createFlow,
  dropNode,
  failureShot,
  launch,
  MOD,
  nodeById,
  nodeIds,
  openPage,
  selectNode,
  shot,
  storedDraft,
  waitSaved,
} from './support/editor';

const SLUG = `e2e-ops-${Date.now().toString(36)}`;
let browser: Browser;
before(async () => {
  await createBrand(SLUG, '杯子咖啡 Ops');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

async function withEditor(name: string, body: (page: Page, flowId: string) => Promise<void>) {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`);
  await failureShot(page, `editor-ops-${name}-failure`, async () => {
    const flowId = await createFlow(page, SLUG, `Ops ${name}`);
    await body(page, flowId);
  });
  assert.deepEqual(problems, []);
  await context.close();
}

/** Clicks an empty spot of the canvas (clears the selection, takes focus off the fields). */
async function clickPane(page: Page) {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.click(box.x + box.width - 260, box.y + 30);
}

test('undo and redo with Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (and the toolbar)', async () => {
  await withEditor('undo', async (page, flowId) => {
    const a = await dropNode(page, 'trigger.follow', { x: 150, y: 120 });
    const b = await dropNode(page, 'flow.end', { x: 450, y: 120 });
    await connect(page, a, 'next', b);
    await page.locator('.react-flow__edge').first().waitFor({ state: 'attached' });
    await clickPane(page);

    await page.keyboard.press(`${MOD}+z`);
    await page.locator('.react-flow__edge').first().waitFor({ state: 'detached' });
    assert.deepEqual(await nodeIds(page), [a, b], 'the connection is undone, the nodes stay');
    await page.keyboard.press(`${MOD}+z`);
    await nodeById(page, b).waitFor({ state: 'detached' });
    assert.deepEqual(await nodeIds(page), [a]);

    await page.keyboard.press(`Shift+${MOD}+z`);
    await nodeById(page, b).waitFor();
    await page.keyboard.press(`Shift+${MOD}+z`);
    await page.locator('.react-flow__edge').first().waitFor({ state: 'attached' });
    assert.equal((await canvasEdges(page)).length, 1);

    // The toolbar does the same.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.locator('.react-flow__edge').first().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await page.locator('.react-flow__edge').first().waitFor({ state: 'attached' });

    // A burst of typing in one field is one undo step.
    const panel = await selectNode(page, a);
    await panel.getByLabel('Label').pressSequentially('Welcome', { delay: 20 });
    await clickPane(page);
    await page.keyboard.press(`${MOD}+z`);
    await page.waitForFunction(
      (id) =>
        !document
          .querySelector(`.react-flow__node[data-id="${id}"]`)
          ?.textContent?.includes('Welcome'),
      a,
    );
    await page.keyboard.press(`Shift+${MOD}+z`);
    await nodeById(page, a).getByText('Welcome').waitFor();

    await waitSaved(page);
    const draft = await storedDraft(flowId);
    assert.deepEqual(
      draft.nodes.map((n) => n.id),
      [a, b],
    );
    assert.equal(draft.nodes[0]!.label, 'Welcome');
    assert.deepEqual(
      draft.edges.map((e) => [e.from, e.port, e.to]),
      [[a, 'next', b]],
    );
  });
});

test('copy/paste, duplicate, multi-select and delete', async () => {
  await withEditor('clipboard', async (page, flowId) => {
    const tag = await dropNode(page, 'action.tag', { x: 150, y: 100 });
    const panel = await selectNode(page, tag);
    await panel.getByLabel('Add tags', { exact: true }).fill('vip');
    await panel.getByLabel('Add tags', { exact: true }).press('Enter');
    await panel.locator('.chip', { hasText: 'vip' }).waitFor();
    await nodeById(page, tag).locator('.flow-node__head').click();

    await page.keyboard.press(`${MOD}+c`);
    await page.keyboard.press(`${MOD}+v`);
    await page.locator('.react-flow__node').nth(1).waitFor();
    const [, pasted] = await nodeIds(page);
    assert.ok(pasted && pasted !== tag);
    assert.match(await nodeById(page, pasted).innerText(), /vip/, 'the copy keeps the config');
    await page.keyboard.press(`${MOD}+d`);
    await page.locator('.react-flow__node').nth(2).waitFor();
    const ids = await nodeIds(page);
    assert.equal(ids.length, 3);

    // Ctrl/Cmd+click adds to the selection; Delete removes both.
    await nodeById(page, ids[1]!).locator('.flow-node__head').click();
    await nodeById(page, ids[2]!)
      .locator('.flow-node__head')
      .click({ modifiers: [MOD === 'Meta' ? 'Meta' : 'Control'] });
    await page.getByText('2 steps selected').waitFor();
    await page.keyboard.press('Delete');
    await nodeById(page, ids[2]!).waitFor({ state: 'detached' });
    assert.deepEqual(await nodeIds(page), [tag]);
    await shot(page, 'editor-ops-clipboard');

    await waitSaved(page);
    const draft = await storedDraft(flowId);
    assert.deepEqual(
      draft.nodes.map((n) => n.id),
      [tag],
    );
    assert.deepEqual((draft.nodes[0]!.config as { add: string[] }).add, ['vip']);
  });
});

test('dropping a palette item onto a connection inserts the step there', async () => {
  await withEditor('insert', async (page, flowId) => {
    const a = await dropNode(page, 'trigger.follow', { x: 130, y: 150 });
    const b = await dropNode(page, 'flow.end', { x: 620, y: 150 });
    await connect(page, a, 'next', b);
    const edge = page.locator('.react-flow__edge').first();
    await edge.waitFor({ state: 'attached' });
    // The middle of the connection, in the pane's coordinates.
    const paneBox = (await page.locator('.react-flow__pane').boundingBox())!;
    const path = (await edge.locator('path.react-flow__edge-path').boundingBox())!;
    const mid = { x: path.x + path.width / 2 - paneBox.x, y: path.y + path.height / 2 - paneBox.y };
    const wait = await dropNode(page, 'wait.delay', mid);

    await page.locator('.react-flow__edge').nth(1).waitFor({ state: 'attached' });
    const draftEdges = async () =>
      (await storedDraft(flowId)).edges.map((e) => `${e.from}.${e.port}→${e.to}`).sort();
    await waitSaved(page);
    assert.deepEqual(await draftEdges(), [`${a}.next→${wait}`, `${wait}.next→${b}`].sort());
    await shot(page, 'editor-ops-insert');
  });
});

test('auto-layout places the steps top to bottom without overlaps, in one undo step', async () => {
  await withEditor('layout', async (page, flowId) => {
    // Four steps piled up in a column, connected into a chain with a condition.
    const ids = [
      await dropNode(page, 'trigger.follow', { x: 400, y: 80 }),
      await dropNode(page, 'condition.rules', { x: 400, y: 190 }),
      await dropNode(page, 'action.tag', { x: 400, y: 320 }),
      await dropNode(page, 'flow.end', { x: 400, y: 430 }),
    ];
    await connect(page, ids[0]!, 'next', ids[1]!);
    await connect(page, ids[1]!, 'yes', ids[2]!);
    await connect(page, ids[1]!, 'no', ids[3]!);
    await page.locator('.react-flow__edge').nth(2).waitFor({ state: 'attached' });
    await waitSaved(page);
    const before = (await storedDraft(flowId)).nodes.map((n) => n.position);

    await page.getByRole('button', { name: 'Auto-layout' }).click();
    // Wait until the new positions are stored.
    let after = new Map<string, { x: number; y: number }>();
    for (let i = 0; i < 100; i++) {
      await page.waitForTimeout(200);
      const nodes = (await storedDraft(flowId)).nodes;
      if (JSON.stringify(nodes.map((n) => n.position)) !== JSON.stringify(before)) {
        after = new Map(nodes.map((n) => [n.id, n.position!]));
        break;
      }
    }
    await waitSaved(page);
    const [trigger, condition, tag, end] = ids.map((id) => after.get(id)!);
    assert.ok(trigger!.y < condition!.y, 'the trigger is above the condition');
    assert.ok(
      condition!.y < tag!.y && condition!.y < end!.y,
      'both branches are below the condition',
    );
    assert.ok(tag!.x < end!.x, '"yes" left of "no"');
    // No two nodes overlap on screen.
    const boxes = await page
      .locator('.react-flow__node')
      .evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const p = boxes[i]!;
        const q = boxes[j]!;
        const overlap =
          p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
        assert.equal(overlap, false, `nodes ${i} and ${j} overlap`);
      }
    await shot(page, 'editor-ops-layout');

    // One undo puts every step back.
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(`${MOD}+z`);
    await page.waitForTimeout(200);
    await waitSaved(page);
    assert.deepEqual(
      (await storedDraft(flowId)).nodes.map((n) => n.position),
      before,
    );
  });
});

test('the editor speaks Chinese', async () => {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`, 'zh-CN');
  await failureShot(page, 'editor-zh-failure', async () => {
    await createFlow(page, SLUG, '中文界面', '新建流程');
    for (const heading of ['触发器', '逻辑', '动作'])
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    for (const tab of ['节点', '问题', '设置', '历史版本'])
      await page.getByRole('tab', { name: tab }).waitFor();
    const id = await dropNode(page, 'action.coupon', { x: 200, y: 150 });
    const panel = await selectNode(page, id);
    await panel.getByText('请选择券池').first().waitFor();
    assert.equal(
      await page.getByRole('button', { name: '发布', exact: true }).isDisabled(),
      true,
      'publishing is blocked by the error',
    );
    // Keyboard only: Enter on a palette item adds the step in view.
    await page.locator('.palette__item[data-kind="wait.delay"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.react-flow__node').nth(1).waitFor();
    assert.match(await page.locator('.react-flow__node').nth(1).innerText(), /等待/);
    await shot(page, 'editor-zh-CN');
  });
  assert.deepEqual(problems, []);
  await context.close();
});

test('autosave: the server refuses a malformed draft with a translated error and stores nothing', async () => {
  await withEditor('refuse', async (page, flowId) => {
    await dropNode(page, 'trigger.follow', { x: 150, y: 120 });
    await waitSaved(page);
    const before = await storedDraft(flowId);
    for (const [lang, pattern] of [
      ['zh-CN', /未保存任何内容/],
      ['en', /nothing was stored/],
    ] as const) {
      // As the editor sends it, with the page's session.
      const session = (await page.context().cookies()).find((c) => c.name === 'fanfare_session');
      const response = await fetch(new URL(`/brands/${SLUG}/flows/${flowId}/draft`, BASE_URL), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-language': lang,
          cookie: `${session!.name}=${session!.value}`,
        },
        body: JSON.stringify({
          ...before,
          nodes: [{ id: 'x', kind: 'trigger.follow', surprise: true }],
        }),
      });
      assert.equal(response.status, 400);
      const body = (await response.json()) as {
        ok: boolean;
        message: string;
        issues: { code: string }[];
      };
      assert.equal(body.ok, false);
      assert.match(body.message, pattern);
      assert.ok(
        body.issues.some((i) => i.code === 'E_FORMAT'),
        'the issues say where',
      );
    }
    assert.deepEqual(await storedDraft(flowId), before, 'nothing was stored');
  });
});

test('the rule builder writes json-rules-engine JSON and estimates the audience', async () => {
  await insertFollower(SLUG, 'o_vip_1', ['vip'], { city: '上海' });
  await insertFollower(SLUG, 'o_vip_2', ['vip'], { city: '北京' });
  await insertFollower(SLUG, 'o_plain', [], { city: '上海' });
  await withEditor('rules', async (page, flowId) => {
    const id = await dropNode(page, 'condition.rules', { x: 200, y: 120 });
    const panel = await selectNode(page, id);
    await panel.getByRole('button', { name: '+ Condition' }).click();
    const rule = panel.locator('.rule').first();
    await rule.locator('select.rule-fields').selectOption('follower:$.tags');
    await rule.locator('select.rule-operators').selectOption('hasTag');
    await rule.locator('input.rule-value').fill('vip');
    await panel
      .getByTestId('audience-estimate')
      .getByText('~2 followers match')
      .waitFor({ timeout: 20_000 });
    await panel.getByRole('button', { name: '+ Condition' }).click();
    const second = panel.locator('.rule').nth(1);
    await second.locator('select.rule-fields').selectOption('follower:$.city');
    await second.locator('select.rule-operators').selectOption('equal');
    await second.locator('input.rule-value').fill('上海');
    await panel
      .getByTestId('audience-estimate')
      .getByText('~1 followers match')
      .waitFor({ timeout: 20_000 });
    await shot(page, 'editor-rules');
    await waitSaved(page);
    const node = (await storedDraft(flowId)).nodes.find((n) => n.id === id)!;
    assert.deepEqual(node.config, {
      rules: {
        all: [
          { fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' },
          { fact: 'follower', path: '$.city', operator: 'equal', value: '上海' },
        ],
      },
    });
  });
});
