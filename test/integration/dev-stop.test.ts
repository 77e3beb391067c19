/**
 * `npm run dev` as a user runs it: started through npm (npm → cli/dev.ts → Postgres,
 * Temporal, the sandbox, the worker, the web server), stopped with `kill -TERM <npm's pid>`.
 * Every port it opened must be free again and no process it started may survive; a second
 * start on the running stack names it; a port held by another program is refused up front.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { distinctFreePorts, root } from '../e2e/stack';

const READY_MS = 180_000;
/** How long stopping may take, from the signal to the last port and process gone. */
const STOP_BOUND_MS = 45_000;

interface Run {
  child: ChildProcess;
  output: () => string;
  /** The exit code, or the signal's name when a signal ended it. */
  exit: Promise<number | string>;
}

function npmRunDev(env: NodeJS.ProcessEnv): Run {
  // Its own process group, so the test can clean up after a failure; the signal under test
  // goes to npm's pid alone, as `kill -TERM <pid>` does.
  const child = spawn('npm', ['run', 'dev'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exit = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exit };
}

async function until<T>(what: string, ms: number, probe: () => T | Promise<T>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every live process: pid → [ppid, command line]. */
function processes(): Map<number, { ppid: number; args: string }> {
  const out = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' }).stdout;
  const all = new Map<number, { ppid: number; args: string }>();
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m && !m[3]!.startsWith('Z')) all.set(Number(m[1]), { ppid: Number(m[2]), args: m[4]! });
  }
  return all;
}

function descendants(pid: number): number[] {
  const all = processes();
  const found = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, { ppid }] of all)
      if (!found.has(p) && found.has(ppid)) {
        found.add(p);
        grew = true;
      }
  }
  return [...found];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      server.close(() => done(true)),
    );
  });
}

describe('npm run dev stops as a whole', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fanfare-dev-stop-'));
  const cleanup: number[] = [];

  afterAll(() => {
    for (const pid of cleanup) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM to npm frees every port and leaves no process; a second start names the running one', async () => {
    const [web, temporal, temporalUi, postgres, sandbox] = await distinctFreePorts(5);
    const ports = { web, temporal, temporalUi, postgres, sandbox } as Record<string, number>;
    // The user's environment, not vitest's (its VITEST and NODE_ENV=test change the web server).
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST'))),
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(web),
      TEMPORAL_DEV_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(temporalUi),
      EMBEDDED_PG_PORT: String(postgres),
      WECHAT_SANDBOX_PORT: String(sandbox),
      // The bundle the integration setup built: the worker starts without bundling again.
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    delete env.WECHAT_API_BASE;

    const stack = npmRunDev(env);
    cleanup.push(stack.child.pid!);
    const url = await Promise.race([
      until(
        'the stack prints "fanfare ready"',
        READY_MS,
        () => /fanfare ready (\S+)/.exec(stack.output())?.[1],
      ),
      stack.exit.then((code) => {
        throw new Error(`npm run dev exited (${code}) before it was ready:\n${stack.output()}`);
      }),
    ]);
    expect(url).toBe(`http://127.0.0.1:${web}`);
    for (const [part, port] of Object.entries(ports))
      expect(await portFree(port!), `${part} listens on ${port}`).toBe(false);

    const started = descendants(stack.child.pid!);
    cleanup.push(...started);
    const orchestrator = [...processes()].find(
      ([pid, p]) => started.includes(pid) && p.args.includes('cli/dev.ts'),
    )?.[0];
    expect(orchestrator).toBeDefined();
    // postgres, its backends, temporal, sandbox, worker, web, the watchdog, esbuild helpers
    expect(started.length).toBeGreaterThan(8);

    // A second start on the same DATA_DIR: refused at once, naming the running stack.
    const second = npmRunDev(env);
    cleanup.push(second.child.pid!);
    expect(await second.exit).toBe(1);
    expect(second.output()).toContain(
      `error E_ALREADY_RUNNING: Fanfare is already running at ${url} (pid ${orchestrator})`,
    );
    expect(second.output()).toContain('stop it first');

    // Another DATA_DIR on the same ports: refused before anything starts, naming each port.
    const elsewhere = mkdtempSync(join(tmpdir(), 'fanfare-dev-stop-other-'));
    const third = npmRunDev({ ...env, DATA_DIR: elsewhere });
    cleanup.push(third.child.pid!);
    expect(await third.exit).toBe(2);
    expect(third.output()).toMatch(
      new RegExp(`error E_PORT_IN_USE: port ${web} \\(the web server, PORT\\) is in use`),
    );
    expect(existsSync(join(elsewhere, 'pg'))).toBe(false);
    rmSync(elsewhere, { recursive: true, force: true });
    // …and the running stack was not disturbed by either.
    expect((await fetch(`${url}/healthz`)).ok).toBe(true);

    const signalledAt = Date.now();
    process.kill(stack.child.pid!, 'SIGTERM');
    await until('every port is free again', STOP_BOUND_MS, async () => {
      for (const port of Object.values(ports)) if (!(await portFree(port))) return false;
      return true;
    });
    const left = () =>
      [...processes()]
        .filter(([pid, p]) => started.includes(pid) || p.args.includes(dataDir))
        .map(([pid, p]) => `${pid} ${p.args}`);
    const remaining = Math.max(0, STOP_BOUND_MS - (Date.now() - signalledAt));
    await until('no process of the stack is left', remaining, () => left().length === 0).catch(
      () => {},
    );
    expect(left(), stack.output().slice(-3_000)).toEqual([]);
    expect(await stack.exit).toBe(0); // a stop that was asked for is a clean exit
    console.log(
      `stack stopped ${Math.round((Date.now() - signalledAt) / 100) / 10} s after SIGTERM`,
    );
    // Its lock is gone: the next start will not think it still runs.
    expect(existsSync(join(dataDir, 'dev.lock'))).toBe(false);
  }, 300_000);
});
