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

export { schema };
