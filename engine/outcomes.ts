/**
 * What happened to a follower, in a marketer's words (zh-CN and en): why a push was skipped or
 * failed, why a step failed, how a journey ended, which channel a message took — and the
 * timeline's sentences built from them. The one place these words live: the follower API
 * (services/analytics/timeline.ts), the CLI and the UI all read them from here.
 */
import type { LocalizedText } from './issues';
import { portName, stepName } from './labels';
import type { PushMessage } from './schema/message';

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

/** Reasons recorded on steps, messages and journeys (workflows/activities, journey.ts). */
export const REASONS: Record<string, LocalizedText> = {
  // A push that was not sent.
  quota_closed: t(
    'WeChat allows no customer-service message now: the fan has not written, followed, scanned or tapped a menu recently (a message opens 48 hours, an event 1 minute).',
    '微信现在不允许发送客服消息：粉丝近期没有发消息、关注、扫码或点击菜单（发消息可开启 48 小时，事件可开启 1 分钟）。',
  ),
  quota_used: t(
    'WeChat allows no more customer-service messages now: the ones the fan’s last action allowed are used up.',
    '微信现在不允许再发送客服消息：粉丝上次互动所允许的条数已用完。',
  ),
  unfollowed: t('The fan no longer follows the account.', '粉丝已取消关注公众号。'),
  repeat_content: t(
    'The fan received exactly this content on each of the two days before; it is never sent three days running.',
    '粉丝前两天每天都收到了完全相同的内容；同样的内容不会连续三天发送。',
  ),
  frequency_cap: t(
    'The flow’s frequency cap for this fan was reached.',
    '已达到该流程对此粉丝的发送频率上限。',
  ),
  brand_frequency_cap: t(
    'The brand-wide frequency cap for this fan was reached.',
    '已达到品牌对此粉丝的整体发送频率上限。',
  ),
  template_not_customer_service: t(
    'A template message cannot go out as a customer-service message.',
    '模板消息不能作为客服消息发送。',
  ),
  not_a_template: t(
    'Only a template message can go out on the template channel.',
    '只有模板消息才能通过模板消息渠道发送。',
  ),
  refused: t('WeChat refused the message.', '微信拒绝了这条消息。'),
  delivery_unknown: t(
    'WeChat did not answer in time; the message may have arrived, so it was not sent again.',
    '微信没有及时回应；消息可能已送达，因此没有重发。',
  ),
  quiet_hours: t(
    'Held until the end of the flow’s quiet hours.',
    '等到流程的免打扰时段结束后再发送。',
  ),
  flow_paused: t('Held while the flow is paused.', '流程暂停期间暂缓发送。'),
  // A step that failed.
  unknown_pool: t('The coupon pool no longer exists.', '券池已不存在。'),
  pool_empty: t('The coupon pool has no code left.', '券池中已没有可发放的券码。'),
  unknown_menu: t('The menu no longer exists.', '菜单已不存在。'),
  menu_not_published: t('The menu was never published to WeChat.', '该菜单尚未发布到微信。'),
  tag_refused: t('WeChat refused some of the tags.', '微信拒绝了部分标签。'),
  webhook_refused: t('The webhook’s address is not allowed.', 'Webhook 地址不在允许范围内。'),
  // How a journey ended.
  exit_event: t('An event the flow exits on happened.', '发生了流程设定的退出事件。'),
  goal: t('The fan reached the flow’s goal.', '粉丝达成了流程目标。'),
  archived: t('The flow was archived.', '流程已归档。'),
  coupon_redeemed: t('A coupon issued by the journey was redeemed.', '旅程发放的优惠券已核销。'),
};

/** A reason's sentence; an unknown one is named by its code, never dropped. */
export function reasonText(reason: string): LocalizedText {
  const known = REASONS[reason];
  if (known) return known;
  const http = /^http_(\d{3})$/.exec(reason);
  if (http) return t(`The webhook answered HTTP ${http[1]}.`, `Webhook 返回了 HTTP ${http[1]}。`);
  const failure = /^E_([A-Z_]+)$/.exec(reason);
  if (failure && REASONS[failure[1]!.toLowerCase()]) return REASONS[failure[1]!.toLowerCase()]!;
  return t(`Reason: ${reason}.`, `原因：${reason}。`);
}

export const CHANNELS: Record<string, LocalizedText> = {
  customer_service: t('a customer-service message', '客服消息'),
  template: t('a template message', '模板消息'),
  passive_reply: t('a reply', '被动回复'),
  subscribe: t('a subscription message', '订阅消息'),
  mass: t('a broadcast', '群发'),
};

export const channelText = (channel: string): LocalizedText =>
  CHANNELS[channel] ?? t(channel, channel);

/** Two sentences side by side, in both languages. */
function join(...parts: (LocalizedText | null | undefined)[]): LocalizedText {
  const some = parts.filter((p): p is LocalizedText => !!p);
  return { en: some.map((p) => p.en).join(' '), 'zh-CN': some.map((p) => p['zh-CN']).join('') };
}

/** An event the fan caused, as stored (events.type / name / payload). */
export function eventText(
  type: string,
  name: string | null,
  payload: Record<string, unknown>,
): LocalizedText {
  const s = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  switch (type) {
    case 'follow':
      return payload.scene
        ? t(
            `Followed the account by scanning the QR code “${s(payload.scene)}”${payload.firstTime === false ? ' (again)' : ''}.`,
            `扫描二维码“${s(payload.scene)}”关注了公众号${payload.firstTime === false ? '（再次关注）' : ''}。`,
          )
        : t('Followed the account.', '关注了公众号。');
    case 'unfollow':
      return t('Unfollowed the account.', '取消关注了公众号。');
    case 'qr_scan':
      return t(`Scanned the QR code “${s(payload.scene)}”.`, `扫描了二维码“${s(payload.scene)}”。`);
    case 'keyword':
      return t(`Wrote: “${s(payload.text)}”.`, `发来消息：“${s(payload.text)}”。`);
    case 'menu_click':
      return t(`Tapped the menu button “${s(payload.key)}”.`, `点击了菜单“${s(payload.key)}”。`);
    case 'menu_view':
      return t(`Opened a menu link.`, `点击了菜单链接。`);
    case 'location':
      return t('Reported their location.', '上报了地理位置。');
    case 'purchase':
      return t(
        `Bought for ${Number(payload.amount ?? 0).toFixed(2)} ${s(payload.currency) || 'CNY'} (order ${s(payload.orderId)}).`,
        `消费 ${Number(payload.amount ?? 0).toFixed(2)} ${s(payload.currency) || 'CNY'}（订单 ${s(payload.orderId)}）。`,
      );
    case 'profile':
      return t('Their profile was updated.', '资料已更新。');
    case 'tag_added':
      return t(`Was tagged “${s(payload.tag)}”.`, `被打上标签“${s(payload.tag)}”。`);
    case 'custom': {
      if (name === 'coupon_redeemed') {
        const p = (payload.properties ?? {}) as Record<string, unknown>;
        return t(
          `Redeemed the coupon ${s(p.code)}${p.store ? ` at ${s(p.store)}` : ''} (order ${s(p.orderId)}).`,
          `核销了优惠券 ${s(p.code)}${p.store ? `（门店 ${s(p.store)}）` : ''}（订单 ${s(p.orderId)}）。`,
        );
      }
      return t(`Event “${name ?? ''}”.`, `事件“${name ?? ''}”。`);
    }
    default:
      return t(`Event ${type}.`, `事件 ${type}。`);
  }
}

/** A flow in a sentence: 「name」 / "name". */
export const flowName = (name: string): LocalizedText => ({
  en: `"${name}"`,
  'zh-CN': `「${name}」`,
});

export function journeyEnteredText(flow: string): LocalizedText {
  const f = flowName(flow);
  return t(`Entered the flow ${f.en}.`, `进入流程${f['zh-CN']}。`);
}

export function journeyEndedText(
  flow: string,
  status: string,
  reason: string | null,
): LocalizedText {
  const f = flowName(flow);
  switch (status) {
    case 'completed':
      return t(`Finished the flow ${f.en}.`, `完成了流程${f['zh-CN']}。`);
    case 'converted':
      return t(`Left the flow ${f.en} on reaching its goal.`, `达成目标，离开流程${f['zh-CN']}。`);
    case 'exited':
      return join(
        t(`Left the flow ${f.en}:`, `离开了流程${f['zh-CN']}：`),
        reasonText(reason ?? 'exit_event'),
      );
    default:
      return join(
        t(`The flow ${f.en} stopped on an error:`, `流程${f['zh-CN']}因错误中止：`),
        reasonText(reason ?? 'failed'),
      );
  }
}

export function conversionText(flow: string, byCoupon: boolean): LocalizedText {
  const f = flowName(flow);
  return byCoupon
    ? t(
        `Converted in the flow ${f.en}: redeemed the coupon it issued.`,
        `在流程${f['zh-CN']}中转化：核销了其发放的优惠券。`,
      )
    : t(
        `Converted in the flow ${f.en}: reached its goal.`,
        `在流程${f['zh-CN']}中转化：达成了目标。`,
      );
}

/** What a step did, and why (its record: status, reason, output; a push's message). */
export function stepText(
  node: { kind: string; label?: string | undefined },
  step: { status: string; reason: string | null; output: Record<string, unknown> | null },
  message?: { outcome: string; channel: string | null; text: string | null } | null,
): LocalizedText {
  const name = stepName(node);
  const out = step.output ?? {};
  const port = typeof out.port === 'string' ? out.port : null;
  if (step.status === 'failed')
    return join(
      t(`Step ${name.en} failed:`, `步骤${name['zh-CN']}失败：`),
      reasonText(step.reason ?? 'refused'),
    );
  if (step.status === 'entered')
    return step.reason
      ? join(t(`Waiting at ${name.en}:`, `停在${name['zh-CN']}：`), reasonText(step.reason))
      : t(`Waiting at ${name.en}.`, `正在${name['zh-CN']}等待。`);
  switch (node.kind) {
    case 'condition.rules': {
      const p = portName(port ?? 'no');
      return port === 'yes'
        ? t(
            `${name.en}: the rule held, so the ${p.en} branch was taken.`,
            `${name['zh-CN']}：条件成立，走${p['zh-CN']}分支。`,
          )
        : t(
            `${name.en}: the rule did not hold, so the ${p.en} branch was taken.`,
            `${name['zh-CN']}：条件不成立，走${p['zh-CN']}分支。`,
          );
    }
    case 'split.random': {
      const p = portName(port ?? '');
      return t(
        `${name.en}: randomly sent down ${p.en}.`,
        `${name['zh-CN']}：随机分到${p['zh-CN']}。`,
      );
    }
    case 'wait.delay':
    case 'wait.until':
      return t(`Waited at ${name.en}.`, `在${name['zh-CN']}等待结束。`);
    case 'wait.event':
      return port === 'matched'
        ? t(`${name.en}: the awaited event happened.`, `${name['zh-CN']}：等到了事件。`)
        : t(`${name.en}: the wait timed out.`, `${name['zh-CN']}：等待超时。`);
    case 'action.coupon':
      return t(
        `${name.en}: issued the coupon ${String(out.code ?? '')} from “${String(out.pool ?? '')}”.`,
        `${name['zh-CN']}：从“${String(out.pool ?? '')}”发放了优惠券 ${String(out.code ?? '')}。`,
      );
    case 'action.push': {
      const via = channelText(message?.channel ?? 'customer_service');
      if (step.status === 'skipped' || message?.outcome === 'skipped')
        return join(
          t(`${name.en}: not sent as ${via.en}.`, `${name['zh-CN']}：未以${via['zh-CN']}发送。`),
          reasonText(step.reason ?? 'refused'),
        );
      const said = message?.text
        ? t(`: “${message.text}”.`, `：“${message.text}”。`)
        : t('.', '。');
      const sent = t(
        `${name.en}: sent as ${via.en}${said.en}`,
        `${name['zh-CN']}：以${via['zh-CN']}发送${said['zh-CN']}`,
      );
      // A fallback went out, and the record says why the first choice could not.
      return step.reason
        ? join(sent, t('Why not as first chosen:', '未按首选渠道的原因：'), reasonText(step.reason))
        : sent;
    }
    case 'action.tag':
      return step.status === 'skipped'
        ? join(
            t(`${name.en}: no tag changed.`, `${name['zh-CN']}：标签未变。`),
            reasonText(step.reason ?? 'tag_refused'),
          )
        : t(`${name.en}: tags updated.`, `${name['zh-CN']}：已更新标签。`);
    case 'action.menu_swap':
      return t(
        `${name.en}: now shown the menu “${String(out.menu ?? '')}”.`,
        `${name['zh-CN']}：已切换为菜单“${String(out.menu ?? '')}”。`,
      );
    case 'action.update_profile':
      return t(`${name.en}: profile updated.`, `${name['zh-CN']}：已更新资料。`);
    case 'action.webhook':
      return t(`${name.en}: the webhook was called.`, `${name['zh-CN']}：已调用 Webhook。`);
    case 'flow.end':
      return t(`Reached the end ${name.en}.`, `到达终点${name['zh-CN']}。`);
    default:
      return t(`${name.en}: done.`, `${name['zh-CN']}：已完成。`);
  }
}

/**
 * A message as the fan saw it, in a line: its text (a news message's titles, a template's
 * values, a mini program's title), or what stands for it (`[image]`). Reads a stored message
 * (`messages.content`) as well as a rendered PushMessage.
 */
export function messageText(message: PushMessage | Record<string, unknown>): string | null {
  const content = message as Record<string, unknown>;
  switch (content.type) {
    case 'text':
      return typeof content.text === 'string' ? content.text : null;
    case 'news':
      return Array.isArray(content.articles)
        ? content.articles.map((a: { title?: string }) => a.title ?? '').join(' / ')
        : null;
    case 'template':
      return content.data && typeof content.data === 'object'
        ? Object.values(content.data as Record<string, unknown>)
            .map((v) =>
              typeof v === 'object' && v ? String((v as { value?: unknown }).value) : String(v),
            )
            .join(' / ')
        : null;
    case 'miniprogram':
      return typeof content.title === 'string' ? content.title : null;
    default:
      return typeof content.type === 'string' ? `[${content.type}]` : null;
  }
}

/** A quota as the follower page shows it (engine/quota.ts). */
export function quotaText(
  open: { left: number; expiresAt: string } | null,
  refusal: string | null,
): LocalizedText {
  if (!open || refusal) return reasonText(refusal ?? 'quota_closed');
  return t(
    `${open.left} customer-service message(s) may be sent until ${open.expiresAt}.`,
    `在 ${open.expiresAt} 之前还可发送 ${open.left} 条客服消息。`,
  );
}
