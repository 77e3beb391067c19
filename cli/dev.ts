/**
 * `npm run dev`: the whole product on one machine. Each part is the real thing — embedded
 * PostgreSQL, the Temporal CLI dev server, the worker, the Remix dev server and the WeChat
 * sandbox — unless DATABASE_URL, TEMPORAL_ADDRESS or WECHAT_API_BASE points elsewhere.
 * Logs are prefixed per part; Ctrl-C / SIGTERM stops every child; data stays in DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
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
import { connect } from '../db/client';
import { resolveDatabase, type ResolvedDatabase } from '../db/local';
import { brands } from '../db/schema';
import { SecretBox } from '../db/secrets';
import { SandboxControl } from '../wechat/sandbox/control';
import { stackFile } from './dev-stack';
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

function launch(part: Part, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipe(part, child);
  children.set(part, child);
  child.once('exit', (code, signal) => {
    children.delete(part);
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
    const rows = (await handle.db.select().from(brands)).filter(
      (b) => !b.apiBase || b.apiBase === sandboxUrl,
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

async function stopChild(part: Part): Promise<void> {
  const child = children.get(part);
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say('dev', 'stopping…');
  // Front to back: nothing new comes in while the parts behind still run.
  for (const part of ['web', 'worker', 'sandbox'] as const) await stopChild(part);
  await temporal?.stop().catch((e: Error) => say('temporal', `stop failed: ${e.message}`));
  await database?.stop().catch((e: Error) => say('postgres', `stop failed: ${e.message}`));
  rmSync(stackFile(dataDir), { force: true });
  say('dev', 'stopped; data kept for the next start');
  process.exit(code);
}

let dataDir = '.data';

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
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  database = await resolveDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
    log: (line) => say('postgres', line),
  });
  say(
    'postgres',
    database.source === 'env'
      ? 'using DATABASE_URL'
      : `embedded PostgreSQL on port ${env.EMBEDDED_PG_PORT}`,
  );
  await runMigrations(database.url);
  say('migrate', 'migrations applied');

  let temporalAddress = env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    temporal = await startDevServer({
      cli: findTemporalCli(env.TEMPORAL_CLI_PATH),
      port: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      dbFile: join(env.DATA_DIR, 'temporal.db'),
      namespace: env.TEMPORAL_NAMESPACE,
      onLog: (line) => say('temporal', line),
    });
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
    DATABASE_URL: database.url,
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

  const webUrl = `http://${env.HOST}:${env.PORT}`;
  if (children.has('sandbox') && wechatApiBase) {
    // The sandbox keeps its state in memory: tell it about every brand again.
    await waitFor(`${wechatApiBase}/__sandbox/health`, 60_000);
    const n = await registerBrandsInSandbox(database.url, secretKey(env), wechatApiBase, webUrl);
    say('sandbox', `${n} brand(s) registered`);
  }
  await waitFor(`${webUrl}/healthz`, 180_000);
  say('dev', '');
  say('dev', `Fanfare        ${webUrl}`);
  if (temporal?.uiUrl) say('dev', `Temporal UI    ${temporal.uiUrl}`);
  if (wechatApiBase)
    say('dev', `WeChat API     ${wechatApiBase}${env.WECHAT_API_BASE ? '' : ' (sandbox)'}`);
  say('dev', `PostgreSQL     ${database.url.replace(/:[^:@/]+@/, ':***@')}`);
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

main().catch((error: Error) => {
  say('dev', `error: ${error.message}`);
  void shutdown(1);
});
