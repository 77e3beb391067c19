/**
 * Brand resources that live on WeChat as well as in our tables: tags (created on WeChat on
 * first use) and menus (the default menu, and swap menus shown through a reserved tag).
 * Shared by the worker's activities and the web app's resource pages.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { menus, tags } from '../../db/schema';
import type { Menu } from '../../wechat/api-types';
import type { WechatClient } from '../../wechat/client';
import { WechatError } from '../../wechat/errors';

/** Reserved tag that shows a swap menu (WeChat matches conditional menus by tag only). */
export const menuTagName = (menuName: string) => `menu:${menuName}`.slice(0, 30);

/**
 * The WeChat tag id for a brand tag, creating the tag on WeChat (and in our table) the first
 * time. Safe to call concurrently and again after a crash: a name WeChat already has (45157)
 * is looked up instead of created twice.
 */
export async function ensureWechatTag(
  db: Db,
  client: WechatClient,
  brandId: string,
  name: string,
  kind: 'user' | 'menu' = 'user',
): Promise<number> {
  const [known] = await db
    .select({ wechatTagId: tags.wechatTagId })
    .from(tags)
    .where(and(eq(tags.brandId, brandId), eq(tags.name, name)));
  if (known?.wechatTagId != null) return known.wechatTagId;

  let id: number;
  try {
    id = (await client.createTag(name)).id;
  } catch (error) {
    if (!(error instanceof WechatError && error.errcode === 45157)) throw error;
    const existing = (await client.getTags()).find((t) => t.name === name);
    if (!existing) throw error;
    id = existing.id;
  }
  await db
    .insert(tags)
    .values({ brandId, name, kind, wechatTagId: id })
    .onConflictDoUpdate({ target: [tags.brandId, tags.name], set: { wechatTagId: id } });
  return id;
}

/**
 * Pushes the brand's menus to WeChat: the default menu first (WeChat requires it), then each
 * swap menu as a conditional menu matched by its reserved tag. WeChat has no edit: menus are
 * deleted and added again.
 */
export async function publishMenus(db: Db, client: WechatClient, brandId: string): Promise<void> {
  const rows = await db.select().from(menus).where(eq(menus.brandId, brandId));
  const defaultMenu = rows.find((m) => m.isDefault);
  if (!defaultMenu) throw new Error('a default menu is needed before swap menus (WeChat 65303)');
  await client.createMenu({ button: defaultMenu.buttons } as Menu);
  await db
    .update(menus)
    .set({ publishedAt: sql`now()` })
    .where(eq(menus.id, defaultMenu.id));
  for (const menu of rows.filter((m) => !m.isDefault)) {
    if (menu.wechatMenuId) {
      await client.deleteConditionalMenu(menu.wechatMenuId).catch(() => {});
    }
    const tagName = menuTagName(menu.name);
    const tagId = await ensureWechatTag(db, client, brandId, tagName, 'menu');
    const menuId = await client.addConditionalMenu({ button: menu.buttons } as Menu, {
      tag_id: String(tagId),
    });
    await db
      .update(menus)
      .set({ tagName, wechatMenuId: menuId, publishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(eq(menus.id, menu.id));
  }
}
