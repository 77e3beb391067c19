/**
 * What the simulator (engine/simulate) needs to know of a brand: its time zone, its coupon
 * pools' expiry (so a sample code shows the date a real one would), and its brand-wide
 * frequency cap. Read by `fanfare flow simulate --brand` and the editor's Simulate panel.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { brands, couponPools } from '../../db/schema';
import { expiryDate } from '../../engine/coupon-expiry';
import type { SimBrand } from '../../engine/simulate';

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
