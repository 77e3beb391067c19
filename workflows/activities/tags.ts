/**
 * action.tag and action.menu_swap: tags on WeChat and in follower_tags, exactly once. A tag
 * name with `{{…}}` placeholders is rendered like a message and checked against WeChat's
 * rules; a name that fails them (or that WeChat refuses) is not applied, and the step records
 * which tag was refused and why — the journey goes on.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import { renderTagName } from '../../engine/tag-name';
import type { Db } from '../../db/client';
import { recordEvent } from '../../services/events/outbox';
import { followerTags, menus, tags } from '../../db/schema';
import { stepKey, type IssuedCoupon, type StepRef } from '../journey-types';
import { ensureWechatTag, menuTagName } from '../../services/wechat/resources';
import { writeStep } from './bookkeeping';
import { businessFailure, classifyWechat } from './failures';
import { journeyVars } from './vars';
import type { WechatClients } from '../../services/wechat/clients';

/** WeChat's answers to a tag it will not take: too many tags, a bad or too long name, a full follower. */
const TAG_REFUSALS = new Set(['WECHAT_45056', 'WECHAT_45157', 'WECHAT_45158', 'WECHAT_45059']);

/** A tag the step did not apply: the name as configured, as rendered, and why. */
export interface RefusedTag {
  tag: string;
  name: string;
  reason: string;
}

export function tagActivities({ db, wechat }: { db: Db; wechat: WechatClients }) {
  async function addTag(ref: StepRef, name: string, kind: 'user' | 'menu'): Promise<void> {
    const { client } = await wechat.forBrand(ref.context.brandId);
    const tagId = await ensureWechatTag(db, client, ref.context.brandId, name, kind).catch(
      classifyWechat,
    );
    await client.tagFollowers(tagId, [ref.context.openid]).catch(classifyWechat);
    await db.transaction(async (tx) => {
      const [added] = await tx
        .insert(followerTags)
        .values({
          brandId: ref.context.brandId,
          followerId: ref.context.followerId,
          tag: name,
          wechatTagId: tagId,
        })
        .onConflictDoNothing()
        .returning({ tag: followerTags.tag });
      // A new tag is an event too: flows starting at trigger.tag_added hear it.
      if (added && kind === 'user') {
        await recordEvent(tx, {
          brandId: ref.context.brandId,
          followerId: ref.context.followerId,
          openid: ref.context.openid,
          type: 'tag_added',
          dedupeKey: `tag_added:${stepKey(ref)}:${name}`,
          payload: { tag: name, source: 'flow', flowId: ref.context.flowId },
        });
      }
    });
  }

  async function removeTag(ref: StepRef, name: string): Promise<void> {
    const [tag] = await db
      .select({ wechatTagId: tags.wechatTagId })
      .from(tags)
      .where(and(eq(tags.brandId, ref.context.brandId), eq(tags.name, name)));
    if (tag?.wechatTagId != null) {
      const { client } = await wechat.forBrand(ref.context.brandId);
      await client.untagFollowers(tag.wechatTagId, [ref.context.openid]).catch(classifyWechat);
    }
    await db
      .delete(followerTags)
      .where(and(eq(followerTags.followerId, ref.context.followerId), eq(followerTags.tag, name)));
  }

  return {
    async tagFollower(input: {
      ref: StepRef;
      add: string[];
      remove: string[];
      coupon?: IssuedCoupon | null;
    }): Promise<void> {
      const { ref } = input;
      const templated = [...input.add, ...input.remove].some((t) => t.includes('{{'));
      const vars = templated ? await journeyVars(db, ref, input.coupon ?? null) : {};
      const refused: RefusedTag[] = [];
      const render = (tags: string[]) => {
        const names = new Map<string, string>();
        for (const tag of tags) {
          if (!tag.includes('{{')) {
            names.set(tag, tag);
            continue;
          }
          const rendered = renderTagName(tag, vars);
          if (rendered.ok) names.set(rendered.name, tag);
          else refused.push({ tag, name: rendered.name, reason: rendered.reason });
        }
        return names;
      };
      const add = render(input.add);
      const remove = render(input.remove);

      const added: string[] = [];
      for (const [name, tag] of add) {
        try {
          await addTag(ref, name, 'user');
          added.push(name);
        } catch (error) {
          // A configured tag WeChat refuses fails the step (publishing checked it); one a
          // placeholder made is refused alone, since its values could not be checked.
          const type = error instanceof ApplicationFailure ? error.type : null;
          if (!tag.includes('{{') || !type || !TAG_REFUSALS.has(type)) throw error;
          refused.push({ tag, name, reason: type.toLowerCase() });
        }
      }
      for (const name of remove.keys()) await removeTag(ref, name);
      const nothingDone = added.length === 0 && remove.size === 0;
      await writeStep(db, ref, refused.length && nothingDone ? 'skipped' : 'completed', {
        reason: refused.length ? 'tag_refused' : null,
        output: { add: added, remove: [...remove.keys()], ...(refused.length ? { refused } : {}) },
      });
    },

    /** Exactly one menu tag per follower: untag the old menu's, tag the new one's. */
    async swapMenu(input: { ref: StepRef; menu: string }): Promise<void> {
      const { ref } = input;
      const [menu] = await db
        .select()
        .from(menus)
        .where(and(eq(menus.brandId, ref.context.brandId), eq(menus.name, input.menu)));
      if (!menu) {
        await writeStep(db, ref, 'failed', { reason: 'unknown_menu' });
        throw businessFailure('E_UNKNOWN_MENU', `no menu named "${input.menu}"`);
      }
      if (!menu.isDefault && !menu.wechatMenuId) {
        await writeStep(db, ref, 'failed', { reason: 'menu_not_published' });
        throw businessFailure(
          'E_MENU_NOT_PUBLISHED',
          `menu "${input.menu}" is not published to WeChat`,
        );
      }
      const target = menu.isDefault ? null : (menu.tagName ?? menuTagName(menu.name));
      const menuTags = await db
        .select({ tag: followerTags.tag })
        .from(followerTags)
        .innerJoin(
          tags,
          and(eq(tags.brandId, followerTags.brandId), eq(tags.name, followerTags.tag)),
        )
        .where(and(eq(followerTags.followerId, ref.context.followerId), eq(tags.kind, 'menu')));
      for (const { tag } of menuTags) if (tag !== target) await removeTag(ref, tag);
      if (target) await addTag(ref, target, 'menu');
      await writeStep(db, ref, 'completed', { output: { menu: input.menu } });
    },
  };
}

/** Tags a follower carries, for quick checks in tests and the timeline. */
export async function followerTagNames(db: Db, followerId: string): Promise<string[]> {
  const rows = await db
    .select({ tag: followerTags.tag })
    .from(followerTags)
    .where(sql`${followerTags.followerId} = ${followerId}`);
  return rows.map((r) => r.tag).sort();
}
