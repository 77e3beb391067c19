/**
 * A rendered push (engine/schema/message) as WeChat's APIs take it, and WeChat's refusal of a
 * push as our outcome — shared by the journey's push activity (workflows/activities/push.ts)
 * and the test send (services/test-sends), so a test message goes out exactly as a real one.
 */
import type { PushMessage, TemplateMessage } from '../../engine/schema/message';
import type {
  CustomMessage,
  TemplateMessage as WechatTemplateMessage,
} from '../../wechat/api-types';
import { isWechatError } from '../../wechat/errors';

/** A customer-service message (`message/custom/send`); a template message has its own channel. */
export function customMessage(touser: string, m: PushMessage): CustomMessage {
  switch (m.type) {
    case 'text':
      return { touser, msgtype: 'text', text: { content: m.text } };
    case 'image':
      return { touser, msgtype: 'image', image: { media_id: m.mediaId } };
    case 'news':
      return {
        touser,
        msgtype: 'news',
        news: {
          articles: m.articles.map((a) => ({
            title: a.title,
            description: a.description,
            url: a.url,
            picurl: a.picUrl,
          })),
        },
      };
    case 'miniprogram':
      return {
        touser,
        msgtype: 'miniprogrampage',
        miniprogrampage: {
          title: m.title,
          appid: m.appId,
          pagepath: m.pagePath,
          thumb_media_id: m.thumbMediaId,
        },
      };
    case 'template':
      throw new Error('template messages go through the template channel');
  }
}

/**
 * A template message (`message/template/send`): `wechatTemplateId` is WeChat's id of the
 * template the message names (message_templates maps our name to it).
 */
export function templateMessage(
  touser: string,
  wechatTemplateId: string,
  m: TemplateMessage,
  clientMsgId?: string,
): WechatTemplateMessage {
  return {
    touser,
    template_id: wechatTemplateId,
    ...(m.url ? { url: m.url } : {}),
    ...(m.miniprogram
      ? { miniprogram: { appid: m.miniprogram.appId, pagepath: m.miniprogram.pagePath } }
      : {}),
    data: Object.fromEntries(Object.entries(m.data).map(([k, v]) => [k, { value: v }])),
    // WeChat drops a second send with the same client_msg_id.
    ...(clientMsgId ? { client_msg_id: clientMsgId } : {}),
  };
}

/** What WeChat's refusal of a push means (reasons: engine/outcomes.ts). */
export interface PushRefusal {
  outcome: 'skipped' | 'failed';
  errcode: number | null;
  reason: string;
}

/**
 * WeChat's answer → our outcome: 45015 `quota_closed`, 45047 `quota_used`, 43004 `unfollowed`
 * (skipped), another errcode `refused` (failed), a timeout or broken connection
 * `delivery_unknown`; null: not processed by WeChat (45009, -1, HTTP 5xx/429), worth a retry.
 * Anything but a WechatError is thrown again.
 */
export function pushOutcome(error: unknown): PushRefusal | null {
  if (!isWechatError(error)) throw error;
  if (error.kind === 'api') {
    const errcode = error.errcode;
    if (errcode === 45009 || errcode === -1) return null;
    const reason =
      errcode === 45015
        ? 'quota_closed'
        : errcode === 45047
          ? 'quota_used'
          : errcode === 43004
            ? 'unfollowed'
            : 'refused';
    return { outcome: reason === 'refused' ? 'failed' : 'skipped', errcode, reason };
  }
  if (
    error.kind === 'http' &&
    error.status !== null &&
    (error.status >= 500 || error.status === 429)
  )
    return null;
  // A timeout or a broken connection: WeChat may have delivered it. Do not send again.
  return { outcome: 'failed', errcode: null, reason: 'delivery_unknown' };
}
