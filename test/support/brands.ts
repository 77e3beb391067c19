/**
 * A brand row for tests: fresh slug, AppId, secret and token (the secrets sealed with the
 * test's SecretBox, as the CLI stores them).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { brands } from '../../db/schema';
import type { SecretBox } from '../../services/secrets';

export interface TestBrand {
  id: string;
  slug: string;
  appId: string;
  secret: string;
  token: string;
}

export async function insertBrand(
  db: Db,
  box: SecretBox,
  options: {
    prefix?: string;
    slug?: string;
    appId?: string;
    token?: string;
    apiBase?: string;
    aesKey?: string;
    mode?: 'plaintext' | 'compatible' | 'safe';
  } = {},
): Promise<TestBrand> {
  const slug = options.slug ?? `${options.prefix ?? 'test'}-${randomUUID().slice(0, 8)}`;
  const appId = options.appId ?? `wx${randomBytes(8).toString('hex')}`;
  const token = options.token ?? `tok${randomBytes(4).toString('hex')}`;
  const secret = randomBytes(16).toString('hex');
  const [row] = await db
    .insert(brands)
    .values({
      slug,
      name: slug,
      appId,
      appSecretEnc: box.seal(secret),
      callbackTokenEnc: box.seal(token),
      ...(options.aesKey ? { aesKeyEnc: box.seal(options.aesKey) } : {}),
      ...(options.mode ? { callbackMode: options.mode } : {}),
      ...(options.apiBase ? { apiBase: options.apiBase } : {}),
    })
    .returning({ id: brands.id });
  return { id: row!.id, slug, appId, secret, token };
}
