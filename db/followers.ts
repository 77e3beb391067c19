/**
 * Follower records: created on first sight (a callback or an API event naming the openid),
 * updated from WeChat events, purchases and profile updates.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from './events';
import { followers } from './schema';

/** Returns the follower's id, creating an (unsubscribed) record when the openid is new. */
export async function ensureFollower(tx: Tx, brandId: string, openid: string): Promise<string> {
  const [row] = await tx
    .insert(followers)
    .values({ brandId, openid })
    .onConflictDoUpdate({
      target: [followers.brandId, followers.openid],
      // a no-op update so RETURNING yields the existing row's id
      set: { openid: sql`excluded.openid` },
    })
    .returning({ id: followers.id });
  return row!.id;
}

export interface Purchase {
  amount: number;
  at: Date;
}

/** Applied once per new purchase event (the caller skips duplicates). */
export async function applyPurchase(tx: Tx, followerId: string, purchase: Purchase): Promise<void> {
  await tx
    .update(followers)
    .set({
      totalSpent: sql`${followers.totalSpent} + ${purchase.amount.toFixed(2)}::numeric`,
      orderCount: sql`${followers.orderCount} + 1`,
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
