/**
 * What `action.push` sends. Shapes follow what the WeChat channels accept
 * (docs/wechat.md#pushing-messages) in camelCase; every string may carry `{{follower.*}}`,
 * `{{coupon.*}}`, `{{event.*}}`.
 */
import { z } from 'zod';
import { bi } from './i18n';

const Text = z.string().trim().min(1, bi('must not be empty', '不能为空'));
const Url = z
  .string()
  .regex(
    /^(https?:\/\/\S+|\{\{[^}]+\}\}\S*)$/,
    bi('should be an http(s) link', '应为 http(s) 链接'),
  );

export const Article = z.strictObject({
  title: Text,
  description: z.string().optional(),
  url: Url,
  picUrl: Url.optional(),
});

/**
 * A template message's data: `{key: "text"}`, or WeChat's documented shape
 * `{key: {value: "text", color?}}` pasted from its docs — normalised to the first when parsed.
 * WeChat has ignored `color` since May 2023 (docs/architecture.md), so it is dropped.
 */
export const TemplateData = z.record(
  z.string(),
  z.union([
    z.string(),
    z.strictObject({ value: z.string(), color: z.string().optional() }).transform((v) => v.value),
  ]),
);

/** WeChat's shape → ours, for a stored draft (unparseable data is left for validation). */
export function normaliseTemplateData(data: unknown): unknown {
  if (
    data === null ||
    typeof data !== 'object' ||
    Object.values(data).every((v) => typeof v === 'string')
  )
    return data;
  const parsed = TemplateData.safeParse(data);
  return parsed.success ? parsed.data : data;
}

/** A template message: one of the account's templates, a value per keyword. */
export const TemplateMessage = z.strictObject({
  type: z.literal('template'),
  templateId: Text,
  data: TemplateData,
  url: Url.optional(),
  miniprogram: z.strictObject({ appId: Text, pagePath: Text }).optional(),
});
export type TemplateMessage = z.infer<typeof TemplateMessage>;

export const PushMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: Text.max(2000) }),
  // A news message goes only through customer service, where WeChat takes exactly one
  // article (more: 45008).
  z.strictObject({
    type: z.literal('news'),
    articles: z
      .array(Article)
      .min(1)
      .max(
        1,
        bi(
          'a news message carries one article: WeChat refuses more',
          '图文消息只能包含一篇文章，微信不接受多篇',
        ),
      ),
  }),
  z.strictObject({ type: z.literal('image'), mediaId: Text }),
  TemplateMessage,
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
