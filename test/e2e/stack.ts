/**
 * Starting and stopping the whole stack (`cli/dev.ts`) for browser tests and the editor
 * benchmark: free ports, its own data directory, wait for "fanfare ready <url>", stop the
 * process group in order (SIGTERM, then SIGKILL for whatever hangs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../workflows/temporal-cli';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;
const READY = /fanfare ready\s+(\S+)/;

export async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** The environment of a stack on free ports with its own data directory (relative to the repo). */
export async function stackEnv(
  dataDir: string,
): Promise<{ env: NodeJS.ProcessEnv; fallbackUrl: string; web: number }> {
  const [web, temporal, temporalUi, postgres, sandbox] = await distinctFreePorts(5);
  return {
    web: web!,
    fallbackUrl: `http://127.0.0.1:${web}`,
    env: {
      ...process.env,
      PORT: String(web),
      TEMPORAL_DEV_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(temporalUi),
      EMBEDDED_PG_PORT: String(postgres),
      WECHAT_SANDBOX_PORT: String(sandbox),
      DATA_DIR: dataDir,
    },
  };
}

export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) =>
    child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))),
  );
}

/** Resolves with the web url once the stack prints its ready line; rejects on exit or timeout. */
function waitUntilReady(stack: ChildProcess, fallbackUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the stack did not print "fanfare ready" within ${READY_TIMEOUT_MS / 1000} s`),
        ),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      buffer = (buffer + chunk.toString('utf8')).slice(-4_096);
      const match = READY.exec(buffer);
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1] ?? fallbackUrl);
    };
    stack.stdout?.on('data', onData);
    stack.stderr?.on('data', onData);
    stack.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function groupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * SIGTERM to the orchestrator (it stops its own children in order). Whatever is still in its
 * process group afterwards (or after a hang) gets SIGTERM, then SIGKILL.
 */
export async function stopStack(stack: ChildProcess): Promise<void> {
  const pid = stack.pid;
  if (pid === undefined) return;
  if (stack.exitCode === null && stack.signalCode === null) {
    const done = exited(stack);
    stack.kill('SIGTERM');
    const stopped = await Promise.race([
      done.then(() => true),
      sleep(STOP_TIMEOUT_MS).then(() => false),
    ]);
    if (!stopped) console.error(`the stack did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
  }
  if (groupAlive(pid)) {
    signalGroup(pid, 'SIGTERM');
    if (!(await groupGone(pid, 10_000))) signalGroup(pid, 'SIGKILL');
  }
}

export interface Stack {
  child: ChildProcess;
  baseUrl: string;
}

export async function startStack(
  env: NodeJS.ProcessEnv,
  log: NodeJS.WritableStream,
  fallbackUrl: string,
  onSpawn?: (child: ChildProcess) => void,
): Promise<Stack> {
  // `npx tsx cli/dev.ts`, minus npm's wrapper: npx does not pass SIGTERM on, tsx does.
  // Its own process group, so a hung stack can be killed with everything it started.
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['cli/dev.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  onSpawn?.(child);
  const started = Date.now();
  try {
    const baseUrl = await waitUntilReady(child, fallbackUrl);
    console.log(`stack ready at ${baseUrl} after ${Math.round((Date.now() - started) / 1000)} s`);
    return { child, baseUrl };
  } catch (error) {
    await stopStack(child);
    throw error;
  }
}

/** `fanfare …` against the stack's database (same DATA_DIR), as an operator would run it. */
export function fanfare(
  env: NodeJS.ProcessEnv,
  args: string[],
  stdio: 'inherit' | 'ignore' = 'inherit',
): Promise<number> {
  const cli = spawn(join(root, 'node_modules/.bin/tsx'), ['cli/main.ts', ...args], {
    cwd: root,
    env,
    stdio,
  });
  return exited(cli);
}
