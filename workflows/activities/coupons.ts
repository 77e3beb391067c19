/** action.coupon: one unused code from the pool per journey step visit, never two. */
import { and, eq, sql } from 'drizzle-orm';
import { expiryDate } from '../../engine/coupon-expiry';
import { codeExpiresAt } from '../../services/coupons/codes';
import type { Db } from '../../db/client';
import { brands, couponCodes, couponPools } from '../../db/schema';
import { stepKey, type IssuedCoupon, type StepRef } from '../journey-types';
import { writeStep } from './bookkeeping';
import { businessFailure } from './failures';

export function couponActivities({ db }: { db: Db }) {
  return {
    async issueCoupon(input: { ref: StepRef; pool: string }): Promise<IssuedCoupon> {
      const { ref } = input;
      const key = stepKey(ref);
      const [pool] = await db
        .select({
          id: couponPools.id,
          expiresAt: couponPools.expiresAt,
          expiresAfterDays: couponPools.expiresAfterDays,
          timezone: brands.timezone,
        })
        .from(couponPools)
        .innerJoin(brands, eq(brands.id, couponPools.brandId))
        .where(and(eq(couponPools.brandId, ref.context.brandId), eq(couponPools.name, input.pool)));
      if (!pool) {
        await writeStep(db, ref, 'failed', { reason: 'unknown_pool' });
        throw businessFailure('E_UNKNOWN_POOL', `no coupon pool named "${input.pool}"`);
      }
      // The code's own expiry, fixed when it was issued (a later change of the pool's expiry
      // does not move it): the instant for conditions, the day for messages.
      const issued = (code: string, expiresAt: Date | null): IssuedCoupon => ({
        code,
        expiresAt: expiresAt?.toISOString() ?? null,
        expiresOn: expiresAt ? expiryDate(expiresAt.getTime(), pool.timezone) : null,
        pool: input.pool,
      });
      // A retry finds the code its first attempt took.
      const [earlier] = await db
        .select({ code: couponCodes.code, expiresAt: couponCodes.expiresAt })
        .from(couponCodes)
        .where(eq(couponCodes.issueKey, key));
      if (earlier) return issued(earlier.code, earlier.expiresAt);

      const [taken] = await db
        .update(couponCodes)
        .set({
          status: 'issued',
          issueKey: key,
          followerId: ref.context.followerId,
          journeyId: ref.context.journeyId,
          issuedAt: sql`now()`,
          expiresAt: codeExpiresAt(pool, Date.now(), pool.timezone),
        })
        .where(
          sql`${couponCodes.id} = (select id from ${couponCodes} where ${couponCodes.poolId} = ${pool.id}
              and ${couponCodes.status} = 'available' order by id limit 1 for update skip locked)`,
        )
        .returning({ code: couponCodes.code, expiresAt: couponCodes.expiresAt });
      if (!taken) {
        await writeStep(db, ref, 'failed', { reason: 'pool_empty' });
        throw businessFailure('E_POOL_EMPTY', `coupon pool "${input.pool}" has no code left`);
      }
      await writeStep(db, ref, 'completed', {
        output: {
          pool: input.pool,
          code: taken.code,
          expiresAt: taken.expiresAt?.toISOString() ?? null,
        },
      });
      return issued(taken.code, taken.expiresAt);
    },
  };
}
