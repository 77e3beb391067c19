/**
 * WeChat's customer-service quota, in one place (docs/wechat.md#customer-service-messages-and-quotas):
 * only a fan's own action lets an account send customer-service messages, and how many
 * depends on the action —
 *
 * - a message from the fan (text, image, voice, a location message, …): 5 within 48 hours;
 * - a follow, a parametric QR scan, a menu `click` / `scancode_push` / `scancode_waitmsg`:
 *   3 within 1 minute.
 *
 * Quotas do not add up: a new action sets the count left to its own quota and the expiry to
 * the later of the old and the new one. The callback opens quotas with `openQuota`, the push
 * activity spends them with `takeQuota`, the validator follows them along a flow's paths
 * with `QUOTA_RULES`, and the sandbox tests compare the sandbox with this model.
 */

/** What each kind of action opens. */
export const QUOTA_RULES = {
  /** A message from the fan. */
  message: { messages: 5, withinMs: 48 * 3_600_000 },
  /** A follow, a QR scan, a `click` or `scancode_*` menu button. */
  event: { messages: 3, withinMs: 60_000 },
} as const;
export type QuotaKind = keyof typeof QUOTA_RULES;
export const QUOTA_KINDS = Object.keys(QUOTA_RULES) as QuotaKind[];

/** A follower's open (or spent, or expired) quota. Times in epoch milliseconds. */
export interface Quota {
  kind: QuotaKind;
  left: number;
  expiresAt: number;
}

/** Why no customer-service message can go out now: none open, or the open one is used up. */
export type QuotaRefusal = 'quota_closed' | 'quota_used';

/** Events (as WeChat names them, any case) that open a 3-in-1-minute quota. */
const EVENT_OPENERS = new Set(['subscribe', 'scan', 'click', 'scancode_push', 'scancode_waitmsg']);

/**
 * The quota a callback opens, from its `MsgType` and (for events) `Event`; null: none (an
 * unfollow, a `view` click, a reported location, a template-send receipt, …).
 */
export function quotaOpenedBy(msgType: string, event?: string | null): QuotaKind | null {
  const type = msgType.toLowerCase();
  if (type === 'event') return EVENT_OPENERS.has((event ?? '').toLowerCase()) ? 'event' : null;
  return type === '' ? null : 'message';
}

/**
 * The quota one of our events opens (the callback stores WeChat's messages and events as
 * these): a follow, a scan or a menu tap opens the event quota, a keyword (a fan's text)
 * the message quota; a reported location, an unfollow and the events API's events none.
 */
export function quotaOpenedByEvent(type: string): QuotaKind | null {
  switch (type) {
    case 'follow':
      return quotaOpenedBy('event', 'subscribe');
    case 'qr_scan':
      return quotaOpenedBy('event', 'scan');
    case 'menu_click':
      return quotaOpenedBy('event', 'click');
    case 'keyword':
      return quotaOpenedBy('text');
    default:
      return null;
  }
}

/** The quota after an action of `kind` at `at`: the count reset, the later expiry kept. */
export function openQuota(previous: Quota | null, kind: QuotaKind, at: number): Quota {
  const rule = QUOTA_RULES[kind];
  const expiresAt = Math.max(previous?.expiresAt ?? 0, at + rule.withinMs);
  return { kind, left: rule.messages, expiresAt };
}

/** Null when a customer-service message may go out at `now`; otherwise why not. */
export function quotaRefusal(quota: Quota | null, now: number): QuotaRefusal | null {
  if (!quota || quota.expiresAt <= now) return 'quota_closed';
  return quota.left > 0 ? null : 'quota_used';
}

/** Spends one message of the quota at `now`, or says why it cannot. */
export function takeQuota(
  quota: Quota | null,
  now: number,
): { ok: true; quota: Quota } | { ok: false; reason: QuotaRefusal } {
  const refusal = quotaRefusal(quota, now);
  if (refusal) return { ok: false, reason: refusal };
  return { ok: true, quota: { ...quota!, left: quota!.left - 1 } };
}
