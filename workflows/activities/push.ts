/**
 * action.push: renders the message and sends it through the channel the follower can receive
 * now (docs/wechat.md#pushing-messages, docs/product.md#governance): a customer-service
 * message while the follower's quota is open (spent atomically, engine/quota.ts), a template
 * message for template content or as an `auto` push's fallback; in a broadcast, a place in its
 * mass-send batch (`deferred`, sent by activities/mass.ts); otherwise it records why
 * nothing was sent (`quota_closed`, `quota_used`, `unfollowed`, `repeat_content`, …). Every push leaves a
 * `messages` row keyed by the step visit, so a retried activity never sends twice: a row
 * still 'pending' means an earlier attempt died mid-send, and the push is not repeated (at
 * most once).
 */
import { and, eq, ne, or, sql } from 'drizzle-orm';
import { firstBlock, pushChannel, whenQuotaRefused } from '../../engine/push-route';
import { renderMessage } from '../../engine/render';
import { localDate } from '../../engine/time';
import { durationMs } from '../../engine/schema/duration';
import type { PushMessage, TemplateMessage } from '../../engine/schema/message';
import type { Db } from '../../db/client';
import { bumpFlow } from '../../services/analytics/counters';
import { loadFollowerRecord } from '../../services/followers/facts';
import { closeQuota, returnQuota, takeQuota } from '../../services/followers/store';
import { brands, flows, journeys, messages, messageTemplates } from '../../db/schema';
import type { WechatClient } from '../../wechat/client';
import { stepKey, type IssuedCoupon, type PushResult, type StepRef } from '../journey-types';
import { writeStep } from './bookkeeping';
import { massBatchKey } from './mass';
import { journeyVars } from './vars';
import type { WechatClients } from '../../services/wechat/clients';
import {
  customMessage,
  pushOutcome as outcomeOf,
  templateMessage,
} from '../../services/wechat/push-message';

/** Second key of the per-follower advisory lock taken while joining a mass-send batch. */
const MASS_LOCK = 7_302;

/** The journey was entered by a `trigger.audience` broadcast (activities/sweeps.ts's event). */
function isBroadcast(ref: StepRef): boolean {
  const event = ref.context.event;
  return event.type === 'custom' && event.name === 'broadcast' && event.id.startsWith('broadcast:');
}

/** Second key of the per-follower advisory lock taken while checking the brand-wide cap. */
const BRAND_CAP_LOCK = 7_301;

export function pushActivities({ db, wechat }: { db: Db; wechat: WechatClients }) {
  /** What finish() records; a `deferred` push is recorded by deferToMass. */
  type Recorded = PushResult & { outcome: 'sent' | 'skipped' | 'failed' };
  async function finish(ref: StepRef, key: string, result: Recorded): Promise<PushResult> {
    await db.transaction(async (tx) => {
      // Only the attempt that settles the pending record counts the outcome.
      const settled = await tx
        .update(messages)
        .set({
          outcome: result.outcome,
          channel: result.channel,
          errcode: result.errcode,
          reason: result.reason,
          ...(result.outcome === 'sent' ? { sentAt: sql`now()` } : {}),
        })
        .where(and(eq(messages.idempotencyKey, key), eq(messages.outcome, 'pending')))
        .returning({ id: messages.id });
      if (settled.length > 0) {
        const metric =
          result.outcome === 'skipped'
            ? `skip:${result.reason ?? 'unknown'}`
            : `msg:${result.outcome}`;
        await bumpFlow(
          tx,
          {
            brandId: ref.context.brandId,
            flowId: ref.context.flowId,
            versionId: ref.context.versionId,
          },
          [{ nodeId: ref.stepId, metric, n: 1 }],
        );
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
      /** `auto` only: the template message sent when no customer-service quota is open. */
      fallback?: TemplateMessage | null;
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
      // A paused flow holds its pushes (docs/product.md#pausing-and-archiving): nothing is
      // recorded, the journey retries.
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
      const vars = await journeyVars(db, ref, input.coupon, follower);
      const rendered = renderMessage(input.message, vars);
      // The fallback serves only `auto` pushes of customer-service content (the engine refuses
      // it elsewhere); it is rendered now, so a broken placeholder fails before anything is sent.
      const fallback =
        input.channel === 'auto' && rendered.type !== 'template' && input.fallback
          ? (renderMessage(input.fallback, vars) as TemplateMessage)
          : null;
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
      // journeys have begun (docs/product.md#governance). Recording this push and counting happen
      // under a per-follower lock, so of two journeys pushing at once the later sees the first.
      const [brand] = await db
        .select({ cap: brands.frequencyCap, timezone: brands.timezone })
        .from(brands)
        .where(eq(brands.id, ref.context.brandId));
      const brandCap = brand?.cap ?? null;
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
                  and(
                    or(eq(messages.outcome, 'pending'), eq(messages.outcome, 'deferred')),
                    sql`${messages.createdAt} > ${since}`,
                  ),
                ),
              ),
            );
          return (row?.n ?? 0) >= brandCap.max;
        });
      // Without a brand-wide cap, recording the push is one insert (no lock, no transaction).
      const overCap = brandCap
        ? await overBrandCap(brandCap)
        : (await db.insert(messages).values(pending).onConflictDoNothing(), false);

      const skip = (reason: string) =>
        finish(ref, key, { outcome: 'skipped', channel: null, errcode: null, reason });
      const cap = input.frequencyCap;
      const blocked = await firstBlock({
        unfollowed: () => !follower?.subscribed,
        frequency_cap: async () => {
          if (!cap) return false;
          const [row] = await db
            .select({ n: sql<number>`count(*)::int` })
            .from(messages)
            .innerJoin(journeys, eq(journeys.id, messages.journeyId))
            .where(
              and(
                eq(messages.followerId, ref.context.followerId),
                eq(journeys.flowId, ref.context.flowId),
                eq(messages.outcome, 'sent'),
                sql`${messages.sentAt} > now() - ${cap.perMs} * interval '1 millisecond'`,
              ),
            );
          return (row?.n ?? 0) >= cap.max;
        },
        brand_frequency_cap: () => overCap,
        repeat_content: () =>
          receivedTwoDaysRunning(ref, rendered, brand?.timezone ?? 'Asia/Shanghai'),
      });
      if (blocked) return skip(blocked);
      const route = pushChannel(rendered.type, input.channel);
      if ('skip' in route) return skip(route.skip);
      if (route.via === 'template')
        return send(ref, key, { kind: 'template', message: rendered as TemplateMessage }, null);

      // Customer service: spend one message of the follower's quota (atomically: of two
      // journeys after the last message only one gets it), or fall back, or skip.
      const taken = await takeQuota(db, ref.context.followerId);
      if (!taken.ok) {
        const instead = whenQuotaRefused(taken.reason, {
          hasFallback: fallback !== null,
          requested: input.channel,
          broadcast: isBroadcast(ref),
          content: rendered.type,
        });
        if (instead.via === 'fallback') return sendFallback(ref, key, fallback!, instead.reason);
        // A broadcast's `auto` push goes out by mass send instead (activities/mass.ts).
        if (instead.via === 'mass')
          return deferToMass(ref, key, instead.reason, brand?.timezone ?? 'Asia/Shanghai');
        return finish(ref, key, {
          outcome: 'skipped',
          channel: 'customer_service',
          errcode: null,
          reason: instead.reason,
        });
      }
      return send(ref, key, { kind: 'customer_service', message: rendered }, null, {
        expiresAt: taken.expiresAt,
        fallback,
      });
    },
  };

  /**
   * No quota open and no fallback, in a broadcast: the push waits (`deferred`, channel `mass`)
   * for its batch — this flow, this node, today in the brand's zone — to go out by mass send
   * once the broadcast is swept (activities/mass.ts). A fan already in today's batch of this
   * node (a second run of the broadcast) is skipped: a broadcast never reaches a fan twice a day.
   */
  async function deferToMass(
    ref: StepRef,
    key: string,
    why: string,
    timezone: string,
  ): Promise<PushResult> {
    const batch = massBatchKey(ref.context.flowId, ref.stepId, localDate(Date.now(), timezone));
    const deferred = await db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${ref.context.followerId}, ${MASS_LOCK}))`,
      );
      const [already] = await tx
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.followerId, ref.context.followerId),
            eq(messages.massBatch, batch),
            ne(messages.idempotencyKey, key),
            or(eq(messages.outcome, 'deferred'), eq(messages.outcome, 'sent')),
          ),
        )
        .limit(1);
      if (already) return false;
      await tx
        .update(messages)
        .set({ outcome: 'deferred', channel: 'mass', massBatch: batch, reason: why })
        .where(and(eq(messages.idempotencyKey, key), eq(messages.outcome, 'pending')));
      await writeStep(tx, ref, 'completed', {
        reason: 'mass_send',
        output: { channel: 'mass', batch },
      });
      return true;
    });
    if (!deferred)
      return finish(ref, key, {
        outcome: 'skipped',
        channel: 'mass',
        errcode: null,
        reason: 'mass_already_sent',
      });
    return { outcome: 'deferred', channel: 'mass', errcode: null, reason: why };
  }

  /**
   * "Never the same content three days running" (docs/product.md#governance): true when the
   * follower was sent exactly this content on each of the two days before today, in the
   * brand's time zone.
   */
  async function receivedTwoDaysRunning(
    ref: StepRef,
    content: PushMessage,
    timezone: string,
  ): Promise<boolean> {
    const day = sql`(${messages.sentAt} at time zone ${timezone})::date`;
    const today = sql`(now() at time zone ${timezone})::date`;
    const [row] = await db
      .select({ days: sql<number>`count(distinct ${day})::int` })
      .from(messages)
      .where(
        and(
          eq(messages.followerId, ref.context.followerId),
          eq(messages.outcome, 'sent'),
          sql`${messages.sentAt} > now() - interval '3 days'`,
          sql`${day} between ${today} - 2 and ${today} - 1`,
          sql`${messages.content} = ${JSON.stringify(content)}::jsonb`,
        ),
      );
    return (row?.days ?? 0) >= 2;
  }

  /** The template message as WeChat takes it: our template name → its WeChat id. */
  async function templateSend(
    client: WechatClient,
    ref: StepRef,
    key: string,
    m: TemplateMessage,
  ): Promise<void> {
    const [template] = await db
      .select({ wechatId: messageTemplates.wechatTemplateId })
      .from(messageTemplates)
      .where(
        and(
          eq(messageTemplates.brandId, ref.context.brandId),
          eq(messageTemplates.name, m.templateId),
        ),
      );
    await client.sendTemplateMessage(
      // WeChat drops a second send with the same client_msg_id.
      templateMessage(ref.context.openid, template?.wechatId ?? m.templateId, m, key.slice(0, 64)),
    );
  }

  /** The push goes out as its template fallback: the record says so, with why. */
  async function sendFallback(
    ref: StepRef,
    key: string,
    fallback: TemplateMessage,
    why: string,
  ): Promise<PushResult> {
    await db
      .update(messages)
      .set({
        channel: 'template',
        msgType: 'template',
        content: fallback as unknown as Record<string, unknown>,
      })
      .where(and(eq(messages.idempotencyKey, key), eq(messages.outcome, 'pending')));
    return send(ref, key, { kind: 'template', message: fallback }, why);
  }

  async function send(
    ref: StepRef,
    key: string,
    what:
      | { kind: 'template'; message: TemplateMessage }
      | { kind: 'customer_service'; message: PushMessage },
    /** Why a fallback went out instead of the message (recorded with the outcome). */
    why: string | null,
    quota?: { expiresAt: Date; fallback: TemplateMessage | null },
  ): Promise<PushResult> {
    const { client } = await wechat.forBrand(ref.context.brandId);
    try {
      if (what.kind === 'template') await templateSend(client, ref, key, what.message);
      else await client.sendCustomMessage(customMessage(ref.context.openid, what.message));
    } catch (error) {
      const outcome = outcomeOf(error);
      if (!outcome) {
        // Not processed by WeChat: forget the attempt (and give back the message taken from
        // the quota), let Temporal retry with backoff.
        if (quota) await returnQuota(db, ref.context.followerId, quota.expiresAt);
        await db
          .delete(messages)
          .where(and(eq(messages.idempotencyKey, key), eq(messages.outcome, 'pending')));
        throw error;
      }
      if (quota && (outcome.errcode === 45015 || outcome.errcode === 45047)) {
        // WeChat knows better than our record: believe it, and use the fallback if any.
        await closeQuota(db, ref.context.followerId, outcome.errcode === 45015);
        if (quota.fallback) return sendFallback(ref, key, quota.fallback, outcome.reason);
      }
      return finish(ref, key, { ...outcome, channel: what.kind });
    }
    return finish(ref, key, { outcome: 'sent', channel: what.kind, errcode: null, reason: why });
  }
}
