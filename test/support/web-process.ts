/**
 * The web process as production runs it — the Remix server build (`remix vite:build`, as
 * `npm run build` does) served by `remix-serve` (`npm start`) — spawned for reliability tests
 * that must hit the real HTTP server (its parser, its stream adapter, its connection handling)
 * or measure the process itself. It runs with `--expose-gc` and a probe (`heap-probe.js`, read
 * through heap-probe-client.ts) that answers "heap used after a full GC" over the IPC channel,
 * so no debug endpoint exists in the app.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../workflows/temporal-cli';
import { HEAP_PROBE_FLAGS, heapReader, type HeapReading } from './heap-probe-client';

const root = join(import.meta.dirname, '../..');
const SERVER_BUILD = join(root, 'build/server/index.js');
/** What the server build is made of: a change in any of these makes the build stale. */
const SOURCES = [
  'app',
  'db',
  'wechat',
  'engine',
  'config',
  'workflows',
  'package.json',
  'vite.config.ts',
];

function newestSource(): number {
  let newest = 0;
  for (const source of SOURCES) {
    const path = join(root, source);
    const stat = statSync(path);
    if (stat.isFile()) newest = Math.max(newest, stat.mtimeMs);
    else
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (entry.isFile())
          newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
      }
  }
  return newest;
}

/** Builds the Remix app unless build/ is newer than every source (like make). */
export function buildWebApp(): void {
  let built = 0;
  try {
    built = statSync(SERVER_BUILD).mtimeMs;
  } catch {
    // not built yet
  }
  if (built > newestSource()) return;
  // vite.config.ts leaves the Remix plugin out under vitest: build as `npm run build` does.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST'),
  );
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/@remix-run/dev/dist/cli.js'), 'vite:build'],
    { cwd: root, env: { ...env, NODE_ENV: 'production' }, encoding: 'utf8' },
  );
  if (build.status !== 0)
    throw new Error(`remix vite:build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface WebProcess {
  url: string;
  pid: number;
  /** V8's heap in use after full garbage collections (and the resident set), in bytes. */
  heapAfterGc(): Promise<HeapReading>;
  /** The last of what it printed (its request log is long), for failure messages. */
  output(): string;
  running(): boolean;
  /** SIGTERM (SIGKILL after 5 s), and wait for the exit. */
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 32 * 1024;

export async function spawnWeb(options: {
  databaseUrl: string;
  /** FANFARE_SECRET_KEY: the one the test's brands were sealed with. */
  secretKeyHex: string;
  env?: Record<string, string>;
  /** Serve as `npm start` does (server/serve.js: front door, security headers), not remix-serve. */
  npmStart?: boolean;
}): Promise<WebProcess> {
  buildWebApp();
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...HEAP_PROBE_FLAGS,
      options.npmStart
        ? join(root, 'server/serve.js')
        : join(root, 'node_modules/@remix-run/serve/dist/cli.js'),
      SERVER_BUILD,
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: options.databaseUrl,
        FANFARE_SECRET_KEY: options.secretKeyHex,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let printed = '';
  const keep = (chunk: Buffer) => {
    printed = (printed + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;

  const web: WebProcess = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    heapAfterGc: heapReader(child),
    output: () => printed,
    running,
    async stop() {
      if (running()) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(`${web.url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return web;
    if (!running() || Date.now() > deadline) {
      await web.stop();
      throw new Error(`the web process did not start:\n${printed}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
