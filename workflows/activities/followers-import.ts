/**
 * Importing a brand's existing WeChat followers: one user/get page (up to 10,000 openids) per
 * activity, their profiles by user/info/batchget in chunks of 100, upserted without duplicates
 * (services/followers/store.ts › importFollowers). Progress is kept in `follower_imports` with
 * each chunk, in the chunk's transaction, so a retried page goes on from its next chunk and the
 * counts stay exact. WeChat's "busy" answers (45009, -1) are rethrown for Temporal's backoff.
 */
import { Context } from '@temporalio/activity';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { brands, followerImports, tags } from '../../db/schema';
import { isConnected } from '../../services/brands/account';
import { importFollowers, type ImportedFollower } from '../../services/followers/store';
import type { WechatClients } from '../../services/wechat/clients';
import type { SubscribedUserInfo } from '../../wechat/api-types';
import { businessFailure, classifyWechat } from './failures';

/** WeChat's user/info/batchget takes at most this many openids. */
export const BATCHGET_SIZE = 100;

export interface ImportStart {
  brandId: string;
  workflowId: string;
  runId: string;
}

export interface ImportProgress {
  nextOpenid: string;
  pages: number;
  fetched: number;
  created: number;
  updated: number;
  total: number | null;
}

export interface ImportPageResult extends ImportProgress {
  /** No more pages: WeChat listed nothing after `nextOpenid`. */
  done: boolean;
}

function qrScene(info: SubscribedUserInfo): string | null {
  if (info.qr_scene_str) return info.qr_scene_str;
  return info.qr_scene ? String(info.qr_scene) : null;
}

export function followersImportActivities({ db, wechat }: { db: Db; wechat: WechatClients }) {
  const progressOf = (row: typeof followerImports.$inferSelect): ImportProgress => ({
    nextOpenid: row.nextOpenid,
    pages: row.pages,
    fetched: row.fetched,
    created: row.created,
    updated: row.updated,
    total: row.total,
  });

  /** The page was finished by an earlier attempt whose result was lost: the row as it is. */
  async function pageAlreadyDone(input: {
    brandId: string;
    runId: string;
  }): Promise<ImportPageResult> {
    const [row] = await db
      .select()
      .from(followerImports)
      .where(
        and(eq(followerImports.brandId, input.brandId), eq(followerImports.runId, input.runId)),
      );
    if (!row) throw businessFailure('E_IMPORT_REPLACED', 'another import of the brand took over');
    return { ...progressOf(row), done: row.nextOpenid === '' };
  }

  return {
    /**
     * Marks the brand's import running under this run. An import after one that failed goes
     * on from where that one stopped (its next_openid and counts); otherwise it starts afresh.
     */
    async beginFollowersImport(input: ImportStart): Promise<ImportProgress> {
      return db.transaction(async (tx) => {
        const [prev] = await tx
          .select()
          .from(followerImports)
          .where(eq(followerImports.brandId, input.brandId))
          .for('update');
        if (prev?.runId === input.runId) return progressOf(prev); // this activity, retried
        const resume = prev && prev.status !== 'done' && prev.nextOpenid !== '';
        const fresh = {
          workflowId: input.workflowId,
          runId: input.runId,
          status: 'running' as const,
          startedAt: new Date(),
          finishedAt: null,
          error: null,
        };
        const counts = resume
          ? {}
          : {
              total: null,
              pages: 0,
              fetched: 0,
              created: 0,
              updated: 0,
              nextOpenid: '',
              chunks: 0,
            };
        const [row] = await tx
          .insert(followerImports)
          .values({ brandId: input.brandId, ...fresh, ...counts })
          .onConflictDoUpdate({ target: followerImports.brandId, set: { ...fresh, ...counts } })
          .returning();
        return progressOf(row!);
      });
    },

    /** One user/get page after `nextOpenid`: its fans' profiles fetched and upserted. */
    async importFollowersPage(input: {
      brandId: string;
      runId: string;
      nextOpenid: string;
    }): Promise<ImportPageResult> {
      const [brand] = await db
        .select({
          appId: brands.appId,
          appSecretEnc: brands.appSecretEnc,
          callbackTokenEnc: brands.callbackTokenEnc,
        })
        .from(brands)
        .where(eq(brands.id, input.brandId));
      if (!brand || !isConnected(brand))
        throw businessFailure(
          'E_NOT_CONNECTED',
          'the brand has no WeChat credentials yet: connect its Official Account first',
        );
      const { client } = await wechat.forBrand(input.brandId);
      const page = await client.listFollowers(input.nextOpenid || undefined).catch(classifyWechat);
      const openids = [...new Set(page.data?.openid ?? [])];
      if (openids.length === 0) {
        const [row] = await db
          .update(followerImports)
          .set({ total: page.total })
          .where(
            and(eq(followerImports.brandId, input.brandId), eq(followerImports.runId, input.runId)),
          )
          .returning();
        if (!row)
          throw businessFailure('E_IMPORT_REPLACED', 'another import of the brand took over');
        return { ...progressOf(row), done: true };
      }

      // Our tags by WeChat tag id, to record the fans' WeChat tags under our names.
      const known = await db
        .select({ name: tags.name, wechatTagId: tags.wechatTagId })
        .from(tags)
        .where(and(eq(tags.brandId, input.brandId), isNotNull(tags.wechatTagId)));
      const tagById = new Map(known.map((t) => [t.wechatTagId!, t.name]));

      // Where this page stands: chunks already imported by an earlier attempt are skipped.
      const here = and(
        eq(followerImports.brandId, input.brandId),
        eq(followerImports.runId, input.runId),
        eq(followerImports.nextOpenid, input.nextOpenid),
      );
      const [at] = await db.select().from(followerImports).where(here);
      if (!at) return pageAlreadyDone(input);

      const ctx = Context.current();
      const chunks = Math.ceil(openids.length / BATCHGET_SIZE);
      for (let i = at.chunks; i < chunks; i++) {
        const chunk = openids.slice(i * BATCHGET_SIZE, (i + 1) * BATCHGET_SIZE);
        const infos = await client.batchGetUserInfo(chunk).catch(classifyWechat);
        const fans: ImportedFollower[] = infos
          // a fan who left since user/get listed them is not imported as following
          .filter((u): u is SubscribedUserInfo => u.subscribe === 1)
          .map((u) => ({
            openid: u.openid,
            unionid: u.unionid ?? null,
            subscribeTime: u.subscribe_time,
            subscribeScene: u.subscribe_scene || null,
            qrScene: qrScene(u),
            tags: (u.tagid_list ?? []).flatMap((id) => {
              const name = tagById.get(id);
              return name ? [{ name, wechatTagId: id }] : [];
            }),
          }));
        // The fans and the counts commit together: progress is exact across retries.
        await db.transaction(async (tx) => {
          const counts = await importFollowers(tx, input.brandId, fans);
          const [moved] = await tx
            .update(followerImports)
            .set({
              total: page.total,
              fetched: sql`${followerImports.fetched} + ${chunk.length}`,
              created: sql`${followerImports.created} + ${counts.created}`,
              updated: sql`${followerImports.updated} + ${counts.updated}`,
              chunks: i + 1,
            })
            .where(and(here, eq(followerImports.chunks, i)))
            .returning({ chunks: followerImports.chunks });
          if (!moved)
            throw businessFailure('E_IMPORT_REPLACED', 'another import of the brand took over');
        });
        ctx.heartbeat(i + 1);
      }

      const [row] = await db
        .update(followerImports)
        .set({ pages: sql`${followerImports.pages} + 1`, nextOpenid: page.next_openid, chunks: 0 })
        .where(here)
        .returning();
      if (!row) return pageAlreadyDone(input);
      return { ...progressOf(row), done: page.next_openid === '' };
    },

    /** The import's end: done, or failed with a code and a sentence. */
    async finishFollowersImport(input: {
      brandId: string;
      runId: string;
      error?: string;
    }): Promise<void> {
      await db
        .update(followerImports)
        .set({
          status: input.error ? 'failed' : 'done',
          finishedAt: new Date(),
          error: input.error ?? null,
          ...(input.error ? {} : { nextOpenid: '' }),
        })
        .where(
          and(eq(followerImports.brandId, input.brandId), eq(followerImports.runId, input.runId)),
        );
    },
  };
}
