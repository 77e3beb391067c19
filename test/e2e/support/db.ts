/**
 * Direct database access for browser tests, against the running stack's embedded Postgres
 * (its URL is in <DATA_DIR>/embedded-pg.json; run.ts passes DATA_DIR). Used to create what
 * the CLI cannot (menus, QR channels) and to read back what the UI stored.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { connect, type DbHandle } from '../../../db/client';
import { brands, followers, followerTags, menus, qrChannels } from '../../../db/schema';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = process.env.DATA_DIR;
  if (!dataDir)
    throw new Error('DATA_DIR (or DATABASE_URL) is required to reach the stack database');
  const state = JSON.parse(readFileSync(resolve(root, dataDir, 'embedded-pg.json'), 'utf8')) as {
    url: string;
  };
  return state.url;
}

let handle: DbHandle | null = null;
export function testDb(): DbHandle {
  handle ??= connect(databaseUrl(), { max: 2, appName: 'fanfare-e2e' });
  return handle;
}
export async function closeTestDb(): Promise<void> {
  await handle?.close();
  handle = null;
}

export async function brandId(slug: string): Promise<string> {
  const [row] = await testDb()
    .db.select({ id: brands.id })
    .from(brands)
    .where(eq(brands.slug, slug));
  if (!row) throw new Error(`no brand ${slug}`);
  return row.id;
}

export async function insertMenu(slug: string, name: string, isDefault = false): Promise<void> {
  await testDb()
    .db.insert(menus)
    .values({
      brandId: await brandId(slug),
      name,
      isDefault,
      buttons: [{ type: 'click', name: 'VIP', key: 'MENU_VIP' }],
      tagName: isDefault ? null : `menu:${name}`,
    })
    .onConflictDoNothing();
}

export async function insertQrChannel(slug: string, name: string, scene: string): Promise<void> {
  await testDb()
    .db.insert(qrChannels)
    .values({
      brandId: await brandId(slug),
      name,
      scene,
      kind: 'permanent',
      ticket: `ticket-${scene}`,
      url: `https://weixin.qq.com/q/${scene}`,
    })
    .onConflictDoNothing();
}

/** A subscribed follower of the brand with some tags (for audience estimates). */
export async function insertFollower(
  slug: string,
  openid: string,
  tags: string[],
  fields: { city?: string } = {},
): Promise<void> {
  const { db } = testDb();
  const brand = await brandId(slug);
  const [row] = await db
    .insert(followers)
    .values({ brandId: brand, openid, subscribed: true, subscribedAt: new Date(), ...fields })
    .returning({ id: followers.id });
  if (tags.length)
    await db
      .insert(followerTags)
      .values(
        tags.map((tag) => ({ brandId: brand, followerId: row!.id, tag, source: 'api' as const })),
      );
}
