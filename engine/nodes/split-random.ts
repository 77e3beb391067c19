import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode } from './spec';

const Branch = z.strictObject({
  port: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]{1,32}$/,
      bi('a branch name is letters, digits, _ or -', '分支名只能包含字母、数字、_ 或 -'),
    ),
  percent: z.number().int().min(0).max(100),
});

/** A/B split; sticky per follower (the workflow hashes the follower into a bucket). */
export const splitRandom = defineNode({
  kind: 'split.random',
  category: 'logic',
  title: { 'zh-CN': '随机分流', en: 'Random split' },
  config: z
    .strictObject({
      branches: z
        .array(Branch)
        .min(2, bi('a split needs at least two branches', '分流至少需要两个分支'))
        .max(10),
    })
    .superRefine((c, ctx) => {
      const total = c.branches.reduce((sum, b) => sum + b.percent, 0);
      if (total !== 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['branches'],
          message: bi('the branch percentages must add up to 100', '各分支百分比之和必须为 100'),
        });
      }
      const seen = new Set<string>();
      c.branches.forEach((b, i) => {
        if (seen.has(b.port)) {
          ctx.addIssue({
            code: 'custom',
            path: ['branches', i, 'port'],
            message: bi('two branches have the same name', '两个分支同名'),
          });
        }
        seen.add(b.port);
      });
    }),
  fields: {
    branches: { en: 'Branches', 'zh-CN': '分支', group: true },
    'branches.*': { en: 'Branch {n}', 'zh-CN': '分支 {n}' },
    'branches.*.port': { en: 'Name', 'zh-CN': '名称' },
    'branches.*.percent': { en: 'Percent', 'zh-CN': '百分比' },
  },
  ports: (c) => c.branches.map((b) => b.port),
  plan: (c) => c,
});
