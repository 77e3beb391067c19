/**
 * `npm run dev`: the whole product on one machine. Each part is the real thing — embedded
 * PostgreSQL, the Temporal CLI dev server, the worker, the Remix dev server and the WeChat
 * sandbox — unless DATABASE_URL, TEMPORAL_ADDRESS or WECHAT_API_BASE points elsewhere.
 * Logs are prefixed per part; data stays in DATA_DIR.
 *
 * Stopping: SIGINT, SIGTERM or SIGHUP — or the process that started this one going away —
 * stops every part in order. Each part runs in its own process group, so a Ctrl-C in the
 * terminal reaches only this orchestrator (which decides the order) and a part is stopped
 * with everything it started. A watchdog process (dev-reaper.ts) stops whatever is left
 * should this process die without cleaning up (SIGKILL, a crash). One stack per DATA_DIR:
 * a lock file says which process runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DatabaseEnv,
  LogEnv,
  SecretEnv,
  TemporalEnv,
  WebEnv,
  WechatEnv,
  loadDotEnv,
  parseEnv,
  secretKey,
} from '../config/env';
import { isConnected } from '../services/brands/account';
import { connect } from '../db/client';
import { resolveDatabase, type ResolvedDatabase } from '../db/local';
import { brands } from '../db/schema';
import { SecretBox } from '../services/secrets';
import { SandboxControl } from '../wechat/sandbox/control';
import { claimDevLock, releaseDevLock, stackFile } from './dev-stack';
import { runMigrations } from '../db/migrate';
import { findTemporalCli, startDevServer, type DevServer } from '../workflows/temporal-cli';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const colors = {
  postgres: 34,
  migrate: 36,
  temporal: 35,
  worker: 33,
  web: 32,
  sandbox: 96,
  dev: 37,
} as const;
type Part = keyof typeof colors;

function say(part: Part, line: string): void {
  const tag = part.padEnd(8);
  const prefix = process.stdout.isTTY ? `\x1b[${colors[part]}m${tag}\x1b[0m|` : `${tag}|`;
  process.stdout.write(`${prefix} ${line}\n`);
}

function pipe(part: Part, child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) say(part, line);
    });
  }
}

const children = new Map<Part, ChildProcess>();
let stopping = false;

/** The watchdog: told which processes we started, it stops them if we die without doing so. */
let reaper: ChildProcess | undefined;

function startReaper(): void {
  reaper = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/dev-reaper.ts')], {
    cwd: root,
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  reaper.stdin?.on('error', () => {}); // it died first: nothing to tell it any more
  reaper.unref();
}

/** Hands a process to the watchdog (`group`: signal its whole process group). */
function watch(pid: number, signal: NodeJS.Signals, group: boolean): void {
  reaper?.stdin?.write(`+${pid} ${signal} ${group ? 'group' : 'pid'}\n`);
}

function unwatch(pid: number): void {
  reaper?.stdin?.write(`-${pid}\n`);
}

/** Signals a detached child's whole group (it and what it started); false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function launch(part: Part, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  pipe(part, child);
  children.set(part, child);
  const pid = child.pid;
  if (pid) watch(pid, 'SIGTERM', true);
  child.once('exit', (code, signal) => {
    children.delete(part);
    if (pid) {
      // Helpers it started and left behind go with it.
      signalGroup(pid, 'SIGKILL');
      unwatch(pid);
    }
    if (!stopping) {
      say('dev', `${part} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      void shutdown(1);
    }
  });
  return child;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopping) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  if (stopping) return;
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function registerBrandsInSandbox(
  url: string,
  key: string,
  sandboxUrl: string,
  webUrl: string,
): Promise<number> {
  const handle = connect(url, { max: 1, appName: 'fanfare-dev' });
  const box = new SecretBox(key);
  const control = new SandboxControl(sandboxUrl);
  try {
    // Brands made in the web app and not connected yet have no credentials to register.
    const rows = (await handle.db.select().from(brands)).filter(
      (b) => isConnected(b) && (!b.apiBase || b.apiBase === sandboxUrl),
    );
    for (const row of rows) {
      await control.registerAccount({
        appId: row.appId,
        secret: box.open(row.appSecretEnc),
        token: box.open(row.callbackTokenEnc),
        mode: row.callbackMode,
        ...(row.aesKeyEnc ? { aesKey: box.open(row.aesKeyEnc) } : {}),
        callbackUrl: `${webUrl}/wechat/${row.slug}`,
      });
    }
    return rows.length;
  } finally {
    await handle.close();
  }
}

let database: ResolvedDatabase | undefined;
let temporal: DevServer | undefined;
/** The start step in flight (Postgres, Temporal): a stop waits for it, then stops what it made. */
let starting: Promise<unknown> = Promise.resolve();

async function stopChild(part: Part): Promise<void> {
  const child = children.get(part);
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const pid = child.pid;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    // The part itself first: it stops gracefully and may still need its helpers meanwhile.
    child.kill('SIGTERM');
  });
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  firstSignalAt ||= Date.now();
  say('dev', 'stopping…');
  await Promise.race([starting, new Promise((r) => setTimeout(r, 60_000))]);
  // Front to back: nothing new comes in while the parts behind still run.
  for (const part of ['web', 'worker', 'sandbox'] as const) await stopChild(part);
  if (temporal) {
    await temporal.stop().catch((e: Error) => say('temporal', `stop failed: ${e.message}`));
    if (temporal.pid) unwatch(temporal.pid);
    temporal = undefined;
  }
  if (database) {
    await database.stop().catch((e: Error) => say('postgres', `stop failed: ${e.message}`));
    if (database.pid) unwatch(database.pid);
    database = undefined;
  }
  if (ownsLock) {
    rmSync(stackFile(dataDir), { force: true });
    releaseDevLock(dataDir, process.pid);
  }
  say('dev', 'stopped; data kept for the next start');
  process.exit(code);
}

/** A second signal while stopping: the user will not wait; stop everything now. */
function stopNow(): void {
  say('dev', 'stopping at once');
  for (const child of children.values()) if (child.pid) signalGroup(child.pid, 'SIGKILL');
  // The watchdog takes care of Temporal and Postgres once we are gone.
  process.exit(1);
}

let dataDir = '.data';
let ownsLock = false;

let firstSignalAt = 0;

function onSignal(signal: NodeJS.Signals): void {
  // A Ctrl-C reaches npm and us at once, and npm passes its copy on: one keypress, two
  // signals. Only a signal well after the first is the user insisting.
  if (stopping) {
    if (Date.now() - firstSignalAt > 2_000) stopNow();
    return;
  }
  firstSignalAt = Date.now();
  say('dev', `${signal} received; stopping every part in order (again to stop at once)`);
  void shutdown(0);
}

/**
 * Started through npm, the parent is npm (or the shell of its script): when it is gone —
 * killed outright, its terminal closed — nobody will ever send us a signal; stop by ourselves.
 */
function watchParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopping) {
      say('dev', `the process that started Fanfare (pid ${parent}) is gone`);
      void shutdown(0);
    }
  }, 500).unref();
}

/** Is something listening on host:port already? */
function portTaken(port: number, host: string): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(true));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(false)));
  });
}

/** The embedded Postgres another `fanfare` command runs on this DATA_DIR (we will share it). */
function sharedPostgresPort(dir: string): number | null {
  try {
    const state = JSON.parse(readFileSync(join(dir, 'embedded-pg.json'), 'utf8')) as {
      port: number;
      pid: number;
    };
    process.kill(state.pid, 0);
    return state.port;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const env = parseEnv({
    ...LogEnv,
    ...DatabaseEnv,
    ...TemporalEnv,
    ...WechatEnv,
    ...WebEnv,
    ...SecretEnv,
  });
  dataDir = env.DATA_DIR;
  const webUrl = `http://${env.HOST}:${env.PORT}`;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  watchParent();

  const lock = claimDevLock(env.DATA_DIR, { pid: process.pid, webUrl });
  if (!lock.ok) {
    say(
      'dev',
      `error E_ALREADY_RUNNING: Fanfare is already running at ${lock.holder.webUrl} (pid ${lock.holder.pid}) ` +
        `with the data in ${env.DATA_DIR}; stop it first (Ctrl-C in its terminal, or kill -TERM ${lock.holder.pid}).`,
    );
    process.exit(1);
  }
  ownsLock = true;

  // Every port this stack will open, checked before anything starts: a clear refusal beats a
  // part dying half-way with EADDRINUSE.
  const ports: { port: number; host: string; what: string; variable: string }[] = [
    { port: env.PORT, host: env.HOST, what: 'the web server', variable: 'PORT' },
  ];
  if (!env.DATABASE_URL && sharedPostgresPort(env.DATA_DIR) !== env.EMBEDDED_PG_PORT)
    ports.push({
      port: env.EMBEDDED_PG_PORT,
      host: '127.0.0.1',
      what: 'the embedded PostgreSQL',
      variable: 'EMBEDDED_PG_PORT',
    });
  if (!env.TEMPORAL_ADDRESS) {
    ports.push({
      port: env.TEMPORAL_DEV_PORT,
      host: '127.0.0.1',
      what: 'the Temporal dev server',
      variable: 'TEMPORAL_DEV_PORT',
    });
    ports.push({
      port: env.TEMPORAL_UI_PORT,
      host: '127.0.0.1',
      what: 'the Temporal UI',
      variable: 'TEMPORAL_UI_PORT',
    });
  }
  if (!env.WECHAT_API_BASE)
    ports.push({
      port: env.WECHAT_SANDBOX_PORT,
      host: '127.0.0.1',
      what: 'the WeChat sandbox',
      variable: 'WECHAT_SANDBOX_PORT',
    });
  const taken = [];
  for (const p of ports) if (await portTaken(p.port, p.host)) taken.push(p);
  if (taken.length > 0) {
    for (const p of taken)
      say(
        'dev',
        `error E_PORT_IN_USE: port ${p.port} (${p.what}, ${p.variable}) is in use by another program; ` +
          `stop that program or choose a free port with ${p.variable}=…`,
      );
    releaseDevLock(env.DATA_DIR, process.pid);
    process.exit(2);
  }

  startReaper();
  const resolving = resolveDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
    log: (line) => say('postgres', line),
  }).then((resolved) => {
    database = resolved;
    // SIGINT: PostgreSQL's fast shutdown. Not by group: the postmaster shares ours.
    if (resolved.pid) watch(resolved.pid, 'SIGINT', false);
    return resolved;
  });
  starting = resolving.catch(() => {});
  const { url: databaseUrl, source: databaseSource } = await resolving;
  if (stopping) return;
  say(
    'postgres',
    databaseSource === 'env'
      ? 'using DATABASE_URL'
      : `embedded PostgreSQL on port ${env.EMBEDDED_PG_PORT}`,
  );
  await runMigrations(databaseUrl);
  say('migrate', 'migrations applied');
  if (stopping) return;

  let temporalAddress = env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const launching = startDevServer({
      cli: findTemporalCli(env.TEMPORAL_CLI_PATH),
      port: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      dbFile: join(env.DATA_DIR, 'temporal.db'),
      namespace: env.TEMPORAL_NAMESPACE,
      onLog: (line) => say('temporal', line),
      detached: true,
    }).then((server) => {
      temporal = server;
      if (server.pid) watch(server.pid, 'SIGTERM', true);
      return server;
    });
    starting = launching.catch(() => {});
    temporal = await launching;
    if (stopping) return;
    temporalAddress = temporal.address;
    say(
      'temporal',
      `dev server on ${temporalAddress}, persisted to ${join(env.DATA_DIR, 'temporal.db')}`,
    );
  } else {
    say('temporal', `using TEMPORAL_ADDRESS=${temporalAddress}`);
  }

  let wechatApiBase = env.WECHAT_API_BASE;
  const sandboxMain = join(root, 'wechat/sandbox/main.ts');
  if (!wechatApiBase && existsSync(sandboxMain)) {
    wechatApiBase = `http://127.0.0.1:${env.WECHAT_SANDBOX_PORT}`;
    launch('sandbox', ['--import', 'tsx', sandboxMain], {
      ...process.env,
      WECHAT_SANDBOX_PORT: String(env.WECHAT_SANDBOX_PORT),
    });
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    FANFARE_SECRET_KEY: secretKey(env),
    ...(wechatApiBase ? { WECHAT_API_BASE: wechatApiBase } : {}),
  };
  launch('worker', ['--import', 'tsx', join(root, 'cli/main.ts'), 'worker'], childEnv);
  const remixCli = join(root, 'node_modules/@remix-run/dev/dist/cli.js');
  launch(
    'web',
    [remixCli, 'vite:dev', '--port', String(env.PORT), '--host', env.HOST, '--strictPort'],
    {
      ...childEnv,
      PORT: String(env.PORT),
    },
  );

  if (children.has('sandbox') && wechatApiBase) {
    // The sandbox keeps its state in memory: tell it about every brand again.
    await waitFor(`${wechatApiBase}/__sandbox/health`, 60_000);
    if (stopping) return;
    const n = await registerBrandsInSandbox(databaseUrl, secretKey(env), wechatApiBase, webUrl);
    say('sandbox', `${n} brand(s) registered`);
  }
  await waitFor(`${webUrl}/healthz`, 180_000);
  if (stopping) return;
  say('dev', '');
  say('dev', `Fanfare        ${webUrl}`);
  if (temporal?.uiUrl) say('dev', `Temporal UI    ${temporal.uiUrl}`);
  if (wechatApiBase)
    say('dev', `WeChat API     ${wechatApiBase}${env.WECHAT_API_BASE ? '' : ' (sandbox)'}`);
  say('dev', `PostgreSQL     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
  say('dev', 'Ctrl-C stops everything; data stays in ' + env.DATA_DIR);
  // What `fanfare …` commands run meanwhile need to know about this stack.
  writeFileSync(
    stackFile(env.DATA_DIR),
    JSON.stringify(
      {
        pid: process.pid,
        webUrl,
        wechatApiBase: wechatApiBase ?? null,
        sandbox: !env.WECHAT_API_BASE,
        temporalAddress,
      },
      null,
      2,
    ),
  );
  say('dev', `fanfare ready ${webUrl}`);
}

// Whatever way this process ends, no part outlives it: the parts still running get their
// stop signal now (the watchdog follows up with SIGKILL if they hang).
process.on('exit', () => {
  for (const child of children.values()) if (child.pid) signalGroup(child.pid, 'SIGTERM');
  if (temporal?.pid) signalGroup(temporal.pid, 'SIGTERM');
  if (database?.pid) {
    try {
      process.kill(database.pid, 'SIGINT');
    } catch {
      // gone already
    }
  }
});

main().catch((error: Error) => {
  say('dev', `error: ${error.message}`);
  void shutdown(1);
});
