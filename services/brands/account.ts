import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { brands } from '../../db/schema';
import type { SecretBox } from '../secrets';

/**
 * A brand's slug, the last segment of its callback URL `/wechat/<slug>`: lowercase letters,
 * digits and dashes, 2–40 characters. Anything else names no brand.
 */
export const BRAND_SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

/**
 * What WeChat's console hands out, as the CLI and the connection page accept it: the AppId
 * (wx + 16), the AppSecret, the callback Token (3–32 letters and digits) and the
 * EncodingAESKey (43 characters).
 */
export const APP_ID = /^wx[0-9a-zA-Z]{16}$/;
export const APP_SECRET = /^[\x21-\x7e]{16,64}$/;
export const CALLBACK_TOKEN = /^[A-Za-z0-9]{3,32}$/;
export const AES_KEY = /^[A-Za-z0-9+/]{43}$/;
export const CALLBACK_MODES = ['plaintext', 'compatible', 'safe'] as const;
export type CallbackMode = (typeof CALLBACK_MODES)[number];

/**
 * A brand made in the web app has no WeChat credentials until its connection page sets them:
 * its AppId and sealed secrets are stored empty. Such a brand is "not connected": it cannot be
 * called (no token) nor called back (no Token to check signatures with).
 */
export function isConnected(row: {
  appId: string;
  appSecretEnc: string;
  callbackTokenEnc: string;
}): boolean {
  return row.appId !== '' && row.appSecretEnc !== '' && row.callbackTokenEnc !== '';
}

/** A brand with its credentials decrypted, for the callback route and the activities. */
export interface BrandAccount {
  id: string;
  slug: string;
  name: string;
  appId: string;
  appSecret: string;
  token: string;
  aesKey?: string;
  mode: CallbackMode;
  apiBase: string | null;
  timezone: string;
}

/** The brand's account, or null when there is no such brand or it is not connected yet. */
export async function loadBrandAccount(
  db: Db,
  box: SecretBox,
  by: { slug: string } | { id: string },
): Promise<BrandAccount | null> {
  const [row] = await db
    .select()
    .from(brands)
    .where('slug' in by ? eq(brands.slug, by.slug) : eq(brands.id, by.id));
  if (!row || !isConnected(row)) return null;
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
