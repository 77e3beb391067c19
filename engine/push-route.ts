/**
 * How a push finds its way to a fan, in one place (docs/wechat.md#pushing-messages,
 * docs/product.md#governance): what stops it before any channel is tried, and in which
 * order; which channel its content and the node's setting allow; and what happens when no
 * customer-service quota is open. The push activity (workflows/activities/push.ts) asks these
 * with facts read from the database, the simulator (engine/simulate) with facts it keeps in
 * memory — so a simulated push takes the channel a real one would.
 */
import type { QuotaRefusal } from './quota';
import type { PushChannel, PushMessage } from './schema/message';

/** What stops a push before any channel is tried, checked in this order. */
export const PUSH_BLOCKS = [
  'unfollowed',
  'frequency_cap',
  'brand_frequency_cap',
  'repeat_content',
] as const;
export type PushBlock = (typeof PUSH_BLOCKS)[number];

/**
 * The first block that holds, asking each in order (and no further once one holds: the
 * activity's checks read the database).
 */
export async function firstBlock(
  holds: Record<PushBlock, () => boolean | Promise<boolean>>,
): Promise<PushBlock | null> {
  for (const block of PUSH_BLOCKS) if (await holds[block]()) return block;
  return null;
}

/** The channel a push's content and its node's setting allow, or why it cannot go out. */
export function pushChannel(
  content: PushMessage['type'],
  requested: PushChannel,
):
  | { via: 'template' | 'customer_service' }
  | { skip: 'template_not_customer_service' | 'not_a_template' } {
  if (content === 'template')
    return requested === 'customer_service'
      ? { skip: 'template_not_customer_service' }
      : { via: 'template' };
  return requested === 'template' ? { skip: 'not_a_template' } : { via: 'customer_service' };
}

/** What a mass send can carry of a push's content: text and images (by media_id). */
export function massable(content: PushMessage['type']): boolean {
  return content === 'text' || content === 'image';
}

/**
 * A customer-service push found no quota: its template fallback goes out, or (a broadcast's
 * `auto` push of massable content) it joins the day's mass send, or it is skipped — each
 * recorded with the quota's refusal as the reason.
 */
export function whenQuotaRefused(
  refusal: QuotaRefusal,
  push: {
    hasFallback: boolean;
    requested: PushChannel;
    broadcast: boolean;
    content: PushMessage['type'];
  },
): { via: 'fallback' | 'mass' | 'skip'; reason: QuotaRefusal } {
  if (push.hasFallback) return { via: 'fallback', reason: refusal };
  if (push.requested === 'auto' && push.broadcast && massable(push.content))
    return { via: 'mass', reason: refusal };
  return { via: 'skip', reason: refusal };
}
