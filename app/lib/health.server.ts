import { sql } from '~/lib/db.server';
import { logger } from '~/lib/logger.server';

const DB_CHECK_TIMEOUT_MS = 3_000;

/** True when Postgres answers `select 1` within a few seconds. */
export async function databaseIsUp(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${DB_CHECK_TIMEOUT_MS} ms`)),
      DB_CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([sql`select 1`, timeout]);
    return true;
  } catch (error) {
    logger.warn({ code: 'E_DB_DOWN', err: error }, 'health check: database unreachable');
    return false;
  } finally {
    clearTimeout(timer);
  }
}
