/**
 * The production worker process (`fanfare worker`: the Temporal worker and the outbox
 * dispatcher beside it), spawned from the CLI for reliability tests that must outlive, kill or
 * restart it — things an in-process Worker cannot show — and for `bench/soak.ts`, which
 * measures its heap (it runs with `--expose-gc` and heap-probe.js, as the web process does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { HEAP_PROBE_FLAGS, heapReader, type HeapReading } from './heap-probe-client';

const root = join(import.meta.dirname, '../..');
export interface WorkerProcess {
  child: ChildProcess;
  /** What it printed (pino JSON lines; the last `keepOutput` characters), for failure messages. */
  output(): string;
  running(): boolean;
  /** V8's heap in use after full garbage collections (and the resident set), in bytes. */
  heapAfterGc(): Promise<HeapReading>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export function spawnWorker(options: {
  databaseUrl: string;
  temporalAddress: string;
  /** A prebuilt bundle (WORKFLOW_BUNDLE_PATH); without it the worker bundles at start. */
  workflowBundlePath?: string;
  /** The runtime's FANFARE_SECRET_KEY, so activities can read the brand's credentials. */
  secretKeyHex?: string;
  taskQueue?: string;
  env?: Record<string, string>;
  /** How much of its output to keep (default: all; a long run keeps a tail). */
  keepOutput?: number;
}): Promise<WorkerProcess> {
  const keep = options.keepOutput ?? Number.POSITIVE_INFINITY;
  const child = spawn(
    process.execPath,
    [...HEAP_PROBE_FLAGS, '--import', 'tsx', 'cli/main.ts', 'worker'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        TEMPORAL_ADDRESS: options.temporalAddress,
        TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'fanfare',
        ...(options.workflowBundlePath ? { WORKFLOW_BUNDLE_PATH: options.workflowBundlePath } : {}),
        ...(options.secretKeyHex ? { FANFARE_SECRET_KEY: options.secretKeyHex } : {}),
        LOG_LEVEL: 'info',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let printed = '';
  let started = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    child,
    output: () => printed,
    running: () => child.exitCode === null && child.signalCode === null,
    heapAfterGc: heapReader(child),
    async kill() {
      if (worker.running()) child.kill('SIGKILL');
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.kill();
      reject(new Error(`worker did not start within 60 s:\n${printed}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      printed += text;
      if (printed.length > keep) printed = printed.slice(-keep);
      if (!started && text.includes('worker started')) {
        started = true;
        clearTimeout(timer);
        resolve(worker);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${child.exitCode ?? child.signalCode}):\n${printed}`));
    });
  });
}
