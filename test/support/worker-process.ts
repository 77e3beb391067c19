/**
 * The production worker process (`fanfare worker`: the Temporal worker and the outbox
 * dispatcher beside it), spawned from the CLI for reliability tests that must outlive, kill or
 * restart it — things an in-process Worker cannot show.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far (pino JSON lines), for failure messages. */
  output(): string;
  running(): boolean;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export function spawnWorker(options: {
  temporalAddress: string;
  /** The runtime's FANFARE_SECRET_KEY, so activities can read the brand's credentials. */
  secretKeyHex?: string;
  taskQueue?: string;
}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'worker'], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue ?? 'fanfare',
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      ...(options.secretKeyHex ? { FANFARE_SECRET_KEY: options.secretKeyHex } : {}),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    child,
    output: () => printed,
    running: () => child.exitCode === null && child.signalCode === null,
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
      printed += chunk.toString();
      if (printed.includes('worker started')) {
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
