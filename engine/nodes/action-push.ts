import { z } from 'zod';
import { bi } from '../schema/i18n';
import { PushChannel, PushMessage, TemplateMessage } from '../schema/message';
import { defineNode, NEXT, type ResourceRef } from './spec';
import { CHANNEL_OPTIONS, FALLBACK_FIELDS, MESSAGE_FIELDS, under } from '../schema/labels';

/**
 * The template messages a push may send, with their paths in its config: its `message` when it
 * is one, and its `fallback` when it has one. Publishing checks each against the brand's
 * templates (engine/validate/template-messages.ts).
 */
export function pushTemplateMessages(
  config: unknown,
): { message: TemplateMessage; path: (string | number)[] }[] {
  if (typeof config !== 'object' || config === null) return [];
  const out: { message: TemplateMessage; path: (string | number)[] }[] = [];
  for (const key of ['message', 'fallback']) {
    const m = (config as Record<string, unknown>)[key] as Partial<TemplateMessage> | undefined;
    if (m?.type === 'template' && typeof m.templateId === 'string')
      out.push({ message: m as TemplateMessage, path: [key] });
  }
  return out;
}

/**
 * Sends a message through the channel the follower can receive now
 * (docs/wechat.md#pushing-messages): `customer_service` only as a customer-service message,
 * `template` only as a template message, `auto` as a customer-service message while the
 * follower's quota is open (engine/quota.ts), else as its `fallback` template message, else
 * not at all (recorded with the reason).
 */
export const actionPush = defineNode({
  kind: 'action.push',
  category: 'action',
  title: { 'zh-CN': '推送消息', en: 'Push message' },
  config: z
    .strictObject({
      message: PushMessage,
      channel: PushChannel.default('auto'),
      fallback: TemplateMessage.optional(),
    })
    .superRefine((c, ctx) => {
      if (c.channel === 'template' && c.message.type !== 'template') {
        ctx.addIssue({
          code: 'custom',
          path: ['channel'],
          message: bi(
            'the template channel can only send a template message',
            '模板消息通道只能发送模板消息',
          ),
        });
      }
      if (c.channel === 'customer_service' && c.message.type === 'template') {
        ctx.addIssue({
          code: 'custom',
          path: ['channel'],
          message: bi(
            'a template message cannot go through customer service',
            '模板消息不能通过客服消息发送',
          ),
        });
      }
      if (c.fallback && c.channel !== 'auto') {
        ctx.addIssue({
          code: 'custom',
          path: ['fallback'],
          message: bi(
            'a template fallback is only used when the channel is chosen automatically',
            '只有自动选择发送渠道时才会使用备用模板消息',
          ),
        });
      } else if (c.fallback && c.message.type === 'template') {
        ctx.addIssue({
          code: 'custom',
          path: ['fallback'],
          message: bi(
            'the message is a template message already: it needs no fallback',
            '消息本身就是模板消息，无需备用模板消息',
          ),
        });
      }
    }),
  fields: {
    channel: { en: 'Channel', 'zh-CN': '发送渠道', options: CHANNEL_OPTIONS },
    message: { en: 'Message', 'zh-CN': '消息', group: true },
    ...under('message', MESSAGE_FIELDS),
    fallback: {
      en: 'Template fallback',
      'zh-CN': '备用模板消息',
      group: true,
      optional: true,
    },
    ...under('fallback', FALLBACK_FIELDS),
  },
  ports: () => NEXT,
  plan: (c) => c,
  resources: (c) =>
    pushTemplateMessages(c).map(({ message, path }): ResourceRef => ({
      kind: 'template',
      value: message.templateId,
      path: [...path, 'templateId'],
      use: 'ref',
    })),
});
