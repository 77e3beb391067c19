/**
 * `npm run bench -- editor`: a generated 2,000-node flow opened in the editor in Chromium
 * (docs/quality.md: time to interactive < 2 s, p95 frame < 33 ms while panning), and the live
 * validation after one edit of a 500-node flow (< 16 ms at p95; bench/incremental-validate.ts).
 *
 * Starts its own stack (as the browser tests do) and stores the flow in its database; then
 * builds the app and serves it as production does (`remix vite:build` + `remix-serve`,
 * NODE_ENV=production) on that database — marketers use the built app, not Vite's dev
 * server — loads the editor once to warm caches, and measures RUNS fresh page loads:
 * TTI is navigation start → every node drawn and the main thread free to answer (a task run
 * after the next frame). Panning is a mouse drag across the canvas while requestAnimationFrame
 * deltas are recorded in the page.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { secretKey } from '../config/env';
import { connect } from '../db/client';
import { freePort } from '../workflows/temporal-cli';
import { brands, flows } from '../db/schema';
import { databaseUrl } from '../test/e2e/support/db';
import { createRequestAuth } from '../app/lib/request-auth.server';
import { createServices, OPERATOR } from '../services';
import { fanfare, root, stackEnv, startStack, stopStack } from '../test/e2e/stack';
import { generateFlow } from './compile';
import type { BenchResult } from './run';
import { measureIncrementalValidate } from './incremental-validate';
import { knob, SHORT } from './knobs';

const N = knob('BENCH_EDITOR_NODES', 2_000, 2_000);
const RUNS = SHORT ? 2 : 5;
const TTI_TARGET_MS = 2_000;
const FRAME_TARGET_MS = 33;
/** Single edits of a 500-node flow, validated incrementally (the editor's live issues). */
const EDIT_NODES = 500;
const EDITS = knob('BENCH_EDITOR_EDITS', 300, 100);
const EDIT_TARGET_MS = 16;
/** Optional: a CPU profile of the page while panning (.cpuprofile, Chrome DevTools opens it). */
const PROFILE = process.env.BENCH_EDITOR_PROFILE;
/** Optional: a screenshot of the flow in zh-CN, scrolled into its middle. */
const SCREENSHOT = process.env.BENCH_EDITOR_SCREENSHOT;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** The generated flow, laid out on a grid (25 columns) as an auto-layout would spread it. */
function flowOf(size: number): Record<string, unknown> {
  const doc = generateFlow(size) as { nodes: { position?: { x: number; y: number } }[] };
  doc.nodes.forEach((n, i) => (n.position = { x: (i % 25) * 260, y: Math.floor(i / 25) * 140 }));
  return doc as Record<string, unknown>;
}

/**
 * Navigation start → the steps in view drawn and measured (a large flow draws only those:
 * app/components/flow/canvas.tsx), the editor ready, and the main thread free to answer (a
 * task run after the next frame). Returns the time and how many steps were drawn.
 */
async function timeToInteractive(page: Page, url: string): Promise<number> {
  const { tti } = await loadTimes(page, url);
  return tti;
}

/** `timeToInteractive`, with when the page's HTML (the server's part) had fully arrived. */
async function loadTimes(page: Page, url: string): Promise<{ tti: number; html: number }> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    () => {
      const drawn = document.querySelectorAll<HTMLElement>('.react-flow__node');
      if (!document.querySelector('.editor[data-ready="true"]') || drawn.length === 0) return false;
      for (const el of drawn) if (el.style.visibility === 'hidden') return false;
      return true;
    },
    undefined,
    { timeout: 60_000, polling: 'raf' },
  );
  // Interactive: a frame has been painted and a task queued after it runs.
  const tti = await page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
      ),
  );
  const html = await page.evaluate(
    () =>
      (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
        ?.responseEnd ?? 0,
  );
  return { tti, html };
}

async function panFrames(page: Page): Promise<number[]> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  // A string, not a function: the bundler's helpers (e.g. __name) do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    let last = 0;
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(tick);
    });
  })()`);
  const start = { x: box.x + box.width * 0.7, y: box.y + box.height * 0.6 };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  // Three sweeps back and forth, 40 moves each (a drag of about two seconds).
  for (const [dx, dy] of [
    [-400, -200],
    [400, 200],
    [-300, 150],
  ] as const) {
    const from = { x: start.x, y: start.y };
    for (let i = 1; i <= 40; i++) {
      await page.mouse.move(from.x + (dx * i) / 40, from.y + (dy * i) / 40);
      await page.waitForTimeout(16);
    }
    await page.mouse.move(start.x, start.y, { steps: 5 });
  }
  await page.mouse.up();
  return page.evaluate<number[]>(`(() => {
    window.__recording = false;
    return window.__frames.slice(1);
  })()`);
}

/** The flow in zh-CN, scrolled down so that steps are drawn as they come into view. */
async function screenshot(
  browser: Browser,
  url: string,
  cookie: { name: string; value: string },
  origin: string,
): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'zh-CN',
  });
  await context.addCookies([
    {
      ...cookie,
      domain: new URL(origin).hostname,
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
    },
  ]);
  const page = await context.newPage();
  await timeToInteractive(page, url);
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  // Scroll down into the flow (the wheel scrolls; the flow opens at its top).
  for (let i = 0; i < 10; i++) {
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(500);
  await page.screenshot({ path: SCREENSHOT! });
  process.stderr.write(`editor: screenshot in ${SCREENSHOT}\n`);
  await context.close();
}

/** `remix vite:build`, then `remix-serve` on a free port against the stack's database. */
async function serveProduction(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (build.status !== 0) throw new Error(`remix vite:build failed:\n${build.stderr}`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(root, 'node_modules/@remix-run/serve/dist/cli.js'), 'build/server/index.js'],
    {
      cwd: root,
      env: {
        ...env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl(),
        FANFARE_SECRET_KEY: secretKey({ NODE_ENV: 'development', DATA_DIR: dataDir }),
      },
      stdio: 'ignore',
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error('remix-serve did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export default async function bench(): Promise<BenchResult> {
  // First, before the stack and the browser share the cores: the validation after an edit.
  process.stderr.write(`editor: ${EDITS} single edits of a ${EDIT_NODES}-node flow…\n`);
  const edits = measureIncrementalValidate(EDIT_NODES, EDITS);
  const dataDir = `.data/bench-editor-${Date.now()}`;
  const { env, fallbackUrl } = await stackEnv(dataDir);
  mkdirSync(join(root, '.data'), { recursive: true });
  const log = createWriteStream(join(root, '.data', 'bench-editor.log'));
  const stack = await startStack(env, log, fallbackUrl);
  let stopServed: (() => Promise<void>) | undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    const slug = `bench-${Date.now().toString(36)}`;
    const created = await fanfare(
      env,
      [
        'brand',
        'create',
        '--slug',
        slug,
        '--name',
        'Bench',
        '--app-id',
        'wx0123456789abcdef',
        '--app-secret',
        '0123456789abcdef0123',
        '--token',
        'benchtoken',
      ],
      'ignore',
    );
    if (created !== 0) throw new Error('fanfare brand create failed');
    process.env.DATA_DIR = dataDir;
    const handle = connect(databaseUrl(), { max: 1, appName: 'fanfare-bench' });
    let flowId: string;
    let sessionCookie: { name: string; value: string };
    try {
      const [brand] = await handle.db
        .select({ id: brands.id })
        .from(brands)
        .where(eq(brands.slug, slug));
      const doc = flowOf(N);
      const [row] = await handle.db
        .insert(flows)
        .values({ brandId: brand!.id, name: `bench ${N}`, draft: doc })
        .returning({ id: flows.id });
      flowId = row!.id;
      // Brand pages are for members: an owner of the brand's organization, signed in with a
      // session made by the service /login uses and its production cookie.
      const services = createServices({ db: handle.db });
      const email = `owner@${slug}.example`;
      await services.members.createUser(OPERATOR, {
        email,
        password: 'bench owner password',
        organization: slug,
        role: 'owner',
      });
      const [org] = (await services.members.organizations.list()).filter((o) => o.slug === slug);
      await handle.db
        .update(brands)
        .set({ organizationId: org!.id })
        .where(eq(brands.id, brand!.id));
      const user = await services.users.byEmail(email);
      const session = await services.sessions.create(user!.id);
      const auth = createRequestAuth({ services, production: true, trustedProxyHops: 0 });
      const [pair] = (await auth.sessionCookieHeader(session)).split(';');
      const [name, ...value] = pair!.split('=');
      sessionCookie = { name: name!, value: value.join('=') };
    } finally {
      await handle.close();
    }

    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    const served = await serveProduction(env, dataDir);
    stopServed = served.stop;
    await context.addCookies([
      // Secure, as production sets it (Chromium honours it on 127.0.0.1, a secure context).
      {
        ...sessionCookie,
        domain: new URL(served.url).hostname,
        path: '/',
        secure: true,
        httpOnly: true,
        sameSite: 'Lax',
      },
    ]);
    const url = `${served.url}/brands/${slug}/flows/${flowId}`;
    // Warm-up: caches, and the first server render.
    await timeToInteractive(page, url);
    await page.waitForLoadState('networkidle');
    const tti: number[] = [];
    const html: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const times = await loadTimes(page, url);
      tti.push(times.tti);
      html.push(times.html);
    }
    await page.waitForTimeout(500);
    const nodesDrawn = await page.locator('.react-flow__node').count();
    if (PROFILE) {
      const session = await context.newCDPSession(page);
      await session.send('Profiler.enable');
      await session.send('Profiler.start');
      await timeToInteractive(page, url);
      const { profile } = await session.send('Profiler.stop');
      writeFileSync(
        PROFILE.replace(/(\.cpuprofile)?$/, '-load.cpuprofile'),
        JSON.stringify(profile),
      );
      await session.detach();
      await page.waitForTimeout(500);
    }
    const cdp = PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const frames = await panFrames(page);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(PROFILE!, JSON.stringify(profile));
      process.stderr.write(`editor: CPU profile of the pan in ${PROFILE}\n`);
    }
    await context.close();
    if (SCREENSHOT) await screenshot(browser, url, sessionCookie, served.url);

    const ttiMedian = median(tti);
    const frameMean = frames.reduce((s, x) => s + x, 0) / frames.length;
    const frameP95 = percentile(frames, 0.95);
    return {
      scenario: 'editor',
      n: N,
      ours: {
        ttiMedianMs: round(ttiMedian),
        ttiMinMs: round(Math.min(...tti)),
        ttiMaxMs: round(Math.max(...tti)),
        ttiSpreadMs: round(Math.max(...tti) - Math.min(...tti)),
        htmlReceivedMedianMs: round(median(html)),
        panFrameP95Ms: round(frameP95),
        panFrameMeanMs: round(frameMean),
        panFrameMaxMs: round(Math.max(...frames)),
        panFrames: frames.length,
        nodesDrawnAtOpen: nodesDrawn,
        runs: RUNS,
        incrementalValidateNodes: edits.nodes,
        incrementalValidateEdits: edits.edits,
        incrementalValidateP50Ms: edits.incrementalP50Ms,
        incrementalValidateP95Ms: edits.incrementalP95Ms,
        fullValidateP50Ms: edits.fullP50Ms,
        fullValidateP95Ms: edits.fullP95Ms,
      },
      baseline: null,
      ratio: null,
      unit: 'ms',
      target: `${N} nodes: TTI median < ${TTI_TARGET_MS} ms, p95 frame while panning < ${FRAME_TARGET_MS} ms; issues after one edit of ${EDIT_NODES} nodes < ${EDIT_TARGET_MS} ms at p95`,
      pass:
        ttiMedian < TTI_TARGET_MS &&
        frameP95 < FRAME_TARGET_MS &&
        edits.incrementalP95Ms < EDIT_TARGET_MS,
    };
  } finally {
    await stopServed?.();
    await browser.close();
    await stopStack(stack.child);
    await new Promise((done) => log.end(done));
    rmSync(join(root, dataDir), { recursive: true, force: true });
  }
}
