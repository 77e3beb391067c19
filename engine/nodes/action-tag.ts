import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode, NEXT, type ResourceRef } from './spec';

/** WeChat limits tag names to 30 bytes; a `{{params.x}}` placeholder is checked once bound. */
export const TagName = z
  .string()
  .trim()
  .min(1, bi('a tag name must not be empty', '标签名不能为空'))
  .refine(
    (t) => t.includes('{{') || utf8Length(t) <= 30,
    bi(
      'a tag name is at most 30 bytes (10 Chinese characters)',
      '标签名最多 30 字节（约 10 个汉字）',
    ),
  );

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

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
