import { fallbackLanguage, isLanguage, type Language } from './config';

/** The language the root loader resolved, as seen from a route's `meta` function. */
export function languageFromMatches(
  matches: ReadonlyArray<{ id: string; data: unknown }>,
): Language {
  const root = matches.find((match) => match.id === 'root')?.data;
  const lang = typeof root === 'object' && root !== null && 'lang' in root ? root.lang : undefined;
  return isLanguage(lang) ? lang : fallbackLanguage;
}
