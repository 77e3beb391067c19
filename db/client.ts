import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Db = PostgresJsDatabase<typeof schema>;
export interface DbHandle {
  db: Db;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function connect(url: string, options: { max?: number; appName?: string } = {}): DbHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Idle connections close by themselves, so a stopping process is not held open by its pool.
    idle_timeout: 60,
    connection: { application_name: options.appName ?? 'fanfare' },
    // bigint columns (bigserial ids) come back as strings unless told otherwise
    types: { bigint: postgres.BigInt },
  });
  return { db: drizzle(sql, { schema }), sql, close: () => sql.end({ timeout: 5 }) };
}

/**
 * True when `error` says the database cannot be reached right now (refused, dropped or timed-out
 * connections, a server shutting down or starting up) rather than that a query was wrong:
 * callers answer "try again later" (503) for these, and treat anything else as a bug.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // drizzle wraps a failed query's error (DrizzleQueryError): look down the `cause` chain.
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE)$/.test(code) ||
        /^CONNECT(ION)?_/.test(code) || // postgres.js: CONNECT_TIMEOUT, CONNECTION_CLOSED|ENDED|…
        /^(08|57P0)/.test(code)) // SQLSTATE connection exceptions; shutdown, cannot connect now
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The SQLSTATE of a query PostgreSQL refused (`22P05`, `2201B` …), down drizzle's `cause` chain. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (name === 'PostgresError' && typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export { schema };
