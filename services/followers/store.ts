/**
 * Follower records: created on first sight (a callback or an API event naming the openid),
 * updated from WeChat events, purchases and profile updates; their customer-service quota.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { QUOTA_RULES, quotaRefusal, type QuotaKind, type QuotaRefusal } from '../../engine/quota';
import type { Tx } from '../events/outbox';
import { followerTags, followers } from '../../db/schema';

/**
 * The follower's row, created (unsubscribed) when the openid is new, and locked: concurrent
 * writers of one follower serialise on it. Also whether it ever followed — one round trip.
 */
export async function upsertFollower(
  tx: Tx,
  brandId: string,
  openid: string,
): Promise<{ id: string; everFollowed: boolean }> {
  const [row] = await tx.execute<{ id: string; ever_followed: boolean }>(
    followerUpsertSql(brandId, openid),
  );
  return { id: row!.id, everFollowed: row!.ever_followed };
}

/**
 * `upsertFollower`'s statement, to use inside a larger one (the callback's); `when` makes it
 * conditional (`insert … select … where when`). Returns `id, ever_followed`.
 */
export function followerUpsertSql(brandId: string, openid: string, when?: SQL): SQL {
  return sql`
    insert into ${followers} (brand_id, openid)
    select ${brandId}, ${openid}${when ? sql` where ${when}` : sql``}
    on conflict (brand_id, openid) do update set openid = excluded.openid -- a no-op: RETURNING yields the row
    returning id::text as id, first_subscribed_at is not null as ever_followed`;
}

/** Returns the follower's id, creating an (unsubscribed) record when the openid is new. */
export async function ensureFollower(tx: Tx, brandId: string, openid: string): Promise<string> {
  return (await upsertFollower(tx, brandId, openid)).id;
}

export interface Purchase {
  amount: number;
  at: Date;
}

/**
 * The largest total `followers.total_spent` (numeric(20,2)) holds, and the largest order count
 * (integer). At the events API's 10^9 per order a follower reaches them after 10^9 orders;
 * should one ever, the sums stay at the ceiling instead of failing the purchase
 * (docs/decisions/004-input-bounds.md).
 */
export const MAX_TOTAL_SPENT = '999999999999999999.99';
const MAX_ORDER_COUNT = 2_147_483_647;

/** Applied once per new purchase event (the caller skips duplicates). */
export async function applyPurchase(tx: Tx, followerId: string, purchase: Purchase): Promise<void> {
  await tx
    .update(followers)
    .set({
      totalSpent: sql`least(${followers.totalSpent} + ${purchase.amount.toFixed(2)}::numeric, ${MAX_TOTAL_SPENT}::numeric)`,
      orderCount: sql`least(${followers.orderCount}::bigint + 1, ${MAX_ORDER_COUNT})`,
      lastPurchaseAt: sql`greatest(${followers.lastPurchaseAt}, ${purchase.at.toISOString()}::timestamptz)`,
      updatedAt: sql`now()`,
    })
    .where(sql`${followers.id} = ${followerId}`);
}

export interface ProfileUpdate {
  birthday?: string | null;
  gender?: 'male' | 'female' | 'other' | null;
  city?: string | null;
  province?: string | null;
  phone?: string | null;
  tier?: string | null;
  /** Merged into the stored attributes; a null value removes the key. */
  attributes?: Record<string, unknown>;
}

export async function applyProfile(
  tx: Tx,
  followerId: string,
  profile: ProfileUpdate,
): Promise<void> {
  const { attributes, ...fields } = profile;
  const set: Record<string, unknown> = { updatedAt: sql`now()` };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) set[key] = value;
  if (attributes) {
    const removed = Object.keys(attributes).filter((k) => attributes[k] === null);
    const kept = Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null));
    set.attributes = sql`(${followers.attributes} || ${JSON.stringify(kept)}::jsonb) - array(select jsonb_array_elements_text(${JSON.stringify(removed)}::jsonb))`;
  }
  await tx
    .update(followers)
    .set(set)
    .where(sql`${followers.id} = ${followerId}`);
}

/** The SQL that opens the quota `kind` at `at` (engine/quota.ts › openQuota), for a follower update. */
export function openQuotaSet(kind: QuotaKind, at: string): Record<string, unknown> {
  const rule = QUOTA_RULES[kind];
  return {
    quotaKind: kind,
    quotaLeft: rule.messages,
    // Quotas do not add up: the count starts again, the later expiry stays.
    quotaExpiresAt: sql`greatest(${followers.quotaExpiresAt}, ${at}::timestamptz + ${rule.withinMs} * interval '1 millisecond')`,
  };
}

export type QuotaTaken = { ok: true; expiresAt: Date } | { ok: false; reason: QuotaRefusal };

/**
 * Spends one customer-service message of the follower's open quota, atomically: a conditional
 * update, so of two journeys after the last message only one gets it (the other's update
 * matches no row). Otherwise says why not (engine/quota.ts › quotaRefusal).
 */
export async function takeQuota(tx: Tx, followerId: string): Promise<QuotaTaken> {
  const [taken] = await tx
    .update(followers)
    .set({ quotaLeft: sql`${followers.quotaLeft} - 1` })
    .where(
      and(
        eq(followers.id, followerId),
        sql`${followers.quotaLeft} > 0`,
        sql`${followers.quotaExpiresAt} > now()`,
      ),
    )
    .returning({ expiresAt: followers.quotaExpiresAt });
  if (taken?.expiresAt) return { ok: true, expiresAt: taken.expiresAt };
  const [row] = await tx
    .select({
      kind: followers.quotaKind,
      left: followers.quotaLeft,
      expiresAt: followers.quotaExpiresAt,
      now: sql<Date>`now()`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(followers)
    .where(eq(followers.id, followerId));
  const quota =
    row?.kind && row.expiresAt
      ? { kind: row.kind, left: row.left, expiresAt: row.expiresAt.getTime() }
      : null;
  return {
    ok: false,
    reason: quotaRefusal(quota, (row?.now ?? new Date()).getTime()) ?? 'quota_used',
  };
}

/**
 * Gives back a message taken by `takeQuota` that WeChat did not process (a retry follows), as
 * long as no new action replaced that quota meanwhile.
 */
export async function returnQuota(tx: Tx, followerId: string, expiresAt: Date): Promise<void> {
  await tx
    .update(followers)
    .set({ quotaLeft: sql`${followers.quotaLeft} + 1` })
    .where(
      and(
        eq(followers.id, followerId),
        sql`${followers.quotaExpiresAt} = ${expiresAt.toISOString()}::timestamptz`,
      ),
    );
}

/**
 * WeChat refused a customer-service message our record thought possible (45015 no quota,
 * 45047 used up): believe WeChat, so later pushes do not try again in vain.
 */
export async function closeQuota(tx: Tx, followerId: string, expired: boolean): Promise<void> {
  await tx
    .update(followers)
    .set(
      expired
        ? { quotaLeft: 0, quotaExpiresAt: sql`least(${followers.quotaExpiresAt}, now())` }
        : { quotaLeft: 0 },
    )
    .where(eq(followers.id, followerId));
}

/** A follower as WeChat describes it (user/info), for an import of existing fans. */
export interface ImportedFollower {
  openid: string;
  unionid?: string | null;
  /** WeChat's subscribe_time, in seconds. */
  subscribeTime: number;
  subscribeScene?: string | null;
  qrScene?: string | null;
  /** Our tags for the fan's WeChat tag ids (those we know). */
  tags: { name: string; wechatTagId: number }[];
}

/**
 * Imports followers WeChat lists as following: one upsert for the lot (never a duplicate — the
 * brand + openid key), followers we already have are updated (following again, since WeChat's
 * subscribe time; their profile, purchases and quota are theirs and kept), and their WeChat tags
 * known to us are added. No event is recorded: an import is not a fan's action and starts no flow.
 */
export async function importFollowers(
  tx: Tx,
  brandId: string,
  fans: ImportedFollower[],
): Promise<{ created: number; updated: number }> {
  if (fans.length === 0) return { created: 0, updated: 0 };
  const rows = await tx
    .insert(followers)
    .values(
      fans.map((f) => {
        const at = f.subscribeTime > 0 ? new Date(f.subscribeTime * 1000) : null;
        return {
          brandId,
          openid: f.openid,
          unionid: f.unionid || null,
          subscribed: true,
          subscribedAt: at,
          firstSubscribedAt: at,
          subscribeScene: f.subscribeScene || null,
          qrScene: f.qrScene || null,
        };
      }),
    )
    .onConflictDoUpdate({
      target: [followers.brandId, followers.openid],
      set: {
        subscribed: true,
        subscribedAt: sql`coalesce(excluded.subscribed_at, ${followers.subscribedAt})`,
        firstSubscribedAt: sql`coalesce(${followers.firstSubscribedAt}, excluded.first_subscribed_at)`,
        unsubscribedAt: null,
        unionid: sql`coalesce(excluded.unionid, ${followers.unionid})`,
        subscribeScene: sql`coalesce(excluded.subscribe_scene, ${followers.subscribeScene})`,
        qrScene: sql`coalesce(excluded.qr_scene, ${followers.qrScene})`,
        updatedAt: sql`now()`,
      },
    })
    .returning({
      id: followers.id,
      openid: followers.openid,
      // xmax is 0 for a row this statement inserted, the updating transaction's id otherwise
      inserted: sql<boolean>`(xmax = 0)`,
    });
  const created = rows.filter((r) => r.inserted).length;
  const idOf = new Map(rows.map((r) => [r.openid, r.id]));
  const tagRows = fans.flatMap((f) =>
    f.tags.map((t) => ({
      brandId,
      followerId: idOf.get(f.openid)!,
      tag: t.name,
      wechatTagId: t.wechatTagId,
      source: 'wechat' as const,
    })),
  );
  if (tagRows.length > 0) await tx.insert(followerTags).values(tagRows).onConflictDoNothing();
  return { created, updated: rows.length - created };
}
