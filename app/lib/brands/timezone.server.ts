import { eq } from 'drizzle-orm';
import { brands } from '../../../db/schema';
import { db } from '~/lib/db.server';

/** The brand's time zone, for showing its dates (UTC when the brand is gone). */
export async function brandTimezone(brandId: string): Promise<string> {
  const [row] = await db
    .select({ timezone: brands.timezone })
    .from(brands)
    .where(eq(brands.id, brandId));
  return row?.timezone ?? 'UTC';
}
