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
