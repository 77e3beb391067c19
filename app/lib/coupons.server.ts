/**
 * Coupon pools of a brand: counts, creating a pool, importing codes from a CSV and
 * generating random ones. Storage is db/coupons.ts; this module adds the brand check (a pool
 * id from a form is only used when it belongs to the brand) and the marketer-facing limits.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { COUPON_CODE, addCodes, createPool as insertPool, generateCode } from '../../db/coupons';
import { couponCodes, couponPools } from '../../db/schema';
import {
  CODE_LENGTH,
  MAX_GENERATE,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_CODES,
  POOL_NAME_MAX,
} from './resources/limits';
import { isUuid, problem, refuse, type Result } from './resources/problems';

export interface PoolRow {
  id: string;
  name: string;
  description: string | null;
  expiresAt: string | null;
  createdAt: string;
  total: number;
  available: number;
  /** Handed to followers, redeemed ones included. */
  issued: number;
  redeemed: number;
}

export async function listPools(db: Db, brandId: string): Promise<PoolRow[]> {
  const n = (filter: string) =>
    sql<number>`(count(${couponCodes.id}) filter (where ${couponCodes.status} in (${sql.raw(filter)})))`.mapWith(
      Number,
    );
  const rows = await db
    .select({
      id: couponPools.id,
      name: couponPools.name,
      description: couponPools.description,
      expiresAt: couponPools.expiresAt,
      createdAt: couponPools.createdAt,
      total: sql<number>`count(${couponCodes.id})`.mapWith(Number),
      available: n(`'available'`),
      issued: n(`'issued', 'redeemed'`),
      redeemed: n(`'redeemed'`),
    })
    .from(couponPools)
    .leftJoin(couponCodes, eq(couponCodes.poolId, couponPools.id))
    .where(eq(couponPools.brandId, brandId))
    .groupBy(couponPools.id)
    .orderBy(asc(couponPools.name));
  return rows.map((r) => ({
    ...r,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function createPool(
  db: Db,
  brandId: string,
  input: { name: string; description?: string },
): Promise<Result<{ pool: { id: string; name: string } }>> {
  const name = input.name.trim();
  if (name === '') return refuse(problem('name_required', undefined, 'name'));
  if ([...name].length > POOL_NAME_MAX)
    return refuse(problem('name_too_long_chars', { max: POOL_NAME_MAX }, 'name'));
  const id = await insertPool(db, brandId, name);
  if (!id) return refuse(problem('name_taken', { name }, 'name'));
  const description = input.description?.trim();
  if (description) {
    await db
      .update(couponPools)
      .set({ description })
      .where(and(eq(couponPools.id, id), eq(couponPools.brandId, brandId)));
  }
  return { ok: true, pool: { id, name } };
}

/** The pool, when `poolId` (from a form) is one of this brand's. */
async function ownPool(
  db: Db,
  brandId: string,
  poolId: string,
): Promise<{ id: string; name: string } | null> {
  if (!isUuid(poolId)) return null;
  const [row] = await db
    .select({ id: couponPools.id, name: couponPools.name })
    .from(couponPools)
    .where(and(eq(couponPools.id, poolId), eq(couponPools.brandId, brandId)));
  return row ?? null;
}

export interface ParsedCsv {
  codes: string[];
  /** Lines (1-based) whose code is not 3–64 letters, digits, _ or -. */
  invalid: { line: number; value: string }[];
}

const HEADER = /^(codes?|coupon[ _-]?codes?|券码|优惠码|优惠券码|兑换码|券号)$/i;

/** Splits one CSV line into fields (RFC 4180 quoting; a quoted field stays on one line). */
function fields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

/**
 * Codes from a CSV: the column headed "code" (or 券码, 兑换码…) when the first line is a
 * header, else the first column. Blank lines are skipped; invalid codes are reported by line.
 */
export function parseCodesCsv(text: string): ParsedCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let column = 0;
  let start = 0;
  const first = fields(lines[0] ?? '');
  const headed = first.findIndex((f) => HEADER.test(f));
  if (headed >= 0) {
    column = headed;
    start = 1;
  }
  const codes: string[] = [];
  const invalid: ParsedCsv['invalid'] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const value = fields(line)[column] ?? '';
    if (value === '') continue;
    if (COUPON_CODE.test(value)) codes.push(value);
    else invalid.push({ line: i + 1, value: value.slice(0, 80) });
  }
  return { codes, invalid };
}

export interface ImportOutcome {
  pool: string;
  added: number;
  /** Already in the pool, or repeated within the file. */
  duplicates: number;
  invalid: ParsedCsv['invalid'];
}

/**
 * Adds the valid codes of a CSV to one of the brand's pools. Invalid lines are skipped and
 * listed (importing the corrected file again adds only what is missing: duplicates never
 * enter twice).
 */
export async function importCodes(
  db: Db,
  brandId: string,
  poolId: string,
  file: { text: string; bytes: number } | null,
): Promise<Result<ImportOutcome>> {
  const pool = await ownPool(db, brandId, poolId);
  if (!pool) return refuse(problem('not_found'));
  if (!file || file.bytes === 0) return refuse(problem('pool_no_file', undefined, 'file'));
  if (file.bytes > MAX_IMPORT_BYTES) {
    return refuse(
      problem('pool_file_too_large', { maxMb: MAX_IMPORT_BYTES / 1024 / 1024 }, 'file'),
    );
  }
  const parsed = parseCodesCsv(file.text);
  if (parsed.codes.length === 0) {
    return refuse(problem('pool_no_codes', { invalid: parsed.invalid.length }, 'file'));
  }
  if (parsed.codes.length > MAX_IMPORT_CODES) {
    return refuse(
      problem('pool_too_many_codes', { max: MAX_IMPORT_CODES, found: parsed.codes.length }, 'file'),
    );
  }
  const added = await db.transaction((tx) => addCodes(tx, pool.id, parsed.codes));
  return {
    ok: true,
    pool: pool.name,
    added,
    duplicates: parsed.codes.length - added,
    invalid: parsed.invalid,
  };
}

export interface GenerateOutcome {
  pool: string;
  added: number;
  ms: number;
}

/**
 * Adds `count` new random codes to one of the brand's pools, all or nothing. Random codes
 * may collide with existing ones: collisions are drawn again until the pool has `count` more.
 */
export async function generateCodes(
  db: Db,
  brandId: string,
  poolId: string,
  input: { count: number; length?: number },
  onProgress?: (added: number) => void,
): Promise<Result<GenerateOutcome>> {
  const pool = await ownPool(db, brandId, poolId);
  if (!pool) return refuse(problem('not_found'));
  const { count } = input;
  const length = input.length ?? CODE_LENGTH.default;
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATE) {
    return refuse(problem('pool_bad_count', { max: MAX_GENERATE }, 'count'));
  }
  if (!Number.isInteger(length) || length < CODE_LENGTH.min || length > CODE_LENGTH.max) {
    return refuse(
      problem('pool_bad_length', { min: CODE_LENGTH.min, max: CODE_LENGTH.max }, 'length'),
    );
  }
  const started = Date.now();
  const added = await db.transaction(async (tx) => {
    let total = 0;
    for (let round = 0; total < count && round < 20; round++) {
      const batch = Array.from({ length: count - total }, () => generateCode(length));
      const before = total;
      total += await addCodes(tx, pool.id, batch, (n) => onProgress?.(before + n));
    }
    return total;
  });
  return { ok: true, pool: pool.name, added, ms: Date.now() - started };
}
