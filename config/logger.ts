import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';

/**
 * Errors in logs say what failed and where — the error's type and code, the database's
 * SQLSTATE, table, column and constraint, the statement's start — never the values involved.
 * A failed query carries its parameters (a follower's message text, profile fields) in
 * drizzle's message and `params`, in postgres.js' `parameters`/`args`, and in PostgreSQL's
 * `detail` ("Key (openid)=(…) already exists", "Failing row contains (…)") and some messages
 * (`invalid input syntax for type integer: "…"`): all of that is dropped or masked here.
 */

/** Fields of an error copied as they are: identifiers and codes, no data. */
const SAFE_FIELDS = [
  'code',
  'errno',
  'syscall',
  'severity',
  'routine',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
  'data_type',
  'position',
  // Temporal's ApplicationFailure (its `type` becomes failureType), WeChat's errors, our own
  'nonRetryable',
  'errcode',
  'status',
  'kind',
] as const;

const MAX_QUERY = 200;
const MAX_DEPTH = 5;

const isPostgresError = (e: Record<string, unknown>) =>
  typeof e.severity === 'string' && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);

/** The message without parameter values. */
function safeMessage(e: Record<string, unknown>, message: string): string {
  // drizzle: "Failed query: <sql>\nparams: <values>"
  const failed = /^Failed query: ([\s\S]*?)\nparams: [\s\S]*$/.exec(message);
  if (failed) return `Failed query: ${failed[1]!.slice(0, MAX_QUERY)}`;
  // PostgreSQL quotes the offending input in data exceptions: keep the sentence, mask the value.
  if (isPostgresError(e)) return message.replace(/"(?:[^"]|"")*"/g, '"…"');
  return message;
}

export interface SafeError {
  type: string;
  message: string;
  stack?: string;
  query?: string;
  cause?: SafeError | string;
  errors?: (SafeError | string)[];
  [field: string]: unknown;
}

/** An error as it may be logged: see the module comment. Strings pass through `safeMessage`. */
export function safeError(error: unknown, depth = 0): SafeError | string {
  if (typeof error === 'string') return safeMessage({}, error);
  if (typeof error !== 'object' || error === null) return String(error);
  const e = error as Record<string, unknown>;
  const type = error instanceof Error ? error.constructor.name || error.name : 'Object';
  const message = safeMessage(e, typeof e.message === 'string' ? e.message : '');
  const out: SafeError = { type, message };
  for (const field of SAFE_FIELDS) {
    const value = e[field];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[field] = value;
  }
  if (typeof e.type === 'string') out.failureType = e.type;
  if (typeof e.query === 'string') out.query = e.query.slice(0, MAX_QUERY);
  if (typeof e.stack === 'string') {
    // The stack's first lines repeat the message: keep only the frames.
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    out.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (depth < MAX_DEPTH) {
    if (e.cause !== undefined) out.cause = safeError(e.cause, depth + 1);
    if (Array.isArray(e.errors)) out.errors = e.errors.map((x) => safeError(x, depth + 1));
  }
  return out;
}

/** The serializers every Fanfare logger uses: `err` and `error` are made safe. */
export const logSerializers: LoggerOptions['serializers'] = {
  err: (value: unknown) => safeError(value),
  error: (value: unknown) => safeError(value),
};

/**
 * `logger.error(error)` makes the error's message the line's `msg`: give pino the safe one.
 * Use with the serializers: `{ serializers: logSerializers, hooks: logHooks }`.
 */
export const logHooks: LoggerOptions['hooks'] = {
  logMethod(args, method) {
    const [first, ...rest] = args as unknown[];
    if (first instanceof Error && typeof rest[0] !== 'string') {
      const safe = safeError(first);
      const msg = typeof safe === 'string' ? safe : safe.message;
      return method.apply(this, [{ err: first }, msg] as unknown as Parameters<typeof method>);
    }
    return method.apply(this, args);
  },
};

/** Structured JSON logs, one line per entry; `name` says which process or part wrote it. */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name,
    level,
    base: { pid: process.pid },
    serializers: logSerializers,
    hooks: logHooks,
  };
  return destination ? pino(options, destination) : pino(options);
}
export type { Logger };
