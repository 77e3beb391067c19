/**
 * The meaning of every operator, in one table shared by the json-rules-engine adapter and
 * checked against the SQL compiler by a property test.
 *
 * Missing values are predictable: a path that resolves to nothing (undefined) is the same as
 * null. Positive operators are false on it — except `equal null` / `in [null]`, which match
 * it — and each negative operator (notEqual, notIn, doesNotContain, lacksTag) is exactly the
 * complement of its positive twin, so "lacks tag vip" is true for a follower without tags.
 * Comparisons never coerce: 5 and "5" are different, and order operators need numbers.
 */
import type { GeoCircle, OperatorName } from '../schema/rules';
import { DAY_MS } from '../schema/duration';
import { patternMatches } from '../patterns';

export type OperatorFn = (factValue: unknown, value: unknown, now: number) => boolean;

const norm = (v: unknown) => (v === undefined ? null : v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const cmp =
  (test: (a: number, b: number) => boolean): OperatorFn =>
  (f, v) =>
    isNum(f) && isNum(v) && test(f, v);

/** Epoch ms of a timestamp fact (ISO string or epoch ms), or null. */
export function timestampMs(v: unknown): number | null {
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(ms) ? ms : null;
}

const equal: OperatorFn = (f, v) => norm(f) === v;
const isIn: OperatorFn = (f, v) => Array.isArray(v) && v.includes(norm(f));
const contains: OperatorFn = (f, v) => Array.isArray(f) && f.includes(v);

/** Great-circle distance in metres (haversine). */
export function distanceM(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function point(v: unknown): { lat: number; lng: number } | null {
  if (typeof v !== 'object' || v === null) return null;
  const p = v as Record<string, unknown>;
  const lat = p.lat ?? p.latitude;
  const lng = p.lng ?? p.longitude;
  return isNum(lat) && isNum(lng) ? { lat, lng } : null;
}

export const operatorSemantics: Record<OperatorName, OperatorFn> = {
  equal,
  notEqual: (f, v, now) => !equal(f, v, now),
  lessThan: cmp((a, b) => a < b),
  lessThanInclusive: cmp((a, b) => a <= b),
  greaterThan: cmp((a, b) => a > b),
  greaterThanInclusive: cmp((a, b) => a >= b),
  in: isIn,
  notIn: (f, v, now) => !isIn(f, v, now),
  contains,
  doesNotContain: (f, v, now) => !contains(f, v, now),
  hasTag: contains,
  lacksTag: (f, v, now) => !contains(f, v, now),
  daysAgoAtLeast: (f, v, now) => {
    const t = timestampMs(f);
    return t !== null && isNum(v) && now - t >= v * DAY_MS;
  },
  daysAgoAtMost: (f, v, now) => {
    const t = timestampMs(f);
    return t !== null && isNum(v) && now - t <= v * DAY_MS;
  },
  withinRadius: (f, v) => {
    const p = point(f);
    const c = v as GeoCircle | null;
    return (
      p !== null &&
      c !== null &&
      typeof c === 'object' &&
      isNum(c.radiusM) &&
      distanceM(p, c) <= c.radiusM
    );
  },
  matches: (f, v) => {
    if (typeof f !== 'string' || typeof v !== 'string') return false;
    return patternMatches(v, f);
  },
};
