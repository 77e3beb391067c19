/**
 * Custom menus of a brand: the default menu and swap menus (each shown to followers carrying
 * its reserved tag `menu:<name>`, through a WeChat conditional menu). Saved here, published
 * to WeChat with services/wechat/resources.ts › publishMenus.
 *
 * A menu's name is fixed once created: flows name the menu they swap to, and the reserved tag
 * is derived from it. The default menu cannot be deleted (WeChat needs one: 65303).
 */
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import { followerTags, menus, tags } from '../../db/schema';
import { menuTagName, publishMenus } from '../wechat/resources';
import { WechatError } from '../../wechat/errors';
import { checkMenuName, draftFromWire, validateDraft, type DraftButton } from './draft';
import { isUuid, problem, refuse, type Result } from '../resources/problems';
import { TAG_BUDGET } from '../resources/limits';
import { withWechat, type ResourceDeps } from '../wechat/calls';

export interface MenuRow {
  id: string;
  name: string;
  isDefault: boolean;
  buttons: DraftButton[];
  /** The reserved tag a swap menu is shown through (null for the default menu). */
  tagName: string | null;
  /** Followers carrying that tag now (they see this menu once it is published). */
  followers: number;
  publishedAt: string | null;
  /** Saved since the last publish (or never published). */
  unpublished: boolean;
  updatedAt: string;
}

export async function listMenus(db: Db, brandId: string): Promise<MenuRow[]> {
  const rows = await db
    .select()
    .from(menus)
    .where(eq(menus.brandId, brandId))
    .orderBy(desc(menus.isDefault), asc(menus.name));
  const carried = await db
    .select({ tag: followerTags.tag, n: sql<number>`count(*)`.mapWith(Number) })
    .from(followerTags)
    .where(and(eq(followerTags.brandId, brandId), sql`${followerTags.tag} like 'menu:%'`))
    .groupBy(followerTags.tag);
  const counts = new Map(carried.map((c) => [c.tag, c.n]));
  return rows.map((m) => {
    const tagName = m.isDefault ? null : menuTagName(m.name);
    return {
      id: m.id,
      name: m.name,
      isDefault: m.isDefault,
      buttons: draftFromWire(m.buttons),
      tagName,
      followers: tagName ? (counts.get(tagName) ?? 0) : 0,
      publishedAt: m.publishedAt?.toISOString() ?? null,
      unpublished: !m.publishedAt || m.updatedAt > m.publishedAt,
      updatedAt: m.updatedAt.toISOString(),
    };
  });
}

export interface MenuInput {
  /** Absent: a new menu. Present: one of this brand's menus (checked). */
  id?: string;
  name: string;
  /** Only for a new menu; the first menu of a brand is always the default one. */
  isDefault?: boolean;
  buttons: DraftButton[];
}

/** Creates or updates a menu after checking it against WeChat's rules. */
export async function saveMenu(
  db: Db,
  brandId: string,
  input: MenuInput,
): Promise<Result<{ menu: { id: string; name: string } }>> {
  const checked = validateDraft(input.buttons);
  if (input.id) {
    if (!isUuid(input.id)) return refuse(problem('not_found'));
    const [existing] = await db
      .select({ id: menus.id, name: menus.name })
      .from(menus)
      .where(and(eq(menus.id, input.id), eq(menus.brandId, brandId)));
    if (!existing) return refuse(problem('not_found'));
    if (!checked.ok) return refuse(...checked.problems);
    await db
      .update(menus)
      .set({ buttons: checked.wire, updatedAt: sql`now()` })
      .where(and(eq(menus.id, existing.id), eq(menus.brandId, brandId)));
    return { ok: true, menu: existing };
  }
  const name = input.name.trim();
  const problems = [...checkMenuName(name), ...(checked.ok ? [] : checked.problems)];
  if (problems.length > 0 || !checked.ok) return refuse(...problems);
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('fanfare.menus'), hashtext(${brandId}))`,
    );
    const [current] = await tx
      .select({ id: menus.id })
      .from(menus)
      .where(and(eq(menus.brandId, brandId), eq(menus.isDefault, true)));
    const isDefault = !current;
    if (input.isDefault && current) return refuse(problem('menu_default_locked'));
    if (!isDefault) {
      // Publishing a swap menu creates its reserved tag: it needs room in WeChat's tag budget.
      const [{ used } = { used: 0 }] = await tx
        .select({ used: count() })
        .from(tags)
        .where(eq(tags.brandId, brandId));
      const [reserved] = await tx
        .select({ id: tags.id })
        .from(tags)
        .where(and(eq(tags.brandId, brandId), eq(tags.name, menuTagName(name))));
      if (!reserved && used >= TAG_BUDGET)
        return refuse(problem('tag_budget_full', { limit: TAG_BUDGET }));
    }
    const [row] = await tx
      .insert(menus)
      .values({
        brandId,
        name,
        isDefault,
        buttons: checked.wire,
        tagName: isDefault ? null : menuTagName(name),
      })
      .onConflictDoNothing({ target: [menus.brandId, menus.name] })
      .returning({ id: menus.id, name: menus.name });
    if (!row) return refuse(problem('name_taken', { name }, 'name'));
    return { ok: true as const, menu: row };
  });
}

/** Deletes a swap menu of this brand, and its conditional menu on WeChat. */
export async function deleteMenu(
  deps: ResourceDeps,
  brandId: string,
  menuId: string,
): Promise<Result<{ name: string }>> {
  const { db } = deps;
  if (!isUuid(menuId)) return refuse(problem('not_found'));
  const [menu] = await db
    .select()
    .from(menus)
    .where(and(eq(menus.id, menuId), eq(menus.brandId, brandId)));
  if (!menu) return refuse(problem('not_found'));
  if (menu.isDefault) return refuse(problem('menu_default_locked'));
  if (menu.wechatMenuId) {
    const menuid = menu.wechatMenuId;
    const removed = await withWechat(deps, brandId, 'menus.delete', (client) =>
      client.deleteConditionalMenu(menuid).catch((error: unknown) => {
        // 65301: WeChat no longer has it; nothing left to remove there.
        if (error instanceof WechatError && error.errcode === 65301) return;
        throw error;
      }),
    );
    if (!removed.ok) return refuse(removed.problem);
  }
  await db.delete(menus).where(and(eq(menus.id, menu.id), eq(menus.brandId, brandId)));
  return { ok: true, name: menu.name };
}

/**
 * Publishes every menu of the brand to WeChat: the default first, then each swap menu. The
 * audit entry is written once WeChat has taken them (its side of the change is no transaction
 * of ours); a refusal records nothing.
 */
export async function publishAllMenus(
  deps: ResourceDeps,
  brandId: string,
  actor: Actor,
): Promise<Result<{ published: number }>> {
  const rows = await deps.db
    .select({ name: menus.name, isDefault: menus.isDefault })
    .from(menus)
    .where(eq(menus.brandId, brandId));
  if (!rows.some((m) => m.isDefault)) return refuse(problem('menu_no_default', { errcode: 65303 }));
  const published = await withWechat(deps, brandId, 'menus.publish', (client) =>
    publishMenus(deps.db, client, brandId),
  );
  if (!published.ok) return refuse(published.problem);
  await recordAudit(deps.db, {
    actor,
    action: 'menu.published',
    brandId,
    details: { menus: rows.map((m) => m.name).sort((a, b) => a.localeCompare(b)) },
  });
  return { ok: true, published: rows.length };
}

/** The menus page's use cases over one set of dependencies (the brand: requireMember's). */
export function createMenus(deps: ResourceDeps) {
  return {
    list: (brandId: string) => listMenus(deps.db, brandId),
    save: (brandId: string, input: MenuInput) => saveMenu(deps.db, brandId, input),
    delete: (brandId: string, menuId: string) => deleteMenu(deps, brandId, menuId),
    /** Pushes every menu to WeChat, recorded as `actor`'s once WeChat has accepted them. */
    publish: (actor: Actor, brandId: string) => publishAllMenus(deps, brandId, actor),
  };
}

export type MenusService = ReturnType<typeof createMenus>;
