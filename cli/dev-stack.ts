import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Written by `npm run dev` while it runs, so CLI commands can reach the same stack. */
export interface DevStack {
  pid: number;
  webUrl: string;
  wechatApiBase: string | null;
  /** True when wechatApiBase is the built-in WeChat sandbox. */
  sandbox: boolean;
  temporalAddress: string;
}

export const stackFile = (dataDir: string) => join(dataDir, 'dev-stack.json');

export function readDevStack(dataDir: string): DevStack | null {
  try {
    const stack = JSON.parse(readFileSync(stackFile(dataDir), 'utf8')) as DevStack;
    process.kill(stack.pid, 0); // still running?
    return stack;
  } catch {
    return null;
  }
}

/** Held by `npm run dev` from its first moment to its last: one stack per DATA_DIR. */
export interface DevLock {
  pid: number;
  webUrl: string;
  startedAt: string;
}

export const lockFile = (dataDir: string) => join(dataDir, 'dev.lock');

/**
 * Is `pid` a running `npm run dev`? A lock left by a stack that was killed outright names a
 * dead process, or — after a reboot — a process id reused by an unrelated program; on Linux
 * the command line tells them apart.
 */
function isDevProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dev.ts');
  } catch {
    return true; // no /proc (macOS): a live pid is the best evidence there is
  }
}

/**
 * Takes the DATA_DIR's lock for this process, or returns the stack that holds it. A stale
 * lock (its process is gone) is replaced. Creation is atomic (O_EXCL): of two starts at
 * the same moment, one wins.
 */
export function claimDevLock(
  dataDir: string,
  lock: Omit<DevLock, 'startedAt'>,
): { ok: true } | { ok: false; holder: DevLock } {
  mkdirSync(dataDir, { recursive: true });
  const path = lockFile(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ ...lock, startedAt: new Date().toISOString() }, null, 2));
      closeSync(fd);
      return { ok: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: DevLock | null = null;
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as DevLock;
    } catch {
      // Being written by a start racing us (or garbage): look again in a moment.
      if (attempt < 2) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
        continue;
      }
    }
    if (holder && holder.pid !== lock.pid && isDevProcess(holder.pid)) return { ok: false, holder };
    rmSync(path, { force: true });
  }
  throw new Error(`cannot take the lock ${path}; remove it if no Fanfare is running`);
}

/** Gives the lock back, if this process still holds it. */
export function releaseDevLock(dataDir: string, pid: number): void {
  try {
    const holder = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as DevLock;
    if (holder.pid === pid) rmSync(lockFile(dataDir), { force: true });
  } catch {
    // not there: nothing to release
  }
}
