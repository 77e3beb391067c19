/**
 * WeChat template-message templates as Fanfare sees them (docs/wechat.md#template-messages): a
 * template's content names its keywords (`到期时间：{{time2.DATA}}` is the keyword `time2`, of
 * the kind `time`, shown as "到期时间"), and each kind has WeChat's rule for its value. The
 * one place those rules live: the sync stores the keywords, the composer shows the hints, the
 * validator warns about a value that is too long.
 */
import type { LocalizedText } from './issues';

export interface TemplateKeyword {
  /** The data key: `thing1`, `time2`, … */
  key: string;
  /** The key without its number: `thing`, `time`, … (an unknown kind is kept as written). */
  kind: string;
  /** What the content shows before it (`到期时间`), or '' when nothing does. */
  label: string;
}

export interface KeywordRule {
  /** The most characters WeChat accepts (none: a format, not a length). */
  max?: number;
  hint: LocalizedText;
}

/**
 * WeChat's keyword kinds and their values (the service-account template rules since 2023): a
 * longer value is refused (47003) or cut. Counted in characters.
 */
export const KEYWORD_RULES: Readonly<Record<string, KeywordRule>> = {
  thing: {
    max: 20,
    hint: { en: 'Up to 20 characters of text', 'zh-CN': '20 个以内字符（汉字、数字、字母或符号）' },
  },
  number: {
    max: 32,
    hint: { en: 'A number, up to 32 digits', 'zh-CN': '32 位以内数字，可带小数' },
  },
  letter: { max: 32, hint: { en: 'Up to 32 letters', 'zh-CN': '32 个以内字母' } },
  symbol: { max: 5, hint: { en: 'Up to 5 symbols', 'zh-CN': '5 个以内符号' } },
  character_string: {
    max: 32,
    hint: {
      en: 'Up to 32 letters, digits or symbols (a code, an order number)',
      'zh-CN': '32 个以内数字、字母或符号（券码、单号）',
    },
  },
  time: {
    hint: {
      en: 'A 24-hour time, optionally with its date: 15:01 or 2024年10月1日 15:01',
      'zh-CN': '24 小时制时间，可带年月日：15:01 或 2024年10月1日 15:01',
    },
  },
  date: {
    hint: {
      en: 'A date, optionally with a 24-hour time: 2024年10月1日',
      'zh-CN': '年月日，可带 24 小时制时间：2024年10月1日',
    },
  },
  amount: {
    max: 14,
    hint: {
      en: 'An amount: a currency symbol and up to 10 digits, decimals allowed (¥8.80)',
      'zh-CN': '金额：币种符号加 10 位以内数字，可带小数（¥8.80），结尾可带“元”',
    },
  },
  phone_number: {
    max: 17,
    hint: {
      en: 'A phone number, up to 17 digits or symbols',
      'zh-CN': '电话号码，17 位以内数字或符号',
    },
  },
  car_number: {
    max: 8,
    hint: { en: 'A licence plate, up to 8 characters', 'zh-CN': '车牌号，8 位以内' },
  },
  name: {
    max: 20,
    hint: {
      en: 'A name: up to 10 Chinese characters or 20 letters',
      'zh-CN': '姓名：10 个以内汉字或 20 个以内字母',
    },
  },
  phrase: {
    max: 5,
    hint: { en: 'Up to 5 Chinese characters (a status)', 'zh-CN': '5 个以内汉字（状态词）' },
  },
};

/** `{{thing1.DATA}}` — WeChat's keyword marker in a template's content. */
const MARKER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\.DATA\s*\}\}/g;
/** Keys WeChat stopped showing in May 2023: never asked for. */
const RETIRED_KEYS = new Set(['first', 'remark']);

export const keywordKind = (key: string): string => key.replace(/\d+$/, '');

/** The keywords of a template's content, in order, each once (`first`/`remark` left out). */
export function parseTemplateContent(content: string): TemplateKeyword[] {
  const out: TemplateKeyword[] = [];
  const seen = new Set<string>();
  for (const line of content.split(/\r?\n/)) {
    let last = 0;
    for (const match of line.matchAll(MARKER)) {
      const key = match[1]!;
      const before = line.slice(last, match.index);
      last = match.index + match[0].length;
      if (seen.has(key) || RETIRED_KEYS.has(key)) continue;
      seen.add(key);
      const label = before.replace(/[\s:：]+$/u, '').trim();
      out.push({ key, kind: keywordKind(key), label });
    }
  }
  return out;
}

/** The rule of a keyword (by its key or kind), when WeChat has one for it. */
export function keywordRule(keyOrKind: string): KeywordRule | undefined {
  return KEYWORD_RULES[keywordKind(keyOrKind)];
}

/** Characters as WeChat counts them (code points, so an emoji is one). */
export const charCount = (value: string): number => [...value].length;

/** The most characters a keyword's value may have, for this value (names: 10 in Chinese). */
export function keywordMax(keyOrKind: string, value = ''): number | undefined {
  const kind = keywordKind(keyOrKind);
  if (kind === 'name' && /[^\x20-\x7e]/.test(value)) return 10;
  return KEYWORD_RULES[kind]?.max;
}

/**
 * The card a fan sees: the title, then each keyword's label and value, with `value(key)`
 * standing for what is sent (a preview renders sample placeholders in it).
 */
export function templateCardLines(
  keywords: readonly TemplateKeyword[],
  value: (key: string) => string,
): { key: string; label: string; value: string }[] {
  return keywords.map((k) => ({ key: k.key, label: k.label || k.key, value: value(k.key) }));
}
