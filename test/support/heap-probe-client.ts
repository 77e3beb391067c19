/**
 * The asking side of heap-probe.js: node flags that load the probe into a child process (spawn
 * it with an 'ipc' stdio slot), and "heap in use after a full GC" read over that channel.
 * Used by the web and worker processes of the reliability tests and of `bench/soak.ts`.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** Node flags for a child whose heap is measured: `gc()` exposed, the probe loaded first. */
export const HEAP_PROBE_FLAGS = [
  '--expose-gc',
  '--import',
  join(import.meta.dirname, 'heap-probe.js'),
] as const;

export interface HeapReading {
  /** V8's heap in use after full garbage collections (the main thread's isolate), bytes. */
  heapUsed: number;
  /** The process's resident set at that moment, bytes (every thread, native memory too). */
  rss: number;
}

/** A reader of `child`'s heap after GC over its IPC channel (30 s per answer at most). */
export function heapReader(child: ChildProcess): () => Promise<HeapReading> {
  let nextId = 0;
  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error('no heap answer within 30 s'));
      }, 30_000);
      const onMessage = (m: { type?: string; id?: number } & Partial<HeapReading>) => {
        if (m?.type !== 'heap' || m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve({ heapUsed: m.heapUsed!, rss: m.rss! });
      };
      child.on('message', onMessage);
      child.send({ type: 'heap', id });
    });
}

/**
 * What a process retains: the reading with the least heap of three, a second apart, each after
 * full GCs (a reading can still catch a socket or a log line in flight, which only adds).
 */
export async function retainedHeap(read: () => Promise<HeapReading>): Promise<HeapReading> {
  let least: HeapReading | undefined;
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const reading = await read();
    if (!least || reading.heapUsed < least.heapUsed) least = reading;
  }
  return least!;
}
