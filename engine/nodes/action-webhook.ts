import { z } from 'zod';
import { bi } from '../schema/i18n';
import { defineNode, NEXT } from './spec';

/** POSTs JSON to the brand's system, signed with the brand secret (HMAC-SHA256 header). */
export const actionWebhook = defineNode({
  kind: 'action.webhook',
  category: 'action',
  title: { 'zh-CN': 'Webhook', en: 'Webhook' },
  config: z.strictObject({
    url: z
      .string()
      .regex(/^https?:\/\/[^\s/]+\S*$/, bi('should be an http(s) URL', '应为 http(s) 地址')),
    body: z.record(z.string(), z.json()).optional(),
  }),
  fields: {
    url: { en: 'URL', 'zh-CN': '地址' },
    body: { en: 'JSON body', 'zh-CN': 'JSON 内容', optional: true, type: 'keyed' },
  },
  ports: () => NEXT,
  plan: (c) => c,
});
