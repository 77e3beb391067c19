import { and, desc, eq, or } from 'drizzle-orm';
import { connect, type DbHandle } from '../db/client';
import { brands, flows } from '../db/schema';
import { resolveDatabase } from '../db/local';
import { cliEnv, type CliEnv } from './env';

/**
 * Runs `fn` against the database `npm run dev` uses (or DATABASE_URL). When no dev server
 * is running, the embedded PostgreSQL is started for the command's duration.
 */
export async function withDatabase<T>(fn: (db: DbHandle, env: CliEnv) => Promise<T>): Promise<T> {
  const env = cliEnv();
  const resolved = await resolveDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    port: env.EMBEDDED_PG_PORT,
  });
  const handle = connect(resolved.url, { max: 2, appName: 'fanfare-cli' });
  try {
    return await fn(handle, env);
  } finally {
    await handle.close();
    await resolved.stop();
  }
}

/** A failure the CLI reports as `error CODE: sentence` and exit status 1. */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The brand named by a --brand option, or a CliError a user understands. */
export async function brandBySlug(
  db: DbHandle['db'],
  slug: string,
): Promise<{ id: string; slug: string; name: string; timezone: string }> {
  const [row] = await db
    .select({ id: brands.id, slug: brands.slug, name: brands.name, timezone: brands.timezone })
    .from(brands)
    .where(eq(brands.slug, slug));
  if (!row)
    throw new CliError('E_UNKNOWN_BRAND', `no brand with slug "${slug}" (see: fanfare brand list)`);
  return row;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The brand's flow named by id or by name (the most recently changed of that name). */
export async function flowByRef(
  db: DbHandle['db'],
  brand: { id: string; slug: string },
  ref: string,
): Promise<typeof flows.$inferSelect> {
  const [row] = await db
    .select()
    .from(flows)
    .where(
      and(
        eq(flows.brandId, brand.id),
        UUID.test(ref) ? or(eq(flows.id, ref), eq(flows.name, ref)) : eq(flows.name, ref),
      ),
    )
    .orderBy(desc(flows.updatedAt))
    .limit(1);
  if (!row) throw new CliError('E_UNKNOWN_FLOW', `${brand.slug} has no flow "${ref}" (id or name)`);
  return row;
}
