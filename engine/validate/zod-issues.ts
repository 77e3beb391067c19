/**
 * Turns zod's issues into sentences a marketer reads, in both languages. Messages we wrote
 * ourselves (`bi(en, zh)`) are looked up; zod's built-in ones are rephrased from their fields.
 */
import type { z } from 'zod';
import { type LocalizedText } from '../issues';
import { fieldEntry, type LabelScope } from '../labels';
import { chineseFor } from '../schema/i18n';
import type { IssueParams } from '../schema/field-labels';

type ZodIssue = z.core.$ZodIssue;

const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true/false）',
  object: '对象',
  record: '对象',
  array: '列表',
  null: 'null',
};

function list(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

const EN_TYPE: Record<string, string> = {
  int: 'a whole number',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  string: 'text',
  boolean: 'true or false',
};

/**
 * The detail of one issue, without saying where it is. With the scope its path is relative
 * to, the choices of a field with fixed options are named by their labels.
 */
export function describeZodIssue(iss: ZodIssue, scope?: LabelScope): LocalizedText {
  const own = issueParams(iss).text;
  if (own) return own;
  const zh = chineseFor(iss.message);
  if (zh !== undefined) return { en: iss.message, 'zh-CN': zh };
  switch (iss.code) {
    case 'invalid_type':
      if (/received undefined$/.test(iss.message))
        return { en: 'is required', 'zh-CN': '必须填写' };
      return {
        en: `should be ${EN_TYPE[iss.expected] ?? `a ${iss.expected}`}`,
        'zh-CN': `应为${TYPE_ZH[iss.expected] ?? iss.expected}`,
      };
    case 'unrecognized_keys':
      return {
        en: `has unknown field${iss.keys.length > 1 ? 's' : ''} ${list(iss.keys)} (unknown fields are never dropped silently)`,
        'zh-CN': `包含未知字段 ${list(iss.keys)}（未知字段不会被忽略）`,
      };
    case 'invalid_value': {
      const options = scope
        ? fieldEntry(scope, iss.path as (string | number)[])?.options
        : undefined;
      if (options) {
        const labels = Object.values(options);
        return {
          en: `should be one of ${labels.map((l) => `"${l.en}"`).join(', ')}`,
          'zh-CN': `应为以下之一：${labels.map((l) => `“${l['zh-CN']}”`).join('、')}`,
        };
      }
      return {
        en: `should be one of ${list(iss.values)}`,
        'zh-CN': `应为以下之一：${list(iss.values)}`,
      };
    }
    case 'invalid_union': {
      const d = iss as ZodIssue & { discriminator?: string; options?: unknown[] };
      if (d.discriminator && d.options) {
        const path = iss.path as (string | number)[];
        const at = path[path.length - 1] === d.discriminator ? path : [...path, d.discriminator];
        const options = scope ? fieldEntry(scope, at)?.options : undefined;
        if (options) {
          const labels = Object.values(options);
          return {
            en: `should be one of ${labels.map((l) => `"${l.en}"`).join(', ')}`,
            'zh-CN': `应为以下之一：${labels.map((l) => `“${l['zh-CN']}”`).join('、')}`,
          };
        }
        return {
          en: `should be one of ${list(d.options)}`,
          'zh-CN': `应为以下之一：${list(d.options)}`,
        };
      }
      return { en: 'does not match any allowed form', 'zh-CN': '不符合任何允许的格式' };
    }
    case 'too_small':
    case 'too_big': {
      const small = iss.code === 'too_small';
      const bound = String(small ? iss.minimum : iss.maximum);
      if (iss.origin === 'array') {
        return small
          ? { en: `needs at least ${bound} item(s)`, 'zh-CN': `至少需要 ${bound} 项` }
          : { en: `allows at most ${bound} item(s)`, 'zh-CN': `最多 ${bound} 项` };
      }
      if (iss.origin === 'string') {
        if (small && bound === '1') return { en: 'must not be empty', 'zh-CN': '不能为空' };
        return small
          ? { en: `needs at least ${bound} characters`, 'zh-CN': `至少需要 ${bound} 个字符` }
          : { en: `allows at most ${bound} characters`, 'zh-CN': `最多 ${bound} 个字符` };
      }
      if (!iss.inclusive) {
        return small
          ? { en: `must be more than ${bound}`, 'zh-CN': `必须大于 ${bound}` }
          : { en: `must be less than ${bound}`, 'zh-CN': `必须小于 ${bound}` };
      }
      return small
        ? { en: `must be at least ${bound}`, 'zh-CN': `不能小于 ${bound}` }
        : { en: `must be at most ${bound}`, 'zh-CN': `不能大于 ${bound}` };
    }
    case 'invalid_format':
      return { en: 'has the wrong format', 'zh-CN': '格式不正确' };
    default:
      return { en: 'is not valid', 'zh-CN': '无效' };
  }
}

const PREDICATE = /^(is|are|should|must|needs?|has|have|allows|uses|points|does|can|cannot)\b/;

/** Does the detail continue a subject ("must not be empty") rather than stand alone? */
export function isPredicate(detail: LocalizedText): boolean {
  return PREDICATE.test(detail.en);
}

/**
 * A field and what is wrong with it, as one clause: `"Keywords" must not be empty` /
 * `“关键词”不能为空`; a detail that is a sentence of its own follows a colon.
 */
export function fieldSentence(field: LocalizedText, detail: LocalizedText): LocalizedText {
  const en = detail.en.replace(/\.$/, '');
  const zh = detail['zh-CN'].replace(/。$/, '');
  return isPredicate(detail)
    ? { en: `"${field.en}" ${en}`, 'zh-CN': `“${field['zh-CN']}”${zh}` }
    : { en: `"${field.en}": ${en}`, 'zh-CN': `“${field['zh-CN']}”：${zh}` };
}

/** What our own refinements attach to an issue (its text in both languages, the field's label). */
export function issueParams(iss: ZodIssue): IssueParams {
  return (iss.code === 'custom' ? (iss.params as IssueParams | undefined) : undefined) ?? {};
}
