/**
 * Browser helpers for the editor tests: a Chromium, a brand with resources, and gestures
 * on the canvas made the way a marketer makes them — dragging from the palette, dragging
 * from one handle to another, clicking nodes, typing in the panel.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { asc, eq } from 'drizzle-orm';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { flows, flowVersions } from '../../../db/schema';
import { fanfare } from '../stack';
import { signInContext } from './auth';
import { insertMenu, insertQrChannel, testDb } from './db';

export const BASE_URL = process.env.BASE_URL ?? '';
if (!BASE_URL) throw new Error('BASE_URL is required (npm run test:e2e sets it)');
export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
mkdirSync(SCREENSHOTS, { recursive: true });

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Opened {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * A laptop-sized page in `locale`, collecting uncaught errors and CSP violations; signed in as the e2e owner
 * unless `signedIn` is false (the sign-in tests).
 */
export async function openPage(
  browser: Browser,
  path: string,
  locale = 'en-US',
  { signedIn = true }: { signedIn?: boolean } = {},
): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale });
  context.setDefaultTimeout(20_000);
  if (signedIn) await signInContext(context, BASE_URL);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // The security headers' policy must let the app (and the React Flow canvas) run untouched.
  page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) problems.push(`CSP: ${m.text()}`);
  });
  await page.goto(new URL(path, BASE_URL).href, { timeout: 90_000 });
  await page.waitForLoadState('networkidle', { timeout: 90_000 });
  return { context, page, problems };
}

/** A brand with a coupon pool (CLI), a default and a VIP menu and a cup QR channel (database). */
export async function createBrand(slug: string, name: string): Promise<{ appId: string }> {
  const env = process.env;
  // Each test brand has its own AppId: the WeChat sandbox keys accounts by it.
  const appId = `wx${randomBytes(8).toString('hex')}`;
  const brand = await fanfare(
    env,
    [
      'brand',
      'create',
      '--slug',
      slug,
      '--name',
      name,
      '--app-id',
      appId,
      '--app-secret',
      '0123456789abcdef0123',
      '--token',
      'e2etoken',
    ],
    'ignore',
  );
  assert.equal(brand, 0, 'fanfare brand create');
  const pool = await fanfare(
    env,
    // With an expiry: the fixtures show {{coupon.expiresAt}} (else a W_COUPON_NO_EXPIRY warning).
    [
      'coupon-pool',
      'create',
      '--brand',
      slug,
      '--name',
      'cup-coupon',
      '--generate',
      '20',
      '--expires',
      '30d',
    ],
    'ignore',
  );
  assert.equal(pool, 0, 'fanfare coupon-pool create');
  await insertMenu(slug, 'default', true);
  await insertMenu(slug, 'vip-menu');
  await insertQrChannel(slug, '杯套 2024', 'cup_2024');
  return { appId };
}

/** Creates a blank flow from the flows list and waits for the editor; returns its id. */
export async function createFlow(
  page: Page,
  slug: string,
  name: string,
  label = 'New flow',
): Promise<string> {
  await page.goto(new URL(`/brands/${slug}`, BASE_URL).href);
  await page.waitForLoadState('networkidle');
  await page.getByLabel(label, { exact: true }).fill(name);
  await page.getByLabel(label, { exact: true }).press('Enter');
  await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 60_000 });
  await editorReady(page);
  return page.url().split('/').pop()!;
}

export async function editorReady(page: Page): Promise<void> {
  await page
    .locator('.editor:not(.editor--viewer)[data-ready="true"] .react-flow__pane')
    .waitFor({ state: 'visible', timeout: 60_000 });
  await page.waitForLoadState('networkidle');
}

export const pane = (page: Page) => page.locator('.react-flow__pane');
export const nodeById = (page: Page, id: string) =>
  page.locator(`.react-flow__node[data-id="${id}"]`);
export const nodesOfKind = (page: Page, kind: string) =>
  page.locator('.react-flow__node', { has: page.locator(`[data-kind="${kind}"]`) });
export const paletteItem = (page: Page, kind: string) =>
  page.locator(`.palette__item[data-kind="${kind}"]`);

/** Ids of the nodes on the canvas, in document order (React Flow renders them in order). */
export async function nodeIds(page: Page): Promise<string[]> {
  return page
    .locator('.react-flow__node')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-id') ?? ''));
}

/** Drags a palette item onto the canvas at (x, y) relative to the pane; returns the new node's id. */
export async function dropNode(
  page: Page,
  kind: string,
  at: { x: number; y: number },
  target: Locator = pane(page),
): Promise<string> {
  const before = new Set(await nodeIds(page));
  await paletteItem(page, kind).dragTo(target, { targetPosition: at });
  const id = await waitForNewNode(page, before);
  return id;
}

export async function waitForNewNode(page: Page, before: Set<string>): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const added = (await nodeIds(page)).filter((id) => !before.has(id));
    if (added.length === 1) return added[0]!;
    await page.waitForTimeout(100);
  }
  throw new Error('no new node appeared on the canvas');
}

async function centerOf(locator: Locator): Promise<{ x: number; y: number }> {
  // Wait until it stops moving (the viewport may still be settling after a drop).
  let last = '';
  for (let i = 0; i < 20; i++) {
    const box = await locator.boundingBox();
    assert.ok(box, 'element has a box');
    const key = `${box.x},${box.y}`;
    if (key === last) return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    last = key;
    await locator.page().waitForTimeout(100);
  }
  throw new Error('the element kept moving');
}

export const sourceHandle = (page: Page, nodeId: string, port: string) =>
  nodeById(page, nodeId).locator(`.react-flow__handle.source[data-handleid="${port}"]`);
export const targetHandle = (page: Page, nodeId: string) =>
  nodeById(page, nodeId).locator('.react-flow__handle.target');

/** What is at a point of the page, as a short CSS-like description. */
async function whatIsAt(page: Page, p: { x: number; y: number }): Promise<string> {
  return page.evaluate(({ x, y }) => {
    const el = document.elementFromPoint(x, y);
    if (!el) return 'nothing';
    const node = el.closest('.react-flow__node');
    const cls =
      typeof el.className === 'string' ? el.className.split(/\s+/).slice(0, 3).join('.') : '';
    const handle = el.closest('.react-flow__handle');
    return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${handle ? `[handle ${handle.getAttribute('data-handleid') ?? ''} ${handle.classList.contains('source') ? 'source' : 'target'}]` : ''}${node ? ` in node ${node.getAttribute('data-id')}` : ''}`;
  }, p);
}

/** Is the point on the given handle (or, for a target, anywhere on the node — React Flow snaps)? */
async function onHandle(
  page: Page,
  p: { x: number; y: number },
  nodeId: string,
  kind: 'source' | 'target',
  port?: string,
): Promise<boolean> {
  return page.evaluate(
    ({ x, y, nodeId, kind, port }) => {
      const el = document.elementFromPoint(x, y);
      const handle = el?.closest('.react-flow__handle');
      const node = el?.closest('.react-flow__node');
      if (node?.getAttribute('data-id') !== nodeId) return false;
      // An input handle takes the pointer only while a connection is being made: before
      // that, the point must at least be on its step (nothing covers it).
      if (kind === 'target') return true;
      return (
        !!handle &&
        handle.classList.contains(kind) &&
        (port === undefined || handle.getAttribute('data-handleid') === port)
      );
    },
    { ...p, nodeId, kind, port },
  );
}

/** Is the point at least 60 px inside the canvas pane (clear of React Flow's auto-pan band)? */
async function wellInside(page: Page, p: { x: number; y: number }): Promise<boolean> {
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) return false;
  const m = 60;
  return (
    p.x > box.x + m &&
    p.x < box.x + box.width - m &&
    p.y > box.y + m &&
    p.y < box.y + box.height - m
  );
}

/** Waits until the canvas viewport has not moved for a few frames (fit-view animations end). */
async function viewportSettled(page: Page): Promise<void> {
  const transform = () =>
    page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  let last = await transform();
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(120);
    const now = await transform();
    if (now === last) return;
    last = now;
  }
}

/** Drags from an output handle to a node's input handle, with the mouse. */
export async function connect(page: Page, from: string, port: string, to: string): Promise<void> {
  const edges = page.locator('.react-flow__edge');
  const labels = () =>
    edges.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  // The edge's label names both steps and the port, in either language.
  const wanted = (label: string) =>
    new RegExp(`\\b${from}\\b`).test(label) &&
    new RegExp(`\\b${to}\\b`).test(label) &&
    (label.includes(`(${port})`) || label.includes(`（${port}）`));
  const before = await labels();
  const tried: string[] = [];
  // A drag can be lost, or land on a neighbouring handle, when a freshly placed step is still
  // moving on a busy machine: check what was connected and try again, as a person would.
  for (let attempt = 1; attempt <= 4; attempt++) {
    await viewportSettled(page);
    let a = await centerOf(sourceHandle(page, from, port));
    let b = await centerOf(targetHandle(page, to));
    // React Flow pans the canvas by itself while a connection is dragged within 40 px of its
    // edge, moving the target away from under the pointer; a handle that is covered (side
    // panel, minimap) cannot be grabbed at all. Fit the view, then zoom out, until both
    // handles are well inside and uncovered.
    for (let view = 0; view < 4; view++) {
      const fine =
        (await wellInside(page, a)) &&
        (await wellInside(page, b)) &&
        (await onHandle(page, a, from, 'source', port)) &&
        (await onHandle(page, b, to, 'target'));
      if (fine) break;
      await page
        .locator(view === 0 ? '.react-flow__controls-fitview' : '.react-flow__controls-zoomout')
        .click();
      await viewportSettled(page);
      a = await centerOf(sourceHandle(page, from, port));
      b = await centerOf(targetHandle(page, to));
    }
    const atA = await whatIsAt(page, a);
    const atB = await whatIsAt(page, b);
    await page.mouse.move(a.x, a.y);
    await page.waitForTimeout(80);
    await page.mouse.down();
    await page.mouse.move(a.x + 12, a.y + 4, { steps: 4 });
    await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 10 });
    const lineShown = (await page.locator('.react-flow__connectionline').count()) > 0;
    await page.mouse.move(b.x, b.y, { steps: 10 });
    // Settle on the target handle so React Flow registers it before the release.
    await page.mouse.move(b.x + 1, b.y, { steps: 2 });
    await page.mouse.move(b.x, b.y, { steps: 2 });
    await page.waitForTimeout(150);
    // A retried drag is photographed just before the release: the picture shows where the
    // connection line ended (snapped to a handle or not).
    if (attempt > 1) await shot(page, `connect-${from}-${port}-${to}-attempt-${attempt}`);
    await page.mouse.up();
    let added: string[] = [];
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      added = (await labels()).filter((l) => !before.includes(l));
      if (added.length > 0) break;
      await page.waitForTimeout(100);
    }
    if (added.some(wanted)) return;
    tried.push(
      `attempt ${attempt}: from (${Math.round(a.x)},${Math.round(a.y)}) on ${atA} to (${Math.round(b.x)},${Math.round(b.y)}) on ${atB}; connection line ${lineShown ? 'shown' : 'not shown'}; new edges: ${added.length ? added.join(' | ') : 'none'}`,
    );
    if (added.length > 0) {
      // The wrong connection: take it back (the editor's own undo) before trying again.
      await page.keyboard.press('ControlOrMeta+z');
      await page.waitForFunction(
        (n) => document.querySelectorAll('.react-flow__edge').length === n,
        before.length,
      );
    }
    // Whatever the drag left behind (a half-made connection, a menu) goes before the next try.
    await page.keyboard.press('Escape');
  }
  throw new Error(`could not connect ${from}:${port} → ${to}\n${tried.join('\n')}`);
}

/** Clicks a node's title (selecting it alone) and waits for its config panel. */
export async function selectNode(page: Page, id: string): Promise<Locator> {
  // Near the title's start: the minimap may cover a step's right side.
  await nodeById(page, id)
    .locator('.flow-node__head')
    .click({ position: { x: 12, y: 8 } });
  const panel = page.locator(`.panel[data-node-id="${id}"]`);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

/** Edges as [from, port, to], read from the canvas. */
export async function canvasEdges(page: Page): Promise<string[]> {
  const edges = await page
    .locator('.react-flow__edge')
    .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  return edges.sort();
}

/** Waits until autosave has stored everything. */
export async function waitSaved(page: Page): Promise<void> {
  await page
    .locator('.save-state[data-state="saved"]')
    .waitFor({ state: 'visible', timeout: 20_000 });
}

export async function storedDraft(flowId: string): Promise<
  {
    nodes: {
      id: string;
      kind: string;
      label?: string;
      position?: { x: number; y: number };
      config?: unknown;
    }[];
    edges: { id: string; from: string; port: string; to: string }[];
    name: string;
  } & Record<string, unknown>
> {
  const [row] = await testDb()
    .db.select({ draft: flows.draft })
    .from(flows)
    .where(eq(flows.id, flowId));
  assert.ok(row, 'flow row exists');
  return row.draft as never;
}

export async function storedVersions(flowId: string) {
  return testDb()
    .db.select()
    .from(flowVersions)
    .where(eq(flowVersions.flowId, flowId))
    .orderBy(asc(flowVersions.version));
}

export async function storedFlow(flowId: string) {
  const [row] = await testDb().db.select().from(flows).where(eq(flows.id, flowId));
  return row;
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SCREENSHOTS}${name}.png` });

/** Ctrl on Linux/Windows, Cmd on macOS (the editor accepts both). */
export const MOD = process.platform === 'darwin' ? 'Meta' : 'Control';

/** Runs `body`; if it throws, saves a screenshot first (the page as the test last saw it). */
export async function failureShot(
  page: Page,
  name: string,
  body: () => Promise<void>,
): Promise<void> {
  try {
    await body();
  } catch (error) {
    await shot(page, name).catch(() => {});
    throw error;
  }
}
