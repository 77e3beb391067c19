/**
 * action.push: renders the message and sends it through the channel the follower can receive
 * now (WECHAT.md): a customer-service message inside the 48-hour window, a template message for
 * template content; otherwise it records why nothing was sent. Every push leaves a `messages`
 * row keyed by the step visit, so a retried activity never sends twice: a row still 'pending'
 * means an earlier attempt died mid-send, and the push is not repeated (at most once).
 */
import { and, eq, ne, or, sql } from 'drizzle-orm';
import { buildEventFact, buildFollowerFact } from '../../engine/rules/facts';
import { renderMessage } from '../../engine/render';
import { durationMs } from '../../engine/schema/duration';
import type { PushMessage } from '../../engine/schema/message';
import type { Db } from '../../db/client';
import { loadFollowerRecord } from '../../db/follower-facts';
import { brands, flows, followers, journeys, messages, messageTemplates } from '../../db/schema';
import type { CustomMessage } from '../../wechat/api-types';
import { isWechatError } from '../../wechat/errors';
import { stepKey, type IssuedCoupon, type PushResult, type StepRef } from '../journey-types';
import { writeStep } from './bookkeeping';
import type { WechatClients } from './wechat-clients';

const WINDOW_MS = 48 * 3600_000;

/** WeChat's answer → our outcome; null: not processed by WeChat, worth a retry. */
function outcomeOf(
  error: unknown,
): { outcome: 'skipped' | 'failed'; errcode: number | null; reason: string } | null {
  if (!isWechatError(error)) throw error;
  if (error.kind === 'api') {
    const errcode = error.errcode;
    if (errcode === 45009 || errcode === -1) return null;
    const reason =
      errcode === 45015
        ? 'window_closed'
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

function customMessage(touser: string, m: PushMessage): CustomMessage {
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

/** Second key of the per-follower advisory lock taken while checking the brand-wide cap. */
const BRAND_CAP_LOCK = 7_301;

export function pushActivities({ db, wechat }: { db: Db; wechat: WechatClients }) {
  type Recorded = PushResult & { outcome: 'sent' | 'skipped' | 'failed' };
  async function finish(ref: StepRef, key: string, result: Recorded): Promise<PushResult> {
    await db.transaction(async (tx) => {
      await tx
        .update(messages)
        .set({
          outcome: result.outcome,
          channel: result.channel,
          errcode: result.errcode,
          reason: result.reason,
          ...(result.outcome === 'sent' ? { sentAt: sql`now()` } : {}),
        })
        .where(eq(messages.idempotencyKey, key));
      if (result.outcome === 'sent' && result.channel === 'customer_service') {
        await tx
          .update(followers)
          .set({ windowMessagesSent: sql`${followers.windowMessagesSent} + 1` })
          .where(eq(followers.id, ref.context.followerId));
      }
      await writeStep(
        tx,
        ref,
        result.outcome === 'failed'
          ? 'failed'
          : result.outcome === 'skipped'
            ? 'skipped'
            : 'completed',
        {
          reason: result.reason,
          output: { channel: result.channel, errcode: result.errcode },
        },
      );
    });
    return result;
  }

  return {
    async pushMessage(input: {
      ref: StepRef;
      message: PushMessage;
      channel: 'auto' | 'customer_service' | 'template';
      coupon: IssuedCoupon | null;
      frequencyCap: { max: number; perMs: number } | null;
    }): Promise<PushResult> {
      const { ref } = input;
      const key = stepKey(ref);
      const [earlier] = await db.select().from(messages).where(eq(messages.idempotencyKey, key));
      if (earlier && earlier.outcome !== 'pending') {
        return {
          outcome: earlier.outcome as Exclude<PushResult['outcome'], 'held'>,
          channel: earlier.channel as PushResult['channel'],
          errcode: earlier.errcode,
          reason: earlier.reason,
        };
      }
      // A paused flow holds its pushes (PRODUCT.md): nothing is recorded, the journey retries.
      if (!earlier) {
        const [flow] = await db
          .select({ status: flows.status })
          .from(flows)
          .where(eq(flows.id, ref.context.flowId));
        if (flow?.status === 'paused')
          return { outcome: 'held', channel: null, errcode: null, reason: 'flow_paused' };
      }
      if (earlier)
        return finish(ref, key, {
          outcome: 'failed',
          channel: earlier.channel as PushResult['channel'],
          errcode: null,
          reason: 'delivery_unknown',
        });

      const follower = await loadFollowerRecord(db, ref.context.followerId);
      const rendered = renderMessage(input.message, {
        follower: follower ? buildFollowerFact(follower) : {},
        coupon: input.coupon,
        event: buildEventFact(ref.context.event),
      });
      const channel = rendered.type === 'template' ? 'template' : 'customer_service';
      const pending: typeof messages.$inferInsert = {
        brandId: ref.context.brandId,
        followerId: ref.context.followerId,
        journeyId: ref.context.journeyId,
        idempotencyKey: key,
        channel,
        msgType: rendered.type,
        content: rendered as unknown as Record<string, unknown>,
      };
      // The brand-wide cap counts what every flow sent this follower, and the pushes other
      // journeys have begun (PRODUCT.md: governance). Recording this push and counting happen
      // under a per-follower lock, so of two journeys pushing at once the later sees the first.
      const [brand] = await db
        .select({ cap: brands.frequencyCap })
        .from(brands)
        .where(eq(brands.id, ref.context.brandId));
      const cap = brand?.cap ?? null;
      const overBrandCap = async (brandCap: { max: number; per: string }) =>
        db.transaction(async (tx) => {
          await tx.execute(
            sql`select pg_advisory_xact_lock(hashtextextended(${ref.context.followerId}, ${BRAND_CAP_LOCK}))`,
          );
          await tx.insert(messages).values(pending).onConflictDoNothing();
          const since = sql`now() - ${durationMs(brandCap.per)} * interval '1 millisecond'`;
          const [row] = await tx
            .select({ n: sql<number>`count(*)::int` })
            .from(messages)
            .where(
              and(
                eq(messages.followerId, ref.context.followerId),
                ne(messages.idempotencyKey, key),
                or(
                  and(eq(messages.outcome, 'sent'), sql`${messages.sentAt} > ${since}`),
                  and(eq(messages.outcome, 'pending'), sql`${messages.createdAt} > ${since}`),
                ),
              ),
            );
          return (row?.n ?? 0) >= brandCap.max;
        });
      // Without a brand-wide cap, recording the push is one insert (no lock, no transaction).
      const overCap = cap
        ? await overBrandCap(cap)
        : (await db.insert(messages).values(pending).onConflictDoNothing(), false);

      const skip = (reason: string) =>
        finish(ref, key, { outcome: 'skipped', channel: null, errcode: null, reason });
      if (!follower?.subscribed) return skip('unfollowed');
      if (input.frequencyCap) {
        const [row] = await db
          .select({ n: sql<number>`count(*)::int` })
          .from(messages)
          .innerJoin(journeys, eq(journeys.id, messages.journeyId))
          .where(
            and(
              eq(messages.followerId, ref.context.followerId),
              eq(journeys.flowId, ref.context.flowId),
              eq(messages.outcome, 'sent'),
              sql`${messages.sentAt} > now() - ${input.frequencyCap.perMs} * interval '1 millisecond'`,
            ),
          );
        if ((row?.n ?? 0) >= input.frequencyCap.max) return skip('frequency_cap');
      }
      if (overCap) return skip('brand_frequency_cap');
      const [window] = await db
        .select({ openedAt: followers.windowOpenedAt })
        .from(followers)
        .where(eq(followers.id, ref.context.followerId));
      if (channel === 'customer_service') {
        const open = window?.openedAt && Date.now() - window.openedAt.getTime() < WINDOW_MS;
        if (!open) return skip('window_closed');
      }

      const { client } = await wechat.forBrand(ref.context.brandId);
      try {
        if (rendered.type === 'template') {
          const [template] = await db
            .select({ wechatId: messageTemplates.wechatTemplateId })
            .from(messageTemplates)
            .where(
              and(
                eq(messageTemplates.brandId, ref.context.brandId),
                eq(messageTemplates.name, rendered.templateId),
              ),
            );
          await client.sendTemplateMessage({
            touser: ref.context.openid,
            template_id: template?.wechatId ?? rendered.templateId,
            ...(rendered.url ? { url: rendered.url } : {}),
            ...(rendered.miniprogram
              ? {
                  miniprogram: {
                    appid: rendered.miniprogram.appId,
                    pagepath: rendered.miniprogram.pagePath,
                  },
                }
              : {}),
            data: Object.fromEntries(
              Object.entries(rendered.data).map(([k, v]) => [k, { value: v }]),
            ),
            // WeChat drops a second send with the same client_msg_id.
            client_msg_id: key.slice(0, 64),
          });
        } else {
          await client.sendCustomMessage(customMessage(ref.context.openid, rendered));
        }
      } catch (error) {
        const outcome = outcomeOf(error);
        if (!outcome) {
          // Not processed by WeChat: forget the attempt, let Temporal retry with backoff.
          await db
            .delete(messages)
            .where(and(eq(messages.idempotencyKey, key), eq(messages.outcome, 'pending')));
          throw error;
        }
        return finish(ref, key, { ...outcome, channel });
      }
      return finish(ref, key, { outcome: 'sent', channel, errcode: null, reason: null });
    },
  };
}
