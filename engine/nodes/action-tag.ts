import { z } from 'zod';
import { bi } from '../schema/i18n';
import { literalPart, tagNameProblem } from '../tag-name';
import { defineNode, NEXT, type ResourceRef } from './spec';

/**
 * WeChat's tag name rule (../tag-name). A name with `{{…}}` placeholders is checked on its
 * literal part here, and in full once rendered at run time (the step records a refusal).
 */
export const TagName = z
  .string()
  .trim()
  .min(1, bi('a tag name must not be empty', '标签名不能为空'))
  .refine(
    (t) => tagNameProblem(t.includes('{{') ? literalPart(t) || 'x' : t) !== 'too_long',
    bi(
      'a tag name is at most 30 bytes (10 Chinese characters)',
      '标签名最多 30 字节（约 10 个汉字）',
    ),
  )
  .refine(
    (t) => tagNameProblem(t) !== 'reserved',
    bi(
      'this tag name is reserved (星标组, or names starting with "menu:", which menu swaps use)',
      '该标签名为保留名称（星标组，或以 “menu:” 开头——菜单切换专用）',
    ),
  );

export const actionTag = defineNode({
  kind: 'action.tag',
  category: 'action',
  title: { 'zh-CN': '打标签', en: 'Tag' },
  config: z
    .strictObject({ add: z.array(TagName).default([]), remove: z.array(TagName).default([]) })
    .superRefine((c, ctx) => {
      if (c.add.length + c.remove.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['add'],
          message: bi('add or remove at least one tag', '至少添加或移除一个标签'),
        });
      }
      c.remove.forEach((t, i) => {
        if (c.add.includes(t)) {
          ctx.addIssue({
            code: 'custom',
            path: ['remove', i],
            message: bi('the same tag is both added and removed', '同一个标签既被添加又被移除'),
          });
        }
      });
    }),
  fields: {
    add: { en: 'Add tags', 'zh-CN': '添加标签' },
    remove: { en: 'Remove tags', 'zh-CN': '移除标签' },
  },
  ports: () => NEXT,
  plan: (c) => c,
  resources: (c) => [
    ...c.add.map((value, i): ResourceRef => ({ kind: 'tag', value, path: ['add', i], use: 'add' })),
    ...c.remove.map((value, i): ResourceRef => ({
      kind: 'tag',
      value,
      path: ['remove', i],
      use: 'ref',
    })),
  ],
});
