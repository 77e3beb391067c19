import { describe, expect, it } from 'vitest';
import { SERVICE_CODES } from '../../services/errors';
import { PROBLEM_CODES, WECHAT_ERRCODES } from '../../services/resources/problems';
import authEn from './locales/auth.en.json';
import authZhCN from './locales/auth.zh-CN.json';
import brandsEn from './locales/brands.en.json';
import brandsZhCN from './locales/brands.zh-CN.json';
import auditEn from './locales/audit.en.json';
import auditZhCN from './locales/audit.zh-CN.json';
import en from './locales/en.json';
import resourcesEn from './locales/resources.en.json';
import resourcesZhCN from './locales/resources.zh-CN.json';
import zhCN from './locales/zh-CN.json';

type Tree = { [key: string]: string | Tree };

/** Every leaf as [dotted.key, value]; a non-string, non-object leaf is reported as invalid. */
function leaves(tree: Tree, prefix = ''): Array<[string, unknown]> {
  return Object.entries(tree).flatMap(([key, value]): Array<[string, unknown]> => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object' ? leaves(value, path) : [[path, value]];
  });
}

/** Each namespace, in both languages. */
const namespaces = {
  translation: { en: leaves(en), 'zh-CN': leaves(zhCN) },
  resources: { en: leaves(resourcesEn), 'zh-CN': leaves(resourcesZhCN) },
  auth: { en: leaves(authEn), 'zh-CN': leaves(authZhCN) },
  brands: { en: leaves(brandsEn), 'zh-CN': leaves(brandsZhCN) },
  audit: { en: leaves(auditEn), 'zh-CN': leaves(auditZhCN) },
};
const placeholders = (text: unknown) =>
  [...String(text).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

for (const [ns, locales] of Object.entries(namespaces)) {
  describe(`locales (${ns})`, () => {
    for (const [name, entries] of Object.entries(locales)) {
      const otherName = name === 'en' ? 'zh-CN' : 'en';
      const otherKeys = new Set(locales[otherName as keyof typeof locales].map(([key]) => key));

      it(`${name}: every key also exists in ${otherName}`, () => {
        expect(entries.map(([key]) => key).filter((key) => !otherKeys.has(key))).toEqual([]);
      });

      it(`${name}: no value is empty`, () => {
        const empty = entries.filter(
          ([, value]) => typeof value !== 'string' || value.trim() === '',
        );
        expect(empty.map(([key]) => key)).toEqual([]);
      });
    }

    it('both locales use the same {{placeholders}} for each key', () => {
      const zh = new Map(locales['zh-CN']);
      const mismatched = locales.en
        .filter(
          ([key, value]) =>
            zh.has(key) && placeholders(value).join() !== placeholders(zh.get(key)).join(),
        )
        .map(([key]) => key);
      expect(mismatched).toEqual([]);
    });
  });
}

describe('locales (resources): coded sentences', () => {
  const keys = new Set(namespaces.resources.en.map(([key]) => key));

  it('every problem code a server module can return has a sentence', () => {
    expect(PROBLEM_CODES.filter((code) => !keys.has(`problems.${code}`))).toEqual([]);
  });

  it('every WeChat errcode with a sentence of its own has one', () => {
    expect(WECHAT_ERRCODES.filter((code) => !keys.has(`wechat.e${code}`))).toEqual([]);
  });
});

describe('locales (auth): coded sentences', () => {
  it('every code a service can refuse with has a sentence', () => {
    const keys = new Set(namespaces.auth.en.map(([key]) => key));
    expect(SERVICE_CODES.filter((code) => !keys.has(`problems.${code}`))).toEqual([]);
  });
});
