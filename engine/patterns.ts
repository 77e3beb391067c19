/**
 * User-supplied patterns — keyword triggers and keyword waits in "regular expression" mode, and
 * the rules operator `matches` — in one syntax, checked in one place and run by one engine.
 *
 * - They run in linear time: every match in memory (the event router, journeys, conditions) goes
 *   through `patternMatches`, which uses RE2 (the pure-JS `re2js`), never JavaScript's
 *   backtracking RegExp — `^(a+)+$` against a fan's 31-character text cannot stall a worker.
 * - The audience SQL runs the same pattern with PostgreSQL's `~`. `patternProblem` accepts only
 *   the subset both engines accept and read alike (docs/decisions/003-patterns.md): anything
 *   one of them refuses or reads differently is an `E_CONFIG`, naming the construct.
 *
 * Both engines only answer "is there a match", so greedy/lazy and capturing groups do not change
 * a result. `.` matches a line break in both (RE2's DOTALL flag; PostgreSQL's default).
 */
import { RE2JS } from 're2js';
import type { LocalizedText } from './issues';

export const PATTERN_MAX_LENGTH = 300;
/** PostgreSQL's largest repetition count (RE_DUP_MAX). */
export const PATTERN_MAX_REPEAT = 255;

/**
 * The constructs a pattern may not use, each as the end of a sentence about the pattern: it
 * "uses …" / "has …" (en), 使用了… (zh-CN).
 */
const CONSTRUCTS = {
  namedGroup: {
    en: 'uses a named group (?<name>…), which is not supported; use (…) instead',
    'zh-CN': '使用了命名分组 (?<name>…)，不受支持；请改用 (…)',
  },
  lookaround: {
    en: 'uses a lookahead or lookbehind such as (?=…) or (?<!…), which is not supported; match the text itself instead',
    'zh-CN': '使用了前瞻或后顾断言（如 (?=…)、(?<!…)），不受支持；请直接匹配文字本身',
  },
  backreference: {
    en: 'uses a back-reference such as \\1, which is not supported; write the repeated text out instead',
    'zh-CN': '使用了反向引用（如 \\1），不受支持；请直接写出重复的文字',
  },
  unicodeClass: {
    en: 'uses a Unicode class such as \\p{L}, which is not supported; list the characters in […] instead, e.g. [一-龥]',
    'zh-CN': '使用了 Unicode 字符类（如 \\p{L}），不受支持；请在 […] 中列出字符，例如 [一-龥]',
  },
  shorthandClass: {
    en: 'uses \\w or \\s, which match different characters in the database; list the characters instead, e.g. [A-Za-z0-9_] or [ ]',
    'zh-CN':
      '使用了 \\w 或 \\s，它们在数据库中匹配的字符不同；请直接列出字符，例如 [A-Za-z0-9_] 或 [ ]',
  },
  wordBoundary: {
    en: 'uses a word boundary such as \\b, which is not supported; use ^, $ or the neighbouring characters instead',
    'zh-CN': '使用了单词边界（如 \\b），不受支持；请改用 ^、$ 或相邻的字符',
  },
  namedClass: {
    en: 'uses a named class such as [:alpha:], which matches different characters in the database; list the characters instead, e.g. [A-Za-z]',
    'zh-CN':
      '使用了命名字符类（如 [:alpha:]），它在数据库中匹配的字符不同；请直接列出字符，例如 [A-Za-z]',
  },
  option: {
    en: 'uses an option such as (?s) or (?i:…), which is not supported; only (?i) at the very start (ignore case) is',
    'zh-CN': '使用了选项（如 (?s)、(?i:…)），不受支持；只支持写在最前面的 (?i)（忽略大小写）',
  },
  specialGroup: {
    en: 'uses a special group such as (?>…) or (?#…), which is not supported; use (…) instead',
    'zh-CN': '使用了特殊分组（如 (?>…)、(?#…)），不受支持；请改用 (…)',
  },
  characterCode: {
    en: 'uses a character code such as \\x41, \\u4E0A or \\0, which is not supported; type the character itself',
    'zh-CN': '使用了字符编码（如 \\x41、\\u4E0A、\\0），不受支持；请直接输入该字符',
  },
  endAnchor: {
    en: 'uses \\z or \\Z, which is not supported; use $ for the end instead',
    'zh-CN': '使用了 \\z 或 \\Z，不受支持；请用 $ 表示结尾',
  },
  escape: {
    en: 'uses an unknown escape (a \\ before a letter or digit); put \\ only before punctuation, such as \\. or \\(',
    'zh-CN': '使用了无法识别的转义（\\ 后跟字母或数字）；\\ 只能放在标点前，例如 \\. 或 \\(',
  },
  trailingBackslash: {
    en: 'ends with a \\ that has nothing after it; write \\\\ for a backslash',
    'zh-CN': '以 \\ 结尾，后面没有字符；反斜杠本身请写作 \\\\',
  },
  brace: {
    en: 'has a { that does not start a count such as {2} or {1,3}; write \\{ for the character {',
    'zh-CN': '含有不构成次数（如 {2}、{1,3}）的 {；字符 { 本身请写作 \\{',
  },
  repeatTooLarge: {
    en: `has a repetition count above ${PATTERN_MAX_REPEAT}, which is not supported`,
    'zh-CN': `含有大于 ${PATTERN_MAX_REPEAT} 的重复次数，不受支持`,
  },
  repeatBackwards: {
    en: 'has a count {m,n} whose first number is larger than the second',
    'zh-CN': '含有第一个数大于第二个数的次数 {m,n}',
  },
  nothingToRepeat: {
    en: 'has a repetition (*, +, ? or {…}) with nothing before it to repeat; write \\* or \\+ for the character',
    'zh-CN': '含有前面没有内容可重复的重复符号（*、+、? 或 {…}）；字符本身请写作 \\* 或 \\+',
  },
  nestedRepeat: {
    en: 'has two repetitions in a row such as a** or a+*, which is not supported; keep one',
    'zh-CN': '含有连续两个重复符号（如 a**、a+*），不受支持；请只保留一个',
  },
  unclosedGroup: {
    en: 'has a ( without its matching ); write \\( for the character (',
    'zh-CN': '含有缺少对应 ) 的 (；字符 ( 本身请写作 \\(',
  },
  unopenedGroup: {
    en: 'has a ) without its matching (; write \\) for the character )',
    'zh-CN': '含有缺少对应 ( 的 )；字符 ) 本身请写作 \\)',
  },
  unclosedClass: {
    en: 'has a [ without its matching ]; write \\[ for the character [',
    'zh-CN': '含有缺少对应 ] 的 [；字符 [ 本身请写作 \\[',
  },
  rangeBackwards: {
    en: 'has a range that runs backwards (such as z-a) or starts or ends with a class; write it as a-z',
    'zh-CN': '含有顺序颠倒（如 z-a）或以字符类开头或结尾的范围；请写作 a-z 这样的形式',
  },
  badCharacter: {
    en: 'has an invalid character (U+0000 or a broken character)',
    'zh-CN': '含有无效字符（U+0000 或损坏的字符）',
  },
  tooLong: {
    en: `is longer than ${PATTERN_MAX_LENGTH} characters; shorten it`,
    'zh-CN': `超过 ${PATTERN_MAX_LENGTH} 个字符；请缩短`,
  },
  tooComplex: {
    en: 'repeats too much to be matched quickly; simplify it',
    'zh-CN': '重复过多，无法快速匹配；请简化',
  },
} as const satisfies Record<string, LocalizedText>;

export type PatternConstruct = keyof typeof CONSTRUCTS;
export const PATTERN_CONSTRUCTS = Object.keys(CONSTRUCTS) as PatternConstruct[];

export interface PatternProblem {
  construct: PatternConstruct;
  /** What follows a field's name: `has a pattern "…" that uses …` / `中的正则表达式“…”使用了…`. */
  detail: LocalizedText;
  /** A sentence of its own: `The pattern "…" uses …`. */
  sentence: LocalizedText;
}

/** A pattern quoted for a sentence, shortened so a long one does not drown the message. */
function quoted(source: string): string {
  return source.length > 40 ? `${source.slice(0, 39)}…` : source;
}

function problem(source: string, construct: PatternConstruct): PatternProblem {
  const what = CONSTRUCTS[construct];
  const q = quoted(source);
  return {
    construct,
    detail: {
      en: `has a pattern "${q}" that ${what.en}`,
      'zh-CN': `中的正则表达式“${q}”${what['zh-CN']}`,
    },
    sentence: {
      en: `The pattern "${q}" ${what.en}.`,
      'zh-CN': `正则表达式“${q}”${what['zh-CN']}。`,
    },
  };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
/** Printable ASCII punctuation: escaped, it stands for itself in both engines. */
const isPunct = (c: string | undefined) => c !== undefined && /^[!-/:-@[-`{-~]$/.test(c);

function hasBadCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

type Escape =
  | { kind: 'char'; code: number; next: number }
  | { kind: 'class' | 'anchor'; next: number }
  | { kind: 'problem'; construct: PatternConstruct };

const CONTROL: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11 };

/** The escape at `s[i] === '\\'`, inside or outside a bracket expression. */
function readEscape(s: string, i: number, inBracket: boolean): Escape {
  const c = s[i + 1];
  if (c === undefined) return { kind: 'problem', construct: 'trailingBackslash' };
  if (isPunct(c)) return { kind: 'char', code: c.charCodeAt(0), next: i + 2 };
  if (c in CONTROL) return { kind: 'char', code: CONTROL[c]!, next: i + 2 };
  if (c === 'd' || (c === 'D' && !inBracket)) return { kind: 'class', next: i + 2 };
  if (c === 'A' && !inBracket) return { kind: 'anchor', next: i + 2 };
  if ('wWsS'.includes(c)) return { kind: 'problem', construct: 'shorthandClass' };
  if ('bByYmM'.includes(c)) return { kind: 'problem', construct: 'wordBoundary' };
  if (c === 'z' || c === 'Z') return { kind: 'problem', construct: 'endAnchor' };
  if (c === 'p' || c === 'P') return { kind: 'problem', construct: 'unicodeClass' };
  if (c === 'k' || (isDigit(c) && c !== '0'))
    return { kind: 'problem', construct: 'backreference' };
  if ('0xuUc'.includes(c)) return { kind: 'problem', construct: 'characterCode' };
  return { kind: 'problem', construct: 'escape' };
}

/** One character (a surrogate pair counts once) at `i`: its code point and where the next starts. */
function codePointAt(s: string, i: number): { code: number; next: number } {
  const code = s.codePointAt(i)!;
  return { code, next: i + (code > 0xffff ? 2 : 1) };
}

/** A bracket expression starting at `s[i] === '['`: where it ends, or its problem. */
function readBracket(s: string, i: number): { next: number } | { construct: PatternConstruct } {
  let j = i + 1;
  if (s[j] === '^') j++;
  // A ] first is the character ] in both engines.
  let first = true;
  for (;;) {
    const c = s[j];
    if (c === undefined) return { construct: 'unclosedClass' };
    if (c === ']' && !first) return { next: j + 1 };
    first = false;
    if (c === '[' && (s[j + 1] === ':' || s[j + 1] === '.' || s[j + 1] === '='))
      return { construct: 'namedClass' };
    // One end of a possible range.
    let low: number | null;
    if (c === '\\') {
      const e = readEscape(s, j, true);
      if (e.kind === 'problem') return { construct: e.construct };
      low = e.kind === 'char' ? e.code : null;
      j = e.next;
    } else {
      const p = codePointAt(s, j);
      low = p.code;
      j = p.next;
    }
    if (s[j] === '-' && s[j + 1] !== ']' && s[j + 1] !== undefined) {
      if (low === null) return { construct: 'rangeBackwards' };
      let high: number;
      if (s[j + 1] === '\\') {
        const e = readEscape(s, j + 1, true);
        if (e.kind === 'problem') return { construct: e.construct };
        if (e.kind !== 'char') return { construct: 'rangeBackwards' };
        high = e.code;
        j = e.next;
      } else if (s[j + 1] === '[' && (s[j + 2] === ':' || s[j + 2] === '.' || s[j + 2] === '=')) {
        return { construct: 'namedClass' };
      } else {
        const p = codePointAt(s, j + 1);
        high = p.code;
        j = p.next;
      }
      if (high < low) return { construct: 'rangeBackwards' };
    }
  }
}

/**
 * The first construct of `source` that RE2 or PostgreSQL refuses or reads differently, or null
 * when the pattern is in the shared subset (and compiles in RE2).
 */
export function patternProblem(source: string): PatternProblem | null {
  const construct = firstProblem(source);
  return construct ? problem(source, construct) : null;
}

function firstProblem(s: string): PatternConstruct | null {
  if (s.length > PATTERN_MAX_LENGTH) return 'tooLong';
  if (hasBadCharacter(s)) return 'badCharacter';
  let i = s.startsWith('(?i)') ? 4 : 0;
  let depth = 0;
  /** Whether what came last is something a repetition can apply to. */
  let atom = false;
  /** Whether what came last is itself a repetition. */
  let repeated = false;
  const repeat = (): PatternConstruct | null => {
    if (repeated) return 'nestedRepeat';
    if (!atom) return 'nothingToRepeat';
    return null;
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      let len = 1;
      if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
        if (!m) return 'brace';
        const low = Number(m[1]);
        const high = m[2] === undefined ? low : m[3] === '' ? null : Number(m[3]);
        if (low > PATTERN_MAX_REPEAT || (high !== null && high > PATTERN_MAX_REPEAT))
          return 'repeatTooLarge';
        if (high !== null && high < low) return 'repeatBackwards';
        len = m[0].length;
      }
      const bad = repeat();
      if (bad) return bad;
      i += len;
      if (s[i] === '?') i++; // lazy: the same answer to "is there a match"
      atom = false;
      repeated = true;
      continue;
    }
    repeated = false;
    switch (c) {
      case '\\': {
        const e = readEscape(s, i, false);
        if (e.kind === 'problem') return e.construct;
        atom = e.kind !== 'anchor';
        i = e.next;
        break;
      }
      case '[': {
        const b = readBracket(s, i);
        if ('construct' in b) return b.construct;
        atom = true;
        i = b.next;
        break;
      }
      case '(': {
        if (s[i + 1] === '?') {
          const rest = s.slice(i + 2);
          if (rest.startsWith(':')) i += 3;
          else if (/^(=|!|<=|<!)/.test(rest)) return 'lookaround';
          else if (/^(<|P<|P=|P>|')/.test(rest)) return 'namedGroup';
          else if (/^[#>|]/.test(rest)) return 'specialGroup';
          else return 'option';
        } else i += 1;
        depth++;
        atom = false;
        break;
      }
      case ')':
        if (depth === 0) return 'unopenedGroup';
        depth--;
        atom = true;
        i++;
        break;
      case '|':
      case '^':
      case '$':
        atom = false;
        i++;
        break;
      default:
        atom = true;
        i = codePointAt(s, i).next;
    }
  }
  if (depth > 0) return 'unclosedGroup';
  return compiled(s) === null ? 'tooComplex' : null;
}

// --- running ---------------------------------------------------------------------------

/** Compiled patterns, bounded: patterns come from flows, but a flow may hold many. */
const cache = new Map<string, RE2JS | null>();
const CACHE_MAX = 1000;

function compiled(source: string): RE2JS | null {
  let re = cache.get(source);
  if (re === undefined) {
    try {
      re = RE2JS.compile(source, RE2JS.DOTALL);
    } catch {
      re = null;
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(source, re);
  }
  return re;
}

/**
 * Does `text` contain a match of `source`? Linear in the text (RE2). A pattern RE2 cannot
 * compile — only possible for documents that skipped validation — never matches.
 */
export function patternMatches(source: string, text: string): boolean {
  return compiled(source)?.test(text) ?? false;
}
