/**
 * i18next set-up shared by the server (one instance per request), the browser (one instance
 * for the page's life) and meta functions. Both locales are bundled: they are small, and
 * having them at hand makes initialisation synchronous, so server and client render the
 * same text on the first pass.
 */
import { createInstance, type i18n as I18n, type InitOptions, type TFunction } from 'i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import resourcesEn from './locales/resources.en.json';
import resourcesZhCN from './locales/resources.zh-CN.json';
import authEn from './locales/auth.en.json';
import authZhCN from './locales/auth.zh-CN.json';
import brandsEn from './locales/brands.en.json';
import brandsZhCN from './locales/brands.zh-CN.json';
import auditEn from './locales/audit.en.json';
import auditZhCN from './locales/audit.zh-CN.json';

export const supportedLanguages = ['zh-CN', 'en'] as const;
export type Language = (typeof supportedLanguages)[number];
export const fallbackLanguage: Language = 'en';

export const resources = {
  en: { translation: en, resources: resourcesEn, auth: authEn, brands: brandsEn, audit: auditEn },
  'zh-CN': {
    translation: zhCN,
    resources: resourcesZhCN,
    auth: authZhCN,
    brands: brandsZhCN,
    audit: auditZhCN,
  },
} as const;

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof en;
      resources: typeof resourcesEn;
      auth: typeof authEn;
      brands: typeof brandsEn;
      audit: typeof auditEn;
    };
  }
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value);
}

const options = {
  resources,
  supportedLngs: [...supportedLanguages],
  fallbackLng: fallbackLanguage,
  defaultNS: 'translation',
  // React escapes on its own; escaping here would double-encode quotes in slugs.
  interpolation: { escapeValue: false },
  // Resources are in memory: nothing to suspend for, and init completes synchronously.
  initAsync: false,
  react: { useSuspense: false },
  // Keeps i18next's promotional console line out of server logs and the browser console.
  showSupportNotice: false,
} satisfies InitOptions;

/** A fresh, initialised instance for one request (server) or one page (browser). */
export function createI18n(lng: Language): I18n {
  const instance = createInstance();
  void instance.init({ ...options, lng });
  return instance;
}

const fixed = new Map<Language, TFunction>();

/** A translate function for places without React context (meta functions). */
export function translator(lng: Language): TFunction {
  let t = fixed.get(lng);
  if (!t) {
    t = createI18n(lng).t;
    fixed.set(lng, t);
  }
  return t;
}
