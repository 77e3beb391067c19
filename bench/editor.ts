/**
 * `npm run bench -- editor`: a generated 500-node flow opened in the editor in Chromium
 * (docs/quality.md: time to interactive < 2 s, < 33 ms a frame while panning).
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
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { chromium, type Page } from 'playwright-core';
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
import { SHORT } from './knobs';

const N = 500;
const RUNS = SHORT ? 2 : 5;
const TTI_TARGET_MS = 2_000;
const FRAME_TARGET_MS = 33;

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

async function timeToInteractive(page: Page, url: string, nodes: number): Promise<number> {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll('.react-flow__node').length >= n &&
      !!document.querySelector('.editor[data-ready="true"]'),
    nodes,
    {
      timeout: 60_000,
      polling: 'raf',
    },
  );
  // Interactive: a frame has been painted and a task queued after it runs.
  return page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
      ),
  );
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
    await timeToInteractive(page, url, N);
    await page.waitForLoadState('networkidle');
    const tti: number[] = [];
    for (let i = 0; i < RUNS; i++) tti.push(await timeToInteractive(page, url, N));
    await page.waitForTimeout(500);
    const frames = await panFrames(page);
    await context.close();

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
        panFrameMeanMs: round(frameMean),
        panFrameP95Ms: round(frameP95),
        panFrameMaxMs: round(Math.max(...frames)),
        panFrames: frames.length,
        runs: RUNS,
      },
      baseline: null,
      ratio: null,
      unit: 'ms',
      target: `TTI median < ${TTI_TARGET_MS} ms; mean frame while panning < ${FRAME_TARGET_MS} ms (p95 and max for information)`,
      pass: ttiMedian < TTI_TARGET_MS && frameMean < FRAME_TARGET_MS,
    };
  } finally {
    await stopServed?.();
    await browser.close();
    await stopStack(stack.child);
    await new Promise((done) => log.end(done));
    rmSync(join(root, dataDir), { recursive: true, force: true });
  }
}
