/**
 * Wall-clock arithmetic in a flow's IANA time zone, with `now` always passed in: the journey
 * workflow (deterministic), the date sweeps and the editor share it. Intl only, no I/O.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Time zones offered first wherever one is chosen (any IANA zone is accepted). */
export const COMMON_TIMEZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Europe/London',
  'America/New_York',
  'UTC',
] as const;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday */
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function wallTime(ms: number, timeZone: string): WallTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
  };
}

/** The instant of a wall-clock time in the zone (the earlier one in a DST overlap). */
export function zonedInstant(
  t: Pick<WallTime, 'year' | 'month' | 'day' | 'hour' | 'minute'>,
  timeZone: string,
): number {
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const w = wallTime(guess, timeZone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - guess;
    const next = asUtc - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** `YYYY-MM-DD` of the instant in the zone. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallTime(ms, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The first instant strictly after `now` at `atMinutes` past local midnight, on one of `weekdays`. */
export function nextTimeOfDay(
  now: number,
  timeZone: string,
  atMinutes: number,
  weekdays?: readonly number[],
): number {
  const today = wallTime(now, timeZone);
  for (let dayOffset = 0; dayOffset <= 8; dayOffset++) {
    const d = new Date(Date.UTC(today.year, today.month - 1, today.day + dayOffset));
    const weekday = ((d.getUTCDay() + 6) % 7) + 1;
    if (weekdays && !weekdays.includes(weekday)) continue;
    const at = zonedInstant(
      {
        year: d.getUTCFullYear(),
        month: d.getUTCMonth() + 1,
        day: d.getUTCDate(),
        hour: Math.floor(atMinutes / 60),
        minute: atMinutes % 60,
      },
      timeZone,
    );
    if (at > now) return at;
  }
  throw new Error('no matching weekday');
}

/**
 * Quiet hours from `fromMinutes` to `toMinutes` (local; may wrap past midnight): when `now`
 * falls inside, the instant they end; otherwise null.
 */
export function quietHoursEnd(
  now: number,
  timeZone: string,
  fromMinutes: number,
  toMinutes: number,
): number | null {
  if (fromMinutes === toMinutes) return null;
  const w = wallTime(now, timeZone);
  const minute = w.hour * 60 + w.minute;
  const inside =
    fromMinutes < toMinutes
      ? minute >= fromMinutes && minute < toMinutes
      : minute >= fromMinutes || minute < toMinutes;
  return inside ? nextTimeOfDay(now, timeZone, toMinutes) : null;
}

/** An ISO date-time; without an offset (or Z) it is read as wall time in the zone. */
export function parseDateTimeIn(iso: string, timeZone: string): number {
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) return Date.parse(iso);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return Number.NaN;
  return zonedInstant(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
    },
    timeZone,
  );
}
