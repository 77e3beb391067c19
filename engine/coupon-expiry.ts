/**
 * When a coupon pool's codes expire: on a fixed date, or a number of days after each code is
 * issued — always at the end of a day in the brand's time zone, so the date a message shows
 * (`{{coupon.expiresAt}}`, YYYY-MM-DD) is the last day the code is good. One rule for the
 * CLI (`--expires 2025-12-31 | 30d`), the coupons page and the issuing activity.
 */
import { localDate, wallTime, zonedInstant } from './time';

export type CouponExpiry = { kind: 'date'; date: string } | { kind: 'days'; days: number };

/** Ten years: beyond that a "number of days" is a typo. */
export const MAX_EXPIRY_DAYS = 3650;

export type ExpiryProblem =
  /** Neither a YYYY-MM-DD calendar date nor `<n>d`. */
  | 'format'
  /** A date before today (in the brand's time zone). */
  | 'past'
  /** `<n>d` with n = 0 or more than MAX_EXPIRY_DAYS. */
  | 'days';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_RE = /^(\d{1,6})d$/;

/** Is `date` a real calendar date written YYYY-MM-DD (no 2025-02-30)? */
export function isCalendarDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** A fixed last day: valid when it is a calendar date and not before today in the zone. */
export function checkExpiryDate(
  date: string,
  now: number,
  timeZone: string,
): { ok: true; expiry: CouponExpiry } | { ok: false; problem: ExpiryProblem } {
  const trimmed = date.trim();
  if (!isCalendarDate(trimmed)) return { ok: false, problem: 'format' };
  // YYYY-MM-DD strings compare as dates.
  if (trimmed < localDate(now, timeZone)) return { ok: false, problem: 'past' };
  return { ok: true, expiry: { kind: 'date', date: trimmed } };
}

/** A number of days after issue: a whole number from 1 to MAX_EXPIRY_DAYS. */
export function checkExpiryDays(
  days: number,
): { ok: true; expiry: CouponExpiry } | { ok: false; problem: ExpiryProblem } {
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS)
    return { ok: false, problem: 'days' };
  return { ok: true, expiry: { kind: 'days', days } };
}

/** `2025-12-31` (the last day) or `30d` (days after issue), as the CLI takes it. */
export function parseCouponExpiry(
  input: string,
  now: number,
  timeZone: string,
): { ok: true; expiry: CouponExpiry } | { ok: false; problem: ExpiryProblem } {
  const text = input.trim();
  const days = DAYS_RE.exec(text);
  if (days) return checkExpiryDays(Number(days[1]));
  return checkExpiryDate(text, now, timeZone);
}

/** The last instant of `date` (YYYY-MM-DD) in the zone: the moment before the next midnight. */
export function endOfLocalDay(date: string, timeZone: string): number {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a date: ${date}`);
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return (
    zonedInstant(
      {
        year: next.getUTCFullYear(),
        month: next.getUTCMonth() + 1,
        day: next.getUTCDate(),
        hour: 0,
        minute: 0,
      },
      timeZone,
    ) - 1
  );
}

/**
 * When a code issued at `issuedAt` expires: the pool's date, or the end of the day `days`
 * after the day of issue (issued on the 1st with 7 days: good through the 8th).
 */
export function expiresAt(expiry: CouponExpiry, issuedAt: number, timeZone: string): number {
  if (expiry.kind === 'date') return endOfLocalDay(expiry.date, timeZone);
  const today = wallTime(issuedAt, timeZone);
  const last = new Date(Date.UTC(today.year, today.month - 1, today.day + expiry.days));
  return endOfLocalDay(last.toISOString().slice(0, 10), timeZone);
}

/** The expiry as a message shows it: the last day, YYYY-MM-DD in the zone. */
export function expiryDate(expiresAtMs: number, timeZone: string): string {
  return localDate(expiresAtMs, timeZone);
}
