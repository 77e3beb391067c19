import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import {
  endOfLocalDay,
  expiresAt,
  expiryDate,
  type CouponExpiry,
} from '../../engine/coupon-expiry';
import type { Db } from '../../db/client';
import { couponCodes, couponPools } from '../../db/schema';

// No 0/O, 1/I/L: codes are read aloud and typed at tills.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const COUPON_CODE = /^[A-Za-z0-9_-]{3,64}$/;

export function generateCode(length = 10): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** A pool's expiry as stored: a fixed date becomes the end of that day in the brand's zone. */
export function expiryColumns(
  expiry: CouponExpiry | null,
  timeZone: string,
): { expiresAt: Date | null; expiresAfterDays: number | null } {
  return {
    expiresAt: expiry?.kind === 'date' ? new Date(endOfLocalDay(expiry.date, timeZone)) : null,
    expiresAfterDays: expiry?.kind === 'days' ? expiry.days : null,
  };
}

/** The stored expiry read back (for pages and the CLI); null: the codes never expire. */
export function poolExpiry(
  pool: { expiresAt: Date | null; expiresAfterDays: number | null },
  timeZone: string,
): CouponExpiry | null {
  if (pool.expiresAt) return { kind: 'date', date: expiryDate(pool.expiresAt.getTime(), timeZone) };
  if (pool.expiresAfterDays) return { kind: 'days', days: pool.expiresAfterDays };
  return null;
}

/** When a code of this pool issued at `issuedAt` expires; null: never. */
export function codeExpiresAt(
  pool: { expiresAt: Date | null; expiresAfterDays: number | null },
  issuedAt: number,
  timeZone: string,
): Date | null {
  if (pool.expiresAt) return pool.expiresAt;
  if (!pool.expiresAfterDays) return null;
  return new Date(expiresAt({ kind: 'days', days: pool.expiresAfterDays }, issuedAt, timeZone));
}

export async function createPool(
  db: Db,
  brandId: string,
  name: string,
  expiry: { expiry: CouponExpiry | null; timeZone: string } = { expiry: null, timeZone: 'UTC' },
): Promise<string | null> {
  const [row] = await db
    .insert(couponPools)
    .values({ brandId, name, ...expiryColumns(expiry.expiry, expiry.timeZone) })
    .onConflictDoNothing({ target: [couponPools.brandId, couponPools.name] })
    .returning({ id: couponPools.id });
  return row?.id ?? null;
}

/** Inserts codes in batches; returns how many were new (duplicates are skipped). */
export async function addCodes(
  db: Db,
  poolId: string,
  codes: Iterable<string>,
  onProgress?: (inserted: number) => void,
): Promise<number> {
  let inserted = 0;
  let batch: string[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = await db
      .insert(couponCodes)
      .values(batch.map((code) => ({ poolId, code })))
      .onConflictDoNothing({ target: [couponCodes.poolId, couponCodes.code] })
      .returning({ id: couponCodes.id });
    inserted += rows.length;
    batch = [];
    onProgress?.(inserted);
  };
  for (const code of codes) {
    batch.push(code);
    if (batch.length === 1000) await flush();
  }
  await flush();
  return inserted;
}

export async function poolCounts(
  db: Db,
  poolId: string,
): Promise<{ available: number; total: number }> {
  const [row] = await db
    .select({
      total: sql<number>`count(*)::int`,
      available: sql<number>`(count(*) filter (where ${couponCodes.status} = 'available'))::int`,
    })
    .from(couponCodes)
    .where(sql`${couponCodes.poolId} = ${poolId}`);
  return { available: row?.available ?? 0, total: row?.total ?? 0 };
}
