/**
 * Rendering `{{follower.*}}`, `{{coupon.*}}`, `{{event.*}}` (and `{{params.*}}`) into message
 * text with mustache, HTML escaping off: WeChat messages are plain text, and "&" must stay "&".
 * Unknown variables are caught by `validate` before a flow can publish; here they render empty.
 */
import Mustache from 'mustache';
import type { EventFact, FollowerFact } from './rules/facts';
import type { PushMessage } from './schema/message';

export interface RenderVars {
  follower?: Partial<FollowerFact>;
  coupon?: { code: string; expiresAt?: string | null } | null;
  event?: EventFact | Record<string, unknown>;
  params?: Record<string, string>;
}

const noEscape = (s: string) => s;

export function renderText(template: string, vars: RenderVars): string {
  if (!template.includes('{{')) return template;
  return Mustache.render(template, vars, undefined, { escape: noEscape });
}

/** Renders every string of a value (a push message, a webhook body). */
export function renderDeep<T>(value: T, vars: RenderVars): T {
  if (typeof value === 'string') return renderText(value, vars) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars)])) as T;
  }
  return value;
}

/**
 * `{{coupon.*}}` as a follower reads it: the code, and for `expiresAt` the last day the code is
 * good (YYYY-MM-DD in the brand's time zone, fixed when it was issued) — empty when it never
 * expires, which publishing warns about (W_COUPON_NO_EXPIRY).
 */
export function couponVars(
  coupon: { code: string; expiresOn?: string | null } | null,
): RenderVars['coupon'] {
  return coupon ? { code: coupon.code, expiresAt: coupon.expiresOn ?? '' } : null;
}

export function renderMessage(message: PushMessage, vars: RenderVars): PushMessage {
  return renderDeep(message, vars);
}
