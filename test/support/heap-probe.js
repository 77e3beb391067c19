// Loaded into a process under test (`node --expose-gc --import heap-probe.js …`, see
// heap-probe-client.ts): answers {type: 'heap', id} on the IPC channel with the heap in use
// after full garbage collections (and the resident set, for information). Test and bench only;
// the app itself has no such endpoint.
import process from 'node:process';

if (process.send && typeof globalThis.gc === 'function') {
  process.on('message', (message) => {
    if (message?.type !== 'heap') return;
    globalThis.gc();
    globalThis.gc();
    const { heapUsed, rss } = process.memoryUsage();
    process.send({ type: 'heap', id: message.id, heapUsed, rss });
  });
  // The channel must not keep the process alive once the server closes on SIGTERM.
  process.channel?.unref();
}
