import { useEffect, useLayoutEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from './config';

// Layout effect in the browser: the switch lands before paint, so no frame mixes languages.
const useBrowserLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/** Follows the language the root loader resolved (it changes after the language switch). */
export function useSyncLanguage(lang: Language): void {
  const { i18n } = useTranslation();
  useBrowserLayoutEffect(() => {
    if (i18n.language !== lang) void i18n.changeLanguage(lang);
  }, [i18n, lang]);
}
