/**
 * The watchdog of `npm run dev`: a tiny process in its own session that outlives the
 * orchestrator only to clean up after it. The orchestrator tells it, one line on stdin each,
 * which processes it started (`+<pid> <signal> group|pid`) and which have stopped (`-<pid>`).
 * When stdin closes — the orchestrator exited, however it died (SIGKILL included) — every
 * process still listed gets its stop signal, then SIGKILL after a grace period. An orchestrator
 * that stopped everything in order leaves nothing listed, and the watchdog simply exits.
 */
import { createInterface } from 'node:readline';

const GRACE_MS = 10_000;

interface Entry {
  signal: NodeJS.Signals;
  /** Signal the process group (the child was started detached) rather than the pid alone. */
  group: boolean;
}

const listed = new Map<number, Entry>();

function send(pid: number, entry: Entry, signal: NodeJS.Signals): void {
  try {
    process.kill(entry.group ? -pid : pid, signal);
  } catch {
    // gone already
  }
}

function alive(pid: number, entry: Entry): boolean {
  try {
    process.kill(entry.group ? -pid : pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function reap(): Promise<void> {
  for (const [pid, entry] of listed) send(pid, entry, entry.signal);
  const deadline = Date.now() + GRACE_MS;
  while ([...listed].some(([pid, entry]) => alive(pid, entry)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const [pid, entry] of listed) if (alive(pid, entry)) send(pid, entry, 'SIGKILL');
  process.exit(0);
}

// In its own session it gets no terminal signals; a stray SIGINT/SIGTERM must not skip the cleanup.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('SIGHUP', () => {});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const add = /^\+(\d+) (SIG[A-Z]+) (group|pid)$/.exec(line);
  if (add) {
    listed.set(Number(add[1]), { signal: add[2] as NodeJS.Signals, group: add[3] === 'group' });
    return;
  }
  const remove = /^-(\d+)$/.exec(line);
  if (remove) listed.delete(Number(remove[1]));
});
lines.on('close', () => void reap());
