/**
 * Issue 8, the editor says what it stores (in zh-CN, as a marketer uses it):
 * - the wait's time limit keeps its unit when the number is cleared, the step never reads
 *   "最多等 h", and the empty number is an error on the field;
 * - waiting for a keyword offers the keyword trigger's match modes, and needs a keyword;
 * - a birthday flow starts as "enter again after the previous journey", and "once" warns;
 * - every problem is a sentence in the marketer's words (labels, not paths, ids or ports);
 * - auto-layout reads top to bottom at a readable zoom;
 * - the publish dialog says what changed in a step, before → after, in zh-CN and en.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { closeTestDb } from './support/db';
import {
  BASE_URL,
  createBrand,
  createFlow,
  dropNode,
  editorReady,
  failureShot,
  launch,
  nodeById,
  openPage,
  selectNode,
  shot,
  storedDraft,
  waitSaved,
} from './support/editor';

const SLUG = `e2e-words-${Date.now().toString(36)}`;
let browser: Browser;
before(async () => {
  await createBrand(SLUG, '杯子咖啡 Words');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await closeTestDb();
});

async function withPage(name: string, locale: string, body: (page: Page) => Promise<void>) {
  const { context, page, problems } = await openPage(browser, `/brands/${SLUG}`, locale);
  await failureShot(page, `editor-words-${name}-failure`, () => body(page));
  assert.deepEqual(problems, []);
  await context.close();
}

/** Replaces the draft with a document, through the editor's own import button. */
async function importDoc(page: Page, doc: object) {
  await page.getByTestId('import-file').setInputFiles({
    name: 'flow.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  const first = (doc as { nodes: { id: string }[] }).nodes[0]!.id;
  await nodeById(page, first).waitFor();
  await waitSaved(page);
}

const flow = (
  nodes: object[],
  edges: object[],
  settings: object = { entry: { reentry: 'once' } },
) => ({
  format: 'fanfare.flow/v1',
  name: '说人话',
  settings: { timezone: 'Asia/Shanghai', ...settings },
  nodes,
  edges,
});

const REPLY_FLOW = flow(
  [
    { id: 'n1', kind: 'trigger.follow', label: '新关注', position: { x: 40, y: 20 }, config: {} },
    {
      id: 'n2',
      kind: 'wait.event',
      label: '等回复',
      position: { x: 40, y: 180 },
      config: { event: { type: 'keyword', keywords: ['券'], match: 'exact' }, timeout: '48h' },
    },
    {
      id: 'n3',
      kind: 'action.tag',
      label: '打回复标签',
      position: { x: -120, y: 360 },
      config: { add: ['回复过'] },
    },
    { id: 'n4', kind: 'flow.end', label: '结束', position: { x: 200, y: 360 } },
  ],
  [
    { id: 'e1', from: 'n1', port: 'next', to: 'n2' },
    { id: 'e2', from: 'n2', port: 'matched', to: 'n3' },
    { id: 'e3', from: 'n2', port: 'timeout', to: 'n4' },
  ],
);

async function publishNow(page: Page, label: string, confirm: string, done: RegExp) {
  await page.getByRole('button', { name: label, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('publish-diff').waitFor();
  await dialog.getByRole('button', { name: confirm }).click();
  await page.getByText(done).first().waitFor();
}

const optionsOf = (page: Page, path: string) =>
  page
    .locator(`.panel .field[data-path="${path}"] select option`)
    .evaluateAll((els) => els.map((el) => `${(el as HTMLOptionElement).value}=${el.textContent}`));

test('the wait keeps its unit, waiting for a keyword matches like the trigger, and publishing says what changed', async () => {
  let flowId = '';
  await withPage('wait', 'zh-CN', async (page) => {
    flowId = await createFlow(page, SLUG, '等回复流程', '新建流程');
    await importDoc(page, REPLY_FLOW);
    await publishNow(page, '发布', '立即发布', /已发布 v1/);

    // Item 8: clearing the number keeps 小时, the step does not read "最多等 h", the field says why.
    const panel = await selectNode(page, 'n2');
    const timeout = panel.locator('.field[data-path="timeout"]');
    const amount = timeout.locator('input[type="number"]');
    const unit = timeout.getByRole('combobox', { name: '单位' });
    assert.equal(await amount.inputValue(), '48');
    assert.equal(await unit.inputValue(), 'h');
    await amount.fill('');
    await timeout.locator('.field__issue--error').waitFor();
    assert.match(await timeout.locator('.field__issue').innerText(), /“最多等待”需要填写数字/);
    assert.equal(await unit.inputValue(), 'h', 'the unit stays hours while the number is empty');
    const summary = nodeById(page, 'n2').locator('.flow-node__summary');
    assert.doesNotMatch(await summary.innerText(), /最多等\s*h|\bh$/);
    assert.match(await summary.innerText(), /未设置最多等待时间/);
    await shot(page, 'editor-words-wait-empty');
    await amount.fill('48');
    await waitSaved(page);
    assert.equal(
      nodeConfig(await storedDraft(flowId), 'n2').timeout,
      '48h',
      'typing 48 again gives 48 hours',
    );
    assert.match(await summary.innerText(), /最多等 48 小时/);
    await amount.fill('1');
    await unit.selectOption('m');
    await waitSaved(page);
    assert.equal(nodeConfig(await storedDraft(flowId), 'n2').timeout, '1m');

    // Item 9: the keyword event has the trigger's match modes; no keyword is an error on the field.
    assert.deepEqual(await optionsOf(page, 'event/match'), [
      'exact=完全匹配',
      'contains=包含',
      'regex=正则表达式',
    ]);
    await panel.locator('.field[data-path="event/match"] select').selectOption('contains');
    const keywords = panel.locator('.field[data-path="event/keywords"]');
    await keywords.getByRole('button', { name: '移除 券' }).click();
    await keywords.locator('.field__issue--error').waitFor();
    assert.match(await keywords.locator('.field__issue').innerText(), /至少填写一个关键词/);
    await shot(page, 'editor-words-keyword-empty');
    await keywords.getByRole('textbox').fill('券');
    await keywords.getByRole('textbox').press('Enter');
    await keywords.locator('.field__issue').waitFor({ state: 'detached' });
    await waitSaved(page);
    assert.deepEqual(nodeConfig(await storedDraft(flowId), 'n2').event, {
      type: 'keyword',
      keywords: ['券'],
      match: 'contains',
    });
    await shot(page, 'editor-words-keyword-match');

    // The keyword trigger offers the very same choices.
    const trigger = await dropNode(page, 'trigger.keyword', { x: 700, y: 120 });
    await selectNode(page, trigger);
    assert.deepEqual(await optionsOf(page, 'match'), [
      'exact=完全匹配',
      'contains=包含',
      'regex=正则表达式',
    ]);
    await page.getByRole('button', { name: '删除节点' }).click();
    await nodeById(page, trigger).waitFor({ state: 'detached' });
    await waitSaved(page);

    // Item 13: the publish dialog lists each changed field, before → after.
    await page.getByRole('button', { name: '发布', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const changed = dialog.locator('[data-diff="changed"] [data-step="n2"]');
    await changed.waitFor();
    const lines = await changed.locator('.diff__fields li').allInnerTexts();
    assert.deepEqual(lines, [
      '等待的事件 › 匹配方式：完全匹配 → 包含',
      '最多等待：48 小时 → 1 分钟',
    ]);
    assert.match(await changed.innerText(), /「等回复」/);
    await shot(page, 'editor-words-publish-zh');
    await dialog.getByRole('button', { name: '取消' }).click();
  });

  // …and in English.
  await withPage('publish-en', 'en-US', async (page) => {
    await page.goto(new URL(`/brands/${SLUG}/flows/${flowId}`, BASE_URL).href);
    await editorReady(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const changed = page.getByRole('dialog').locator('[data-diff="changed"] [data-step="n2"]');
    await changed.waitFor();
    assert.deepEqual(await changed.locator('.diff__fields li').allInnerTexts(), [
      'Wait for › Matching: exact → contains',
      'Wait at most: 48 hours → 1 minute',
    ]);
    await shot(page, 'editor-words-publish-en');
  });
});

function nodeConfig(
  draft: Awaited<ReturnType<typeof storedDraft>>,
  id: string,
): Record<string, unknown> {
  return draft.nodes.find((n) => n.id === id)!.config as Record<string, unknown>;
}

test('a birthday flow enters again each year by default, and "once" is a warning', async () => {
  await withPage('birthday', 'zh-CN', async (page) => {
    const flowId = await createFlow(page, SLUG, '生日祝福', '新建流程');
    await dropNode(page, 'trigger.birthday', { x: 200, y: 120 });
    await waitSaved(page);
    assert.deepEqual((await storedDraft(flowId)).settings, {
      timezone: 'Asia/Shanghai',
      quietHours: null,
      frequencyCap: null,
      exitOn: [],
      goal: null,
      entry: { reentry: 'after_exit' },
    });
    await page.getByRole('tab', { name: '设置' }).click();
    const reentry = page.locator('.settings .field[data-path="settings/entry"]');
    const select = reentry.locator('select');
    assert.equal(await select.inputValue(), 'after_exit');
    assert.equal(await reentry.locator('label').innerText(), '重复进入');
    await shot(page, 'editor-words-birthday-default');

    await select.selectOption('once');
    const warning = reentry.locator('.field__issue--warning');
    await warning.waitFor();
    assert.match(await warning.innerText(), /每位粉丝只会在一个生日收到祝福/);
    await page.getByRole('tab', { name: /问题/ }).click();
    await page.locator('.issue[data-code="W_DATE_TRIGGER_ONCE"]').waitFor();
    await shot(page, 'editor-words-birthday-once');
  });
});

test('problems are sentences in the marketer’s words', async () => {
  await withPage('issues', 'zh-CN', async (page) => {
    const flowId = await createFlow(page, SLUG, '会员分流', '新建流程');
    await importDoc(
      page,
      flow(
        [
          { id: 'n1', kind: 'trigger.follow', position: { x: 40, y: 20 }, config: {} },
          {
            id: 'n2',
            kind: 'condition.rules',
            position: { x: 40, y: 170 },
            config: {
              rules: {
                all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: '北京' }],
              },
            },
          },
          {
            id: 'n3',
            kind: 'action.tag',
            position: { x: -100, y: 330 },
            config: { add: ['会员欢迎'] },
          },
        ],
        [
          { id: 'e1', from: 'n1', port: 'next', to: 'n2' },
          { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
        ],
      ),
    );
    // An unconnected coupon step with no pool: an error on its field.
    const coupon = await dropNode(page, 'action.coupon', { x: 620, y: 200 });
    await page.getByRole('tab', { name: /问题/ }).click();
    const issues = page.locator('.issue');
    await page.locator('.issue[data-code="E_CONFIG"]').waitFor();
    const messages = await page.locator('.issue .issue__message').allInnerTexts();
    const byCode = async (code: string) =>
      page.locator(`.issue[data-code="${code}"] .issue__message`).allInnerTexts();
    assert.deepEqual(await byCode('W_OPEN_PORT'), [
      '「条件判断」的“否”出口没有连线，走这条分支的粉丝会在此离开流程。',
    ]);
    assert.match((await byCode('E_CONFIG'))[0]!, /^「发券」：“券池”/);
    assert.deepEqual(await byCode('W_UNREACHABLE'), [
      '没有任何触发器通向「发券」，粉丝永远不会到达这一步。',
    ]);
    // The tag step's open exit simply ends the journey: no warning about it.
    assert.equal(
      await page.locator('.issue[data-code="W_OPEN_PORT"][data-node-id="n3"]').count(),
      0,
    );
    const draft = await storedDraft(flowId);
    const ids = [...draft.nodes.map((n) => n.id), ...draft.edges.map((e) => e.id), coupon];
    for (const message of messages) {
      for (const id of ids)
        assert.doesNotMatch(
          message,
          new RegExp(`(^|[^A-Za-z0-9_])${id}([^A-Za-z0-9_]|$)`),
          `no id in: ${message}`,
        );
      assert.doesNotMatch(
        message,
        /["“「](next|yes|no|matched|timeout)["”」]/,
        `no port id in: ${message}`,
      );
      assert.doesNotMatch(
        message,
        /\bpool\b|rules\.all|\$\.|\/config\//,
        `no field path in: ${message}`,
      );
    }
    // The issue list names each step the same way, not by its id.
    const where = await issues.locator('.issue__where').allInnerTexts();
    for (const w of where) for (const id of ids) assert.doesNotMatch(w, new RegExp(`· ${id}$`));
    await shot(page, 'editor-words-issues');
  });
});

test('auto-layout reads top to bottom at a readable zoom, scrolling rather than shrinking', async () => {
  await withPage('layout', 'zh-CN', async (page) => {
    const flowId = await createFlow(page, SLUG, '长流程', '新建流程');
    // Fourteen steps in a chain, piled where the import put them.
    const nodes: object[] = [{ id: 'n1', kind: 'trigger.follow', config: {} }];
    const edges: object[] = [];
    for (let i = 2; i <= 14; i++) {
      nodes.push(
        i === 14
          ? { id: `n${i}`, kind: 'flow.end' }
          : i % 2
            ? { id: `n${i}`, kind: 'action.tag', config: { add: [`第${i}步`] } }
            : { id: `n${i}`, kind: 'wait.delay', config: { duration: `${i}h` } },
      );
      edges.push({ id: `e${i}`, from: `n${i - 1}`, port: 'next', to: `n${i}` });
    }
    await importDoc(page, flow(nodes, edges));
    const before = JSON.stringify((await storedDraft(flowId)).nodes.map((n) => n.position ?? null));
    await page.getByRole('button', { name: '自动排版' }).click();
    let positions = new Map<string, { x: number; y: number }>();
    for (let i = 0; i < 100; i++) {
      await page.waitForTimeout(200);
      const stored = (await storedDraft(flowId)).nodes;
      if (JSON.stringify(stored.map((n) => n.position ?? null)) !== before) {
        positions = new Map(stored.map((n) => [n.id, n.position!]));
        break;
      }
    }
    await waitSaved(page);
    for (let i = 2; i <= 14; i++) {
      const [a, b] = [positions.get(`n${i - 1}`)!, positions.get(`n${i}`)!];
      assert.ok(a.y < b.y, `n${i - 1} is above n${i}`);
      assert.ok(
        Math.abs(a.x - b.x) < 40,
        `a chain stays in one column (n${i - 1} ${a.x}, n${i} ${b.x})`,
      );
    }
    // The view settles at a readable zoom with the trigger in view: the rest is a scroll away.
    await page.waitForTimeout(600);
    const zoom = await page
      .locator('.react-flow__viewport')
      .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
    assert.ok(zoom >= 0.75 && zoom <= 1, `a readable zoom (${zoom})`);
    const pane = (await page.locator('.react-flow__pane').boundingBox())!;
    const first = (await nodeById(page, 'n1').boundingBox())!;
    assert.ok(
      first.y >= pane.y && first.y + first.height <= pane.y + pane.height,
      'the trigger is in view',
    );
    assert.ok(
      first.x >= pane.x && first.x + first.width <= pane.x + pane.width,
      'the trigger is in view across',
    );
    await shot(page, 'editor-words-layout-top');
    // The wheel scrolls down the flow (it does not zoom).
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    const lastInView = async () => {
      const last = (await nodeById(page, 'n14').boundingBox())!;
      return last.y >= pane.y && last.y + last.height <= pane.y + pane.height;
    };
    for (let i = 0; i < 8 && !(await lastInView()); i++) {
      await page.mouse.wheel(0, 400);
      await page.waitForTimeout(250);
    }
    assert.ok(await lastInView(), 'the end of the flow scrolled into view');
    const after = await page
      .locator('.react-flow__viewport')
      .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
    assert.equal(after, zoom, 'scrolling keeps the zoom');
    await shot(page, 'editor-words-layout-scrolled');
  });
});
