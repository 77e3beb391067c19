/**
 * A brand's tags: the list (with how many followers carry each), creating one (within
 * WeChat's limits: ≤ 30 bytes, ≤ 100 per account) and deleting one.
 *
 * A tag made here exists in our table only; it is created on WeChat the first time a flow
 * applies it (services/wechat/resources.ts › ensureWechatTag). Deleting a tag refuses while
 * any follower still carries it: flows and segments read it, and WeChat would silently drop it
 * from those followers. Menu tags (kind 'menu') are reserved for menu swaps and never deleted
 * here — deleting their menu is what frees them.
 */
import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import { followerTags, tags } from '../../db/schema';
import {
  isUuid,
  problem,
  refuse,
  utf8Bytes,
  type Problem,
  type Result,
} from '../resources/problems';
import { TAG_BUDGET, TAG_NAME_MAX_BYTES } from '../resources/limits';
import { withWechat, type ResourceDeps } from '../wechat/calls';

/** Names WeChat keeps for itself (id 2, 星标组) and the prefix of reserved menu tags. */
const RESERVED_NAMES = new Set(['星标组']);
export const MENU_TAG_PREFIX = 'menu:';

export interface TagRow {
  id: string;
  name: string;
  kind: 'user' | 'menu';
  wechatTagId: number | null;
  followers: number;
  createdAt: string;
}

export interface TagsOverview {
  user: TagRow[];
  menu: TagRow[];
  /** Every tag counts against WeChat's budget, menu tags too. */
  budget: { used: number; limit: number };
}

export async function listTags(db: Db, brandId: string): Promise<TagsOverview> {
  const carried = db
    .select({ tag: followerTags.tag, n: count().as('n') })
    .from(followerTags)
    .where(eq(followerTags.brandId, brandId))
    .groupBy(followerTags.tag)
    .as('carried');
  const rows = await db
    .select({
      id: tags.id,
      name: tags.name,
      kind: tags.kind,
      wechatTagId: tags.wechatTagId,
      followers: sql<number>`coalesce(${carried.n}, 0)`.mapWith(Number),
      createdAt: tags.createdAt,
    })
    .from(tags)
    .leftJoin(carried, eq(carried.tag, tags.name))
    .where(eq(tags.brandId, brandId))
    .orderBy(asc(tags.name));
  const all = rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  return {
    user: all.filter((t) => t.kind === 'user'),
    menu: all.filter((t) => t.kind === 'menu'),
    budget: { used: all.length, limit: TAG_BUDGET },
  };
}

/** Problems with a tag name, before it reaches WeChat (45157 / 45158 there). */
export function checkTagName(name: string): Problem[] {
  if (name === '') return [problem('name_required', undefined, 'name')];
  if (utf8Bytes(name) > TAG_NAME_MAX_BYTES) {
    return [problem('name_too_long', { max: TAG_NAME_MAX_BYTES, bytes: utf8Bytes(name) }, 'name')];
  }
  if (RESERVED_NAMES.has(name) || name.startsWith(MENU_TAG_PREFIX)) {
    return [problem('name_reserved', { name }, 'name')];
  }
  return [];
}

export async function createTag(
  db: Db,
  brandId: string,
  rawName: string,
  actor: Actor,
): Promise<Result<{ tag: { id: string; name: string } }>> {
  const name = rawName.trim();
  const invalid = checkTagName(name);
  if (invalid.length > 0) return refuse(...invalid);
  // The budget check and the insert share a lock on the brand's tags, so two marketers
  // creating the 100th tag at once cannot both succeed.
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext('fanfare.tags'), hashtext(${brandId}))`,
    );
    const [{ used } = { used: 0 }] = await tx
      .select({ used: count() })
      .from(tags)
      .where(eq(tags.brandId, brandId));
    if (used >= TAG_BUDGET) return refuse(problem('tag_budget_full', { limit: TAG_BUDGET }));
    const [row] = await tx
      .insert(tags)
      .values({ brandId, name, kind: 'user' })
      .onConflictDoNothing({ target: [tags.brandId, tags.name] })
      .returning({ id: tags.id, name: tags.name });
    if (!row) return refuse(problem('name_taken', { name }, 'name'));
    await recordAudit(tx, {
      actor,
      action: 'tag.created',
      brandId,
      target: { type: 'tag', id: row.id },
      details: { name: row.name },
    });
    return { ok: true as const, tag: row };
  });
}

/**
 * Deletes a user tag of this brand (and on WeChat, when it exists there). `tagId` comes from
 * a form: it only matches a row of `brandId`.
 */
export async function deleteTag(
  deps: ResourceDeps,
  brandId: string,
  tagId: string,
  actor: Actor,
): Promise<Result<{ name: string }>> {
  const { db } = deps;
  if (!isUuid(tagId)) return refuse(problem('not_found'));
  const [tag] = await db
    .select()
    .from(tags)
    .where(and(eq(tags.id, tagId), eq(tags.brandId, brandId)));
  if (!tag) return refuse(problem('not_found'));
  if (tag.kind === 'menu') return refuse(problem('tag_is_menu_tag', { name: tag.name }));
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(followerTags)
    .where(and(eq(followerTags.brandId, brandId), eq(followerTags.tag, tag.name)));
  if (n > 0) return refuse(problem('tag_in_use', { name: tag.name, followers: n }));
  if (tag.wechatTagId !== null) {
    const wechatTagId = tag.wechatTagId;
    const removed = await withWechat(deps, brandId, 'tags.delete', (client) =>
      client.deleteTag(wechatTagId).catch((error: unknown) => {
        // 45159: WeChat no longer has it (deleted on the platform): nothing left to do there.
        if ((error as { errcode?: unknown }).errcode === 45159) return;
        throw error;
      }),
    );
    if (!removed.ok) return refuse(removed.problem);
  }
  await db.transaction(async (tx) => {
    await tx.delete(tags).where(and(eq(tags.id, tag.id), eq(tags.brandId, brandId)));
    await recordAudit(tx, {
      actor,
      action: 'tag.deleted',
      brandId,
      target: { type: 'tag', id: tag.id },
      details: { name: tag.name },
    });
  });
  return { ok: true, name: tag.name };
}

/** The tags page's use cases over one set of dependencies (the brand: requireMember's). */
export function createTags(deps: ResourceDeps) {
  return {
    list: (brandId: string) => listTags(deps.db, brandId),
    create: (actor: Actor, brandId: string, name: string) =>
      createTag(deps.db, brandId, name, actor),
    delete: (actor: Actor, brandId: string, tagId: string) =>
      deleteTag(deps, brandId, tagId, actor),
  };
}

export type TagsService = ReturnType<typeof createTags>;
