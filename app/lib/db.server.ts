import { connect, type DbHandle } from '../../db/client';
import { env } from '~/env.server';

// Vite re-evaluates server modules on every edit in development; keeping the handle on
// globalThis stops each reload from opening (and leaking) another connection pool.
const cache = globalThis as typeof globalThis & { __fanfareWebDb?: DbHandle };

function handle(): DbHandle {
  if (!cache.__fanfareWebDb) {
    const created = connect(env.DATABASE_URL, { max: env.DB_POOL_MAX, appName: 'fanfare-web' });
    // remix-serve answers SIGTERM by closing its HTTP server and waiting for the event loop
    // to drain; idle pool connections would keep it alive forever, so end them too.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => void created.close().catch(() => {}));
    }
    cache.__fanfareWebDb = created;
  }
  return cache.__fanfareWebDb;
}

export const { db, sql } = handle();
export { schema } from '../../db/client';
