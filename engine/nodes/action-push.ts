import { z } from 'zod';
import { bi } from '../schema/i18n';
import { PushChannel, PushMessage } from '../schema/message';
import { defineNode, NEXT } from './spec';

/** Sends a message through the channel the follower can receive now (WECHAT.md). */
export const actionPush = defineNode({
  kind: 'action.push',
  category: 'action',
  title: { 'zh-CN': '推送消息', en: 'Push message' },
  config: z
    .strictObject({ message: PushMessage, channel: PushChannel.default('auto') })
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
    }),
  ports: () => NEXT,
  plan: (c) => c,
  resources: (c) =>
    c.message.type === 'template'
      ? [
          {
            kind: 'template',
            value: c.message.templateId,
            path: ['message', 'templateId'],
            use: 'ref',
          },
        ]
      : [],
});
