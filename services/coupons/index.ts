/**
 * Coupon pools of a brand: counts, creating a pool, importing codes from a CSV and
 * generating random ones. Storage is ./codes.ts; this module adds the brand check (a pool
 * id from a form is only used when it belongs to the brand) and the marketer-facing limits.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import {
  checkExpiryDate,
  checkExpiryDays,
  MAX_EXPIRY_DAYS,
  type CouponExpiry,
} from '../../engine/coupon-expiry';
import { localDate } from '../../engine/time';
import type { Db } from '../../db/client';
import { recordAudit } from '../audit';
import type { Actor } from '../deps';
import {
  COUPON_CODE,
  addCodes,
  createPool as insertPool,
  expiryColumns,
  generateCode,
  poolExpiry,
} from './codes';
import { brands, couponCodes, couponPools } from '../../db/schema';
import {
  CODE_LENGTH,
  MAX_GENERATE,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_CODES,
  POOL_NAME_MAX,
} from '../resources/limits';
import { isUuid, problem, refuse, type Refusal, type Result } from '../resources/problems';

export interface PoolRow {
  id: string;
  name: string;
  description: string | null;
  /** When its codes expire (a last day in the brand's zone, or days after issue); null: never. */
  expiry: CouponExpiry | null;
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
      expiresAfterDays: couponPools.expiresAfterDays,
      timezone: brands.timezone,
      createdAt: couponPools.createdAt,
      total: sql<number>`count(${couponCodes.id})`.mapWith(Number),
      available: n(`'available'`),
      issued: n(`'issued', 'redeemed'`),
      redeemed: n(`'redeemed'`),
    })
    .from(couponPools)
    .innerJoin(brands, eq(brands.id, couponPools.brandId))
    .leftJoin(couponCodes, eq(couponCodes.poolId, couponPools.id))
    .where(eq(couponPools.brandId, brandId))
    .groupBy(couponPools.id, brands.timezone)
    .orderBy(asc(couponPools.name));
  return rows.map(({ expiresAt, expiresAfterDays, timezone, ...r }) => ({
    ...r,
    expiry: poolExpiry({ expiresAt, expiresAfterDays }, timezone),
    createdAt: r.createdAt.toISOString(),
  }));
}

/** The expiry fields of a pool form: `expiry` none | date | days, `expiresOn`, `expiresAfterDays`. */
export interface ExpiryInput {
  mode: string;
  date: string;
  days: string;
}

/** The form's expiry, checked (a last day from today on, or 1 to MAX_EXPIRY_DAYS days). */
export function checkExpiryInput(
  input: ExpiryInput | undefined,
  timeZone: string,
  now = Date.now(),
): { ok: true; expiry: CouponExpiry | null } | Refusal {
  const mode = input?.mode || 'none';
  if (mode === 'none') return { ok: true, expiry: null };
  if (mode === 'date') {
    const date = input?.date.trim() ?? '';
    const checked = checkExpiryDate(date, now, timeZone);
    if (checked.ok) return checked;
    return checked.problem === 'past'
      ? refuse(
          problem(
            'pool_expiry_date_past',
            { date, today: localDate(now, timeZone), timezone: timeZone },
            'expiresOn',
          ),
        )
      : refuse(problem('pool_expiry_date_invalid', undefined, 'expiresOn'));
  }
  if (mode === 'days') {
    const raw = input?.days.trim() ?? '';
    const checked = checkExpiryDays(/^\d+$/.test(raw) ? Number(raw) : Number.NaN);
    if (checked.ok) return checked;
    return refuse(
      problem('pool_expiry_days_invalid', { max: MAX_EXPIRY_DAYS }, 'expiresAfterDays'),
    );
  }
  return refuse(problem('pool_expiry_mode', undefined, 'expiry'));
}

/** Changes when a pool's codes expire; codes issued before keep the expiry they were given. */
export async function setPoolExpiry(
  db: Db,
  brandId: string,
  poolId: string,
  input: ExpiryInput,
  timeZone: string,
): Promise<Result<{ pool: string; expiry: CouponExpiry | null }>> {
  const pool = await ownPool(db, brandId, poolId);
  if (!pool) return refuse(problem('not_found'));
  const checked = checkExpiryInput(input, timeZone);
  if (!checked.ok) return checked;
  await db
    .update(couponPools)
    .set(expiryColumns(checked.expiry, timeZone))
    .where(and(eq(couponPools.id, pool.id), eq(couponPools.brandId, brandId)));
  return { ok: true, pool: pool.name, expiry: checked.expiry };
}

export async function createPool(
  db: Db,
  brandId: string,
  input: { name: string; description?: string; expiry?: ExpiryInput; timeZone?: string },
  actor: Actor,
): Promise<Result<{ pool: { id: string; name: string } }>> {
  const name = input.name.trim();
  const timeZone = input.timeZone ?? (await brandTimezone(db, brandId));
  const problems = [];
  if (name === '') problems.push(problem('name_required', undefined, 'name'));
  else if ([...name].length > POOL_NAME_MAX)
    problems.push(problem('name_too_long_chars', { max: POOL_NAME_MAX }, 'name'));
  const expiry = checkExpiryInput(input.expiry, timeZone);
  if (!expiry.ok) problems.push(...expiry.problems);
  if (problems.length > 0 || !expiry.ok) return refuse(...problems);
  const description = input.description?.trim();
  const id = await db.transaction(async (tx) => {
    const created = await insertPool(tx, brandId, name, { expiry: expiry.expiry, timeZone });
    if (!created) return null;
    if (description) {
      await tx
        .update(couponPools)
        .set({ description })
        .where(and(eq(couponPools.id, created), eq(couponPools.brandId, brandId)));
    }
    await recordAudit(tx, {
      actor,
      action: 'coupon_pool.created',
      brandId,
      target: { type: 'coupon_pool', id: created },
      details: { name },
    });
    return created;
  });
  if (!id) return refuse(problem('name_taken', { name }, 'name'));
  return { ok: true, pool: { id, name } };
}

/** The zone a pool's last day is read in: the brand's. */
async function brandTimezone(db: Db, brandId: string): Promise<string> {
  const [row] = await db
    .select({ timezone: brands.timezone })
    .from(brands)
    .where(eq(brands.id, brandId));
  return row?.timezone ?? 'Asia/Shanghai';
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

/** The coupon pools page's use cases over one database (the brand: requireMember's). */
export function createCoupons(deps: { db: Db }) {
  return {
    list: (brandId: string) => listPools(deps.db, brandId),
    create: (actor: Actor, brandId: string, input: Parameters<typeof createPool>[2]) =>
      createPool(deps.db, brandId, input, actor),
    setExpiry: (brandId: string, poolId: string, input: ExpiryInput, timeZone: string) =>
      setPoolExpiry(deps.db, brandId, poolId, input, timeZone),
    importCodes: (brandId: string, poolId: string, file: Parameters<typeof importCodes>[3]) =>
      importCodes(deps.db, brandId, poolId, file),
    generateCodes: (
      brandId: string,
      poolId: string,
      input: { count: number; length?: number },
      onProgress?: (added: number) => void,
    ) => generateCodes(deps.db, brandId, poolId, input, onProgress),
  };
}

export type CouponsService = ReturnType<typeof createCoupons>;
