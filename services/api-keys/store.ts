/**
 * Per-brand API keys: shown once at creation, stored as a SHA-256 hash with a short prefix
 * to tell keys apart in the UI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { apiKeys, brands } from '../../db/schema';

type Executor = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createApiKey(
  db: Executor,
  brandId: string,
  name: string,
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `ff_${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, 10);
  const [row] = await db
    .insert(apiKeys)
    .values({ brandId, name, prefix, keyHash: hash(key) })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key, prefix };
}

/** What may be shown of a key: never the key or its hash. */
export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The brand's keys, newest first (revoked ones too, marked). */
export async function listApiKeys(db: Executor, brandId: string): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.brandId, brandId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

/** Revokes the brand's key `id`; null when it is not the brand's or is revoked already. */
export async function revokeApiKey(
  db: Executor,
  brandId: string,
  id: string,
  at: Date,
): Promise<{ id: string; name: string; prefix: string } | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.brandId, brandId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix });
  return row ?? null;
}

export type KeyCheck =
  { ok: true; brandId: string } | { ok: false; status: 401 | 403; code: string; message: string };

/** Checks a bearer key against the brand named in the URL. */
export async function authenticateBrandKey(
  db: Db,
  brandSlug: string,
  key: string | null,
): Promise<KeyCheck> {
  if (!key)
    return {
      ok: false,
      status: 401,
      code: 'E_AUTH',
      message: 'An API key is required (Authorization: Bearer <key>).',
    };
  const [row] = await db
    .select({
      id: apiKeys.id,
      brandId: apiKeys.brandId,
      revokedAt: apiKeys.revokedAt,
      slug: brands.slug,
    })
    .from(apiKeys)
    .innerJoin(brands, sql`${brands.id} = ${apiKeys.brandId}`)
    .where(sql`${apiKeys.keyHash} = ${hash(key)}`);
  if (!row || row.revokedAt)
    return { ok: false, status: 401, code: 'E_AUTH', message: 'This API key is not valid.' };
  if (row.slug !== brandSlug) {
    return {
      ok: false,
      status: 403,
      code: 'E_FORBIDDEN',
      message: 'This API key belongs to another brand.',
    };
  }
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(sql`${apiKeys.id} = ${row.id}`);
  return { ok: true, brandId: row.brandId };
}
