/**
 * The brand's latest import of its existing WeChat followers (workflows/followers-import.ts),
 * as `follower_imports` keeps it: for the CLI's progress lines and the brand's overview.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { followerImports } from '../../db/schema';

export type FollowerImportRow = typeof followerImports.$inferSelect;

/** The brand's latest import (running, done or failed), or null when it never imported. */
export async function readFollowerImport(
  db: Db,
  brandId: string,
): Promise<FollowerImportRow | null> {
  const [row] = await db.select().from(followerImports).where(eq(followerImports.brandId, brandId));
  return row ?? null;
}
