import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { couponCodes, couponPools } from './schema';

// No 0/O, 1/I/L: codes are read aloud and typed at tills.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const COUPON_CODE = /^[A-Za-z0-9_-]{3,64}$/;

export function generateCode(length = 10): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export async function createPool(db: Db, brandId: string, name: string): Promise<string | null> {
  const [row] = await db
    .insert(couponPools)
    .values({ brandId, name })
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
