/**
 * Per-brand API keys: shown once at creation, stored as a SHA-256 hash with a short prefix
 * to tell keys apart in the UI.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { apiKeys, brands } from './schema';

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

export async function createApiKey(
  db: Db,
  brandId: string,
  name: string,
): Promise<{ id: string; key: string }> {
  const key = `ff_${randomBytes(24).toString('base64url')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ brandId, name, prefix: key.slice(0, 10), keyHash: hash(key) })
    .returning({ id: apiKeys.id });
  return { id: row!.id, key };
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
