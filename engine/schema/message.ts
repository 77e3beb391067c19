/**
 * What `action.push` sends. Shapes follow what the WeChat channels accept (WECHAT.md) in
 * camelCase; every string may carry `{{follower.*}}`, `{{coupon.*}}`, `{{event.*}}`.
 */
import { z } from 'zod';
import { bi } from './i18n';

const Text = z.string().trim().min(1, bi('must not be empty', '不能为空'));
const Url = z
  .string()
  .regex(
    /^(https?:\/\/\S+|\{\{[^}]+\}\}\S*)$/,
    bi('expected an http(s) link', '应为 http(s) 链接'),
  );

export const Article = z.strictObject({
  title: Text,
  description: z.string().optional(),
  url: Url,
  picUrl: Url.optional(),
});

export const PushMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: Text.max(2000) }),
  z.strictObject({ type: z.literal('news'), articles: z.array(Article).min(1).max(8) }),
  z.strictObject({ type: z.literal('image'), mediaId: Text }),
  z.strictObject({
    type: z.literal('template'),
    templateId: Text,
    data: z.record(z.string(), z.string()),
    url: Url.optional(),
    miniprogram: z.strictObject({ appId: Text, pagePath: Text }).optional(),
  }),
  z.strictObject({
    type: z.literal('miniprogram'),
    title: Text,
    appId: Text,
    pagePath: Text,
    thumbMediaId: Text,
  }),
]);
export type PushMessage = z.infer<typeof PushMessage>;

export const PushChannel = z.enum(['auto', 'customer_service', 'template']);
export type PushChannel = z.infer<typeof PushChannel>;
