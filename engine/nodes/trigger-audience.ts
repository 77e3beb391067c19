import { z } from 'zod';
import { bi } from '../schema/i18n';
import { leaves, Rules } from '../schema/rules';
import { defineNode, NEXT, ruleResources } from './spec';
import { ruleFields } from '../schema/labels';

/** A targeted broadcast: once, at `at`, every subscribed follower matching `audience`. */
export const triggerAudience = defineNode({
  kind: 'trigger.audience',
  category: 'trigger',
  title: { 'zh-CN': '定向群发', en: 'Audience' },
  config: z
    .strictObject({
      at: z.iso.datetime({
        offset: true,
        local: true,
        message: bi(
          'should be a date and time such as 2025-06-18T10:00:00+08:00',
          '应为 ISO 日期时间，例如 2025-06-18T10:00:00+08:00',
        ),
      }),
      audience: Rules,
    })
    .superRefine((c, ctx) => {
      // The audience is selected in SQL over followers: only follower facts exist there.
      for (const { leaf, path } of leaves(c.audience)) {
        if (leaf.fact !== 'follower') {
          ctx.addIssue({
            code: 'custom',
            path: ['audience', ...path, 'fact'],
            message: bi(
              'an audience can only use conditions on the follower',
              '定向人群只能使用关于粉丝的条件',
            ),
          });
        }
      }
    }),
  fields: {
    at: { en: 'Send at', 'zh-CN': '发送时间' },
    ...ruleFields('audience', { en: 'Who receives it', 'zh-CN': '目标人群' }),
  },
  ports: () => NEXT,
  plan: (c) => c,
  opensQuota: null,
  entry: (nodeId, c) => ({ kind: 'broadcast', nodeId, at: c.at, audience: c.audience }),
  resources: (c) => ruleResources(c.audience, ['audience']),
});
