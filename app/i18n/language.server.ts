/**
 * Which language a request gets: the `fanfare_lng` cookie when it names a supported
 * language, else the browser's Accept-Language (its most preferred language that we speak;
 * every Chinese variant counts as zh-CN), else English.
 */
import { fallbackLanguage, isLanguage, type Language } from './config';

export const LANGUAGE_COOKIE = 'fanfare_lng';
const ONE_YEAR_SECONDS = 60 * 60 * 24 * 365;

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

function matchTag(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  return undefined;
}

export function languageFromAcceptLanguage(header: string | null): Language | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { tag } of ranked) {
    const match = matchTag(tag);
    if (match) return match;
  }
  return undefined;
}

export function resolveLanguage(request: Request): Language {
  const fromCookie = readCookie(request.headers.get('Cookie'), LANGUAGE_COOKIE);
  if (isLanguage(fromCookie)) return fromCookie;
  return languageFromAcceptLanguage(request.headers.get('Accept-Language')) ?? fallbackLanguage;
}

export function languageCookie(lng: Language): string {
  return `${LANGUAGE_COOKIE}=${encodeURIComponent(lng)}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax; HttpOnly`;
}
