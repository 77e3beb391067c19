import { describe, expect, it } from 'vitest';
import {
  localDate,
  nextTimeOfDay,
  parseDateTimeIn,
  quietHoursEnd,
  wallTime,
  zonedInstant,
} from './time';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

describe('zone arithmetic', () => {
  it('reads wall time in a zone', () => {
    // 2026-11-22T02:30Z is 10:30 in Shanghai, a Sunday
    expect(wallTime(Date.UTC(2026, 10, 22, 2, 30), SH)).toMatchObject({
      hour: 10,
      minute: 30,
      day: 22,
      weekday: 7,
    });
  });

  it('turns a wall time back into an instant, across DST in New York', () => {
    expect(zonedInstant({ year: 2026, month: 11, day: 22, hour: 9, minute: 0 }, SH)).toBe(
      Date.UTC(2026, 10, 22, 1, 0),
    );
    expect(zonedInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, NY)).toBe(
      Date.UTC(2026, 6, 1, 13, 0),
    );
    expect(zonedInstant({ year: 2026, month: 12, day: 1, hour: 9, minute: 0 }, NY)).toBe(
      Date.UTC(2026, 11, 1, 14, 0),
    );
  });

  it('finds the next time of day, on allowed weekdays only', () => {
    const sunday1030 = Date.UTC(2026, 10, 22, 2, 30); // Sun 10:30 Shanghai
    expect(nextTimeOfDay(sunday1030, SH, 9 * 60)).toBe(Date.UTC(2026, 10, 23, 1, 0)); // Mon 09:00
    expect(nextTimeOfDay(sunday1030, SH, 11 * 60)).toBe(Date.UTC(2026, 10, 22, 3, 0)); // today 11:00
    expect(nextTimeOfDay(sunday1030, SH, 9 * 60, [5])).toBe(Date.UTC(2026, 10, 27, 1, 0)); // Fri
    expect(nextTimeOfDay(Date.UTC(2026, 10, 22, 3, 0), SH, 11 * 60)).toBe(
      Date.UTC(2026, 10, 23, 3, 0),
    ); // strictly after
  });

  it('knows quiet hours that wrap midnight', () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 10, 22, h - 8, m); // Shanghai wall time on the 22nd
    expect(quietHoursEnd(at(23), SH, 22 * 60, 8 * 60)).toBe(Date.UTC(2026, 10, 23, 0, 0)); // 08:00 next day
    expect(quietHoursEnd(at(12), SH, 22 * 60, 8 * 60)).toBeNull();
    expect(quietHoursEnd(at(13), SH, 12 * 60, 14 * 60)).toBe(at(14));
  });

  it('gives the local date', () => {
    expect(localDate(Date.UTC(2026, 10, 22, 17, 0), SH)).toBe('2026-11-23');
  });

  it('reads a date-time without an offset in the zone', () => {
    expect(parseDateTimeIn('2026-12-01T10:00:00', SH)).toBe(Date.UTC(2026, 11, 1, 2, 0));
    expect(parseDateTimeIn('2026-12-01T10:00:00Z', SH)).toBe(Date.UTC(2026, 11, 1, 10, 0));
    expect(parseDateTimeIn('2026-12-01T10:00:00+09:00', SH)).toBe(Date.UTC(2026, 11, 1, 1, 0));
  });
});
