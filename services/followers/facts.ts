import { sql } from 'drizzle-orm';
import type { FollowerRecord } from '../../engine/rules/facts';
import type { Tx } from '../events/outbox';
import { followerTags, followers } from '../../db/schema';

/** A follower with their tags, as the engine's facts builder takes it. */
export async function loadFollowerRecord(
  tx: Tx,
  followerId: string,
): Promise<FollowerRecord | null> {
  const [row] = await tx
    .select()
    .from(followers)
    .where(sql`${followers.id} = ${followerId}`);
  if (!row) return null;
  const tagRows = await tx
    .select({ tag: followerTags.tag })
    .from(followerTags)
    .where(sql`${followerTags.followerId} = ${followerId}`);
  return { ...row, tags: tagRows.map((t) => t.tag) };
}
