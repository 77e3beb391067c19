import pino, { type Logger } from 'pino';

/** Structured JSON logs, one line per entry; `name` says which process or part wrote it. */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
export type { Logger };
