import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  durationText,
  fieldChanges,
  fieldLabel,
  fieldPathLabel,
  optionLabel,
  portLabel,
  stepName,
  valueText,
  type LabelScope,
} from './labels';
import { NODE_KINDS, nodeSpecs } from './nodes/index';
import { Settings } from './schema/document';

describe('field labels', () => {
  it.each([
    { scope: 'wait.event', path: 'timeout', en: 'Wait at most', zh: '最多等待' },
    { scope: 'wait.event', path: 'event/match', en: 'Matching', zh: '匹配方式' },
    { scope: 'trigger.keyword', path: 'match', en: 'Matching', zh: '匹配方式' },
    { scope: 'action.coupon', path: ['pool'], en: 'Coupon pool', zh: '券池' },
    { scope: 'action.push', path: 'message/templateId', en: 'Template', zh: '模板' },
    { scope: 'split.random', path: 'branches/1', en: 'Branch 2', zh: '分支 2' },
    { scope: 'split.random', path: 'branches/1/percent', en: 'Percent', zh: '百分比' },
    { scope: 'condition.rules', path: 'rules/all/0/any/2/value', en: 'Value', zh: '值' },
    { scope: 'document', path: 'settings/exitOn/2', en: 'Exit event 3', zh: '退出事件 3' },
    { scope: 'document', path: 'settings/goal/event/keywords', en: 'Keywords', zh: '关键词' },
  ] as { scope: LabelScope; path: string | string[]; en: string; zh: string }[])(
    '$scope $path → $en / $zh',
    ({ scope, path, en, zh }) => {
      expect(fieldLabel(scope, path)).toEqual({ en, 'zh-CN': zh });
    },
  );

  it.each([
    { scope: 'action.tag', path: 'add/2', zh: '添加标签 › 第 3 项', en: 'Add tags › item 3' },
    {
      scope: 'condition.rules',
      path: 'rules/all/0/value',
      zh: '条件 › 第 1 项 › 值',
      en: 'Rules › item 1 › Value',
    },
    { scope: 'split.random', path: 'branches/0/port', zh: '分支 1 › 名称', en: 'Branch 1 › Name' },
    { scope: 'split.random', path: 'branches', zh: '分支', en: 'Branches' },
    {
      scope: 'action.push',
      path: 'message/data/first',
      zh: '模板字段 › first',
      en: 'Template fields › first',
    },
    {
      scope: 'wait.event',
      path: 'event/keywords/0',
      zh: '等待的事件 › 关键词 › 第 1 项',
      en: 'Wait for › Keywords › item 1',
    },
    { scope: 'document', path: 'settings/entry/reentry', zh: '重复进入', en: 'Re-entry' },
    { scope: 'action.coupon', path: 'nothing/here', zh: null, en: null },
  ] as { scope: LabelScope; path: string; en: string | null; zh: string | null }[])(
    'where $scope $path is: $en',
    ({ scope, path, en, zh }) => {
      expect(fieldPathLabel(scope, path)).toEqual(en === null ? null : { en, 'zh-CN': zh });
    },
  );

  /** Every field of every kind's config, and of the settings, has a label. */
  function unlabelled(scope: LabelScope, schema: z.ZodType, base: string[]): string[] {
    const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
        return unlabelled(scope, def.innerType as z.ZodType, base);
      case 'union':
        return (def.options as z.ZodType[]).flatMap((o) => unlabelled(scope, o, base));
      case 'object': {
        const shape = def.shape as Record<string, z.ZodType>;
        return Object.entries(shape).flatMap(([key, value]) => {
          const path = [...base, key];
          if (key === 'type' && base.length && fieldLabel(scope, path) === undefined)
            return [path.join('.')];
          if (key === 'type') return [];
          const own = fieldLabel(scope, path) === undefined ? [path.join('.')] : [];
          return [...own, ...unlabelled(scope, value, path)];
        });
      }
      default:
        return [];
    }
  }

  it.each(NODE_KINDS.map((kind) => ({ kind })))(
    '$kind: every config field has a label',
    ({ kind }) => {
      expect(unlabelled(kind, nodeSpecs[kind].config as z.ZodType, [])).toEqual([]);
    },
  );

  it('every flow setting has a label', () => {
    expect(unlabelled('document', Settings, ['settings'])).toEqual([]);
  });
});

describe('names in sentences', () => {
  it.each([
    { node: { kind: 'wait.delay', label: '等两天' }, en: '"等两天"', zh: '「等两天」' },
    { node: { kind: 'wait.delay', label: '  ' }, en: '"Wait"', zh: '「等待」' },
    { node: { kind: 'action.sms' }, en: 'a step of an unknown kind', zh: '一个未知类型的步骤' },
  ])('step $node.kind $node.label', ({ node, en, zh }) => {
    expect(stepName(node)).toEqual({ en, 'zh-CN': zh });
  });

  it.each([
    { port: 'next', en: 'Next', zh: '下一步' },
    { port: 'yes', en: 'Yes', zh: '是' },
    { port: 'no', en: 'No', zh: '否' },
    { port: 'matched', en: 'Happened', zh: '已发生' },
    { port: 'timeout', en: 'Timed out', zh: '超时' },
    { port: 'B', en: 'B', zh: 'B' },
  ])('port $port', ({ port, en, zh }) => {
    expect(portLabel(port)).toEqual({ en, 'zh-CN': zh });
  });
});

describe('values in words', () => {
  it.each([
    { scope: 'wait.event', path: 'timeout', value: '48h', en: '48 hours', zh: '48 小时' },
    { scope: 'wait.event', path: 'timeout', value: '1m', en: '1 minute', zh: '1 分钟' },
    {
      scope: 'wait.event',
      path: 'event/match',
      value: 'regex',
      en: 'regular expression',
      zh: '正则表达式',
    },
    {
      scope: 'trigger.keyword',
      path: 'keywords',
      value: ['优惠', '券'],
      en: '优惠, 券',
      zh: '优惠、券',
    },
    { scope: 'wait.until', path: 'weekdays', value: [1, 5], en: 'Mon, Fri', zh: '周一、周五' },
    {
      scope: 'action.push',
      path: 'channel',
      value: 'customer_service',
      en: 'Customer service',
      zh: '客服消息',
    },
    { scope: 'trigger.follow', path: 'firstTimeOnly', value: true, en: 'yes', zh: '是' },
    { scope: 'action.coupon', path: 'pool', value: undefined, en: '(not set)', zh: '（未设置）' },
  ] as { scope: LabelScope; path: string; value: unknown; en: string; zh: string }[])(
    '$scope $path $value',
    ({ scope, path, value, en, zh }) => {
      expect(valueText(scope, path, value)).toEqual({ en, 'zh-CN': zh });
    },
  );

  it('durations and options', () => {
    expect(durationText('2w')).toEqual({ en: '2 weeks', 'zh-CN': '2 周' });
    expect(optionLabel('document', 'settings/entry/reentry', 'after_exit')?.['zh-CN']).toBe(
      '上一次旅程结束后可再次进入',
    );
  });
});

describe('what changed, field by field', () => {
  const zh = (changes: ReturnType<typeof fieldChanges>) =>
    changes.map((c) => `${c.label['zh-CN']}: ${c.before['zh-CN']} → ${c.after['zh-CN']}`);
  const en = (changes: ReturnType<typeof fieldChanges>) =>
    changes.map((c) => `${c.label.en}: ${c.before.en} → ${c.after.en}`);

  it.each([
    {
      scope: 'wait.event',
      before: { event: { type: 'keyword', keywords: ['券'], match: 'exact' }, timeout: '48h' },
      after: { event: { type: 'keyword', keywords: ['券'], match: 'contains' }, timeout: '1m' },
      zh: ['等待的事件 › 匹配方式: 完全匹配 → 包含', '最多等待: 48 小时 → 1 分钟'],
      en: ['Wait for › Matching: exact → contains', 'Wait at most: 48 hours → 1 minute'],
    },
    {
      scope: 'split.random',
      before: {
        branches: [
          { port: 'A', percent: 50 },
          { port: 'B', percent: 50 },
        ],
      },
      after: {
        branches: [
          { port: 'A', percent: 70 },
          { port: 'B', percent: 30 },
        ],
      },
      zh: ['分支 1 › 百分比: 50 → 70', '分支 2 › 百分比: 50 → 30'],
      en: ['Branch 1 › Percent: 50 → 70', 'Branch 2 › Percent: 50 → 30'],
    },
    {
      scope: 'action.tag',
      before: { add: ['a'], remove: [] },
      after: { add: ['a', 'b'], remove: [] },
      zh: ['添加标签: a → a、b'],
      en: ['Add tags: a → a, b'],
    },
    {
      scope: 'condition.rules',
      before: {
        rules: { all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: '北京' }] },
      },
      after: {
        rules: { all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: '上海' }] },
      },
      zh: ['条件: 原条件 → 已修改'],
      en: ['Rules: as before → changed'],
    },
    {
      scope: 'action.push',
      before: { channel: 'auto', message: { type: 'text', text: '你好' } },
      after: { channel: 'auto', message: { type: 'text', text: '您好' } },
      zh: ['消息内容: 你好 → 您好'],
      en: ['Message: 你好 → 您好'],
    },
    {
      scope: 'document',
      before: { settings: { entry: { reentry: 'once' }, goal: null } },
      after: { settings: { entry: { reentry: 'after_exit' }, goal: null } },
      zh: ['重复进入: 每位粉丝只进入一次 → 上一次旅程结束后可再次进入'],
      en: ['Re-entry: Once per follower, ever → Again after the previous journey ended'],
    },
    { scope: 'wait.delay', before: { duration: '1d' }, after: { duration: '1d' }, zh: [], en: [] },
  ] as { scope: LabelScope; before: unknown; after: unknown; zh: string[]; en: string[] }[])(
    '$scope',
    ({ scope, before, after, zh: zhLines, en: enLines }) => {
      const changes = fieldChanges(scope, before, after);
      expect(zh(changes)).toEqual(zhLines);
      expect(en(changes)).toEqual(enLines);
    },
  );
});
