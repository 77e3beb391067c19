/**
 * The CLI's output reaches its reader whole. On a pipe, Node writes stdout asynchronously:
 * `process.exit` right after a large write drops everything past the pipe's buffer (64 KiB on
 * Linux), so `fanfare flow export … | gzip` used to truncate with exit code 0. `exitAfterOutput`
 * waits until stdout and stderr have handed every byte to the reader, and a write that failed
 * (EPIPE: the reader went away; ENOSPC …) makes the exit code non-zero.
 */
import type { Writable } from 'node:stream';

let failure: { stream: string; error: NodeJS.ErrnoException } | null = null;

/** Call once at start: a failed write is remembered instead of crashing the process. */
export function watchOutput(): void {
  const streams = [
    ['standard output', process.stdout],
    ['standard error', process.stderr],
  ] as const;
  for (const [stream, writable] of streams) {
    writable.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= { stream, error };
    });
  }
}

/** Resolves once everything written to `stream` so far has been handed to the reader. */
export function drained(stream: Writable): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  // Writes complete in order: the callback of an empty write runs after all earlier ones.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * Exits with `code` once stdout and stderr are drained; with 1 instead of 0 when a write
 * failed (saying so on stderr, when stderr still works).
 */
export async function exitAfterOutput(code: number): Promise<never> {
  await drained(process.stdout);
  if (failure) {
    const { stream, error } = failure;
    if (stream !== 'standard error')
      process.stderr.write(
        `error E_OUTPUT: could not write to ${stream} (${error.code ?? error.message}); the output is incomplete\n`,
      );
    if (code === 0) code = 1;
  }
  await drained(process.stderr);
  process.exit(code);
}
