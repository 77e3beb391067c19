import type { Language } from '~/i18n/config';

/**
 * A date and time for people, in the brand's time zone (not the server's or the browser's,
 * which may differ — and formatting on the server keeps hydration exact).
 */
export function formatDateTime(value: Date, lang: Language, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(value);
  } catch {
    // An unknown zone name must not take the page down: fall back to UTC, which always exists.
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(value);
  }
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago" / "3小时前": `value` against `now`, in the largest whole unit. */
export function formatRelative(value: Date, now: Date, lang: Language): string {
  const seconds = Math.round((value.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      // Under a minute reads as "now" rather than a count of seconds.
      return unit === 'second'
        ? format.format(0, 'second')
        : format.format(Math.trunc(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}
