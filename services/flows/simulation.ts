/**
 * The simulator's view of a brand (engine/simulate): its time zone, its coupon pools' expiry
 * (so a sample code shows the date a real one would) and its brand-wide frequency cap; and
 * the dry run of a flow document over a sample of the brand's followers as stored. Read by
 * `fanfare flow simulate --brand`, `fanfare flow dry-run` and the editor's Simulate panel.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { brands, couponPools, followerTags, followers } from '../../db/schema';
import { compile, FlowInvalidError, type Issue } from '../../engine/index';
import { expiryDate } from '../../engine/coupon-expiry';
import {
  dryRun,
  type DryRunFollower,
  type DryRunResult,
  type SimBrand,
} from '../../engine/simulate';
import { loadBrandContext } from './publish';

/** The most followers one dry run looks at (a sample of a larger base). */
export const DRY_RUN_MAX = 10_000;

export async function simulationBrand(db: Db, brandId: string): Promise<SimBrand> {
  const [brand] = await db
    .select({ timezone: brands.timezone, cap: brands.frequencyCap })
    .from(brands)
    .where(eq(brands.id, brandId));
  const pools = await db
    .select({
      name: couponPools.name,
      expiresAt: couponPools.expiresAt,
      days: couponPools.expiresAfterDays,
    })
    .from(couponPools)
    .where(eq(couponPools.brandId, brandId));
  const timezone = brand?.timezone ?? 'Asia/Shanghai';
  return {
    timezone,
    frequencyCap: brand?.cap ?? null,
    pools: Object.fromEntries(
      pools.map((p) => [
        p.name,
        p.expiresAt
          ? { kind: 'date' as const, date: expiryDate(p.expiresAt.getTime(), timezone) }
          : p.days
            ? { kind: 'days' as const, days: p.days }
            : null,
      ]),
    ),
  };
}

/** Up to `n` of the brand's followers, picked at random, as the simulator takes them. */
export async function sampleFollowers(
  db: Db,
  brandId: string,
  n: number,
): Promise<DryRunFollower[]> {
  const rows = await db
    .select()
    .from(followers)
    .where(eq(followers.brandId, brandId))
    .orderBy(sql`random()`)
    .limit(Math.max(1, Math.min(n, DRY_RUN_MAX)));
  if (rows.length === 0) return [];
  const tagRows = await db
    .select({ followerId: followerTags.followerId, tag: followerTags.tag })
    .from(followerTags)
    .where(
      and(
        eq(followerTags.brandId, brandId),
        inArray(
          followerTags.followerId,
          rows.map((r) => r.id),
        ),
      ),
    );
  const tagsOf = new Map<string, string[]>();
  for (const t of tagRows) tagsOf.set(t.followerId, [...(tagsOf.get(t.followerId) ?? []), t.tag]);
  return rows.map((r) => ({
    follower: { ...r, tags: tagsOf.get(r.id) ?? [] },
    quota:
      r.quotaKind && r.quotaExpiresAt
        ? { kind: r.quotaKind, left: r.quotaLeft, expiresAt: r.quotaExpiresAt.getTime() }
        : null,
  }));
}

export type DryRunAnswer =
  | { ok: true; sampled: number; total: number; result: DryRunResult }
  | { ok: false; error: 'invalid'; issues: Issue[] };

/**
 * A flow document (a draft, saved or not) dry-run over `sample` of the brand's followers:
 * checked against the brand's resources first, as publishing would.
 */
export async function dryRunDocument(
  db: Db,
  brandId: string,
  doc: unknown,
  options: { sample: number; now?: number },
): Promise<DryRunAnswer> {
  const [context, brand] = await Promise.all([
    loadBrandContext(db, brandId),
    simulationBrand(db, brandId),
  ]);
  let plan;
  try {
    plan = compile(doc, {
      brand: context,
      ...(brand.timezone ? { timezone: brand.timezone } : {}),
    });
  } catch (error) {
    if (error instanceof FlowInvalidError)
      return { ok: false, error: 'invalid', issues: error.issues };
    throw error;
  }
  const [count] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(followers)
    .where(eq(followers.brandId, brandId));
  const sample = await sampleFollowers(db, brandId, options.sample);
  const result = await dryRun(plan, sample, { now: options.now ?? Date.now(), brand });
  return { ok: true, sampled: sample.length, total: count?.n ?? 0, result };
}
