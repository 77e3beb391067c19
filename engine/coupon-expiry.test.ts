import { describe, expect, it } from 'vitest';
import {
  endOfLocalDay,
  expiresAt,
  expiryDate,
  MAX_EXPIRY_DAYS,
  parseCouponExpiry,
} from './coupon-expiry';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
// 2026-03-10 23:30 in Shanghai (15:30Z): the local day is the 10th, the UTC day too.
const NOW = Date.UTC(2026, 2, 10, 15, 30);

describe('parseCouponExpiry (the CLI --expires)', () => {
  it.each([
    { input: '2026-12-31', expiry: { kind: 'date', date: '2026-12-31' } },
    { input: ' 2026-03-10 ', expiry: { kind: 'date', date: '2026-03-10' } }, // today is fine
    { input: '2028-02-29', expiry: { kind: 'date', date: '2028-02-29' } }, // leap day
    { input: '30d', expiry: { kind: 'days', days: 30 } },
    { input: '1d', expiry: { kind: 'days', days: 1 } },
    { input: `${MAX_EXPIRY_DAYS}d`, expiry: { kind: 'days', days: MAX_EXPIRY_DAYS } },
  ])('accepts $input', ({ input, expiry }) => {
    expect(parseCouponExpiry(input, NOW, SH)).toEqual({ ok: true, expiry });
  });

  it.each([
    { input: '', problem: 'format' },
    { input: 'tomorrow', problem: 'format' },
    { input: '30', problem: 'format' },
    { input: '30 days', problem: 'format' },
    { input: '-3d', problem: 'format' },
    { input: '2026-02-30', problem: 'format' }, // no such day
    { input: '2026-13-01', problem: 'format' },
    { input: '26-12-31', problem: 'format' },
    { input: '2026/12/31', problem: 'format' },
    { input: '2026-03-09', problem: 'past' }, // yesterday in Shanghai
    { input: '2020-01-01', problem: 'past' },
    { input: '0d', problem: 'days' },
    { input: `${MAX_EXPIRY_DAYS + 1}d`, problem: 'days' },
  ])('refuses "$input" ($problem)', ({ input, problem }) => {
    expect(parseCouponExpiry(input, NOW, SH)).toEqual({ ok: false, problem });
  });

  it('judges "past" by the day in the brand\'s time zone', () => {
    // 15:30Z on the 10th is still the 10th in New York: the 10th is today there too…
    expect(parseCouponExpiry('2026-03-10', NOW, NY).ok).toBe(true);
    // …but at 01:00Z on the 11th, Shanghai is on the 11th while New York is on the 10th.
    const later = Date.UTC(2026, 2, 11, 1, 0);
    expect(parseCouponExpiry('2026-03-10', later, SH)).toEqual({ ok: false, problem: 'past' });
    expect(parseCouponExpiry('2026-03-10', later, NY).ok).toBe(true);
  });
});

describe('when an issued code expires', () => {
  it.each([
    {
      what: 'a fixed date: the end of that day in the zone',
      expiry: { kind: 'date', date: '2026-12-31' } as const,
      issuedAt: NOW,
      zone: SH,
      at: Date.UTC(2026, 11, 31, 15, 59, 59, 999),
      shown: '2026-12-31',
    },
    {
      what: '7 days after issue: through the 7th day after the day of issue',
      expiry: { kind: 'days', days: 7 } as const,
      issuedAt: NOW, // the 10th, 23:30 local
      zone: SH,
      at: Date.UTC(2026, 2, 17, 15, 59, 59, 999),
      shown: '2026-03-17',
    },
    {
      what: 'days count from the local day of issue, not the UTC one',
      expiry: { kind: 'days', days: 1 } as const,
      issuedAt: Date.UTC(2026, 2, 10, 17, 0), // the 11th, 01:00 in Shanghai
      zone: SH,
      at: Date.UTC(2026, 2, 12, 15, 59, 59, 999),
      shown: '2026-03-12',
    },
    {
      what: 'across a DST change (New York, 8 March 2026): still the end of the local day',
      expiry: { kind: 'days', days: 3 } as const,
      issuedAt: Date.UTC(2026, 2, 6, 17, 0), // the 6th, 12:00 EST
      zone: NY,
      at: Date.UTC(2026, 2, 10, 3, 59, 59, 999), // the 9th, 23:59:59.999 EDT
      shown: '2026-03-09',
    },
  ])('$what', ({ expiry, issuedAt, zone, at, shown }) => {
    const ms = expiresAt(expiry, issuedAt, zone);
    expect(new Date(ms).toISOString()).toBe(new Date(at).toISOString());
    expect(expiryDate(ms, zone)).toBe(shown);
  });

  it('the end of a day is one millisecond before the next local midnight', () => {
    expect(endOfLocalDay('2026-03-10', SH) + 1).toBe(Date.UTC(2026, 2, 10, 16, 0));
  });
});
