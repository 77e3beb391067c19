import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { brands } from './schema';
import type { SecretBox } from './secrets';

/** A brand with its credentials decrypted, for the callback route and the activities. */
export interface BrandAccount {
  id: string;
  slug: string;
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  aesKey?: string;
  mode: 'plaintext' | 'compatible' | 'safe';
  apiBase: string | null;
  timezone: string;
}

export async function loadBrandAccount(
  db: Db,
  box: SecretBox,
  by: { slug: string } | { id: string },
): Promise<BrandAccount | null> {
  const [row] = await db
    .select()
    .from(brands)
    .where('slug' in by ? eq(brands.slug, by.slug) : eq(brands.id, by.id));
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    appId: row.appId,
    appSecret: box.open(row.appSecretEnc),
    token: box.open(row.callbackTokenEnc),
    ...(row.aesKeyEnc ? { aesKey: box.open(row.aesKeyEnc) } : {}),
    mode: row.callbackMode,
    apiBase: row.apiBase,
    timezone: row.timezone,
  };
}
