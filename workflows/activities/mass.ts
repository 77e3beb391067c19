/**
 * Broadcasts that reach dormant fans (docs/product.md#governance): a `trigger.audience`
 * journey's `auto` push that finds no customer-service quota open and has no template fallback
 * waits `deferred` in its batch (activities/push.ts); once the broadcast is swept, the batch
 * goes out by `message/mass/send` to OpenID lists of at most 10,000.
 *
 * Within WeChat's limits: a fan who received 4 mass messages this calendar month (Beijing time,
 * as WeChat counts; from our `messages`) is recorded `skipped / mass_monthly_limit`; one who
 * left, `skipped / unfollowed`. Idempotent: each chunk is recorded (its openids, its
 * clientmsgid from the batch and the chunk's number) before it is sent, so a retry re-sends
 * the same chunk with the same clientmsgid, which WeChat refuses (45065) instead of delivering
 * twice; a fan already sent today's batch is never deferred into it again (push.ts). Every fan's
 * outcome lands in their `messages` row; the job report (MASSSENDJOBFINISH) on the chunk.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ExecutionPlan } from '../../engine/plan';
import { flowVersions, followers, journeys, massSends, messages } from '../../db/schema';
import type { MassMessage } from '../../wechat/api-types';
import { isWechatError } from '../../wechat/errors';
import type { WechatClients } from '../../services/wechat/clients';
import { bumpMassOutcomes } from '../../services/analytics/counters';

/** WeChat: mass/send takes 2–10,000 openids. */
export const MASS_MIN_OPENIDS = 2;
export const MASS_MAX_OPENIDS = 10_000;
/** Service account: a fan receives at most this many mass messages per calendar month. */
export const MASS_PER_FAN_PER_MONTH = 4;
/** WeChat counts the month in Beijing time. */
const MASS_MONTH_ZONE = 'Asia/Shanghai';
/** How long the flush waits at most for a broadcast's journeys to reach their pushes… */
export const MASS_SETTLE_MS = 8 * 60_000;
/** …and how long it waits once their number stops falling. */
export const MASS_QUIET_MS = 60_000;

/** A broadcast push's batch: its flow, its node, the brand-local day. */
export function massBatchKey(flowId: string, nodeId: string, localDay: string): string {
  return `${flowId}:${nodeId}:${localDay}`;
}

/** Deterministic per (brand, batch, chunk): a repeat within 24 h is refused by WeChat (45065). */
export function massClientMsgId(brandId: string, batch: string, chunk: number): string {
  return createHash('sha256').update(`${brandId}\n${batch}\n${chunk}`).digest('hex').slice(0, 32);
}

/** Splits into as few chunks as the limit allows, evenly (so none is left with one openid). */
export function chunksOf<T>(items: T[], max = MASS_MAX_OPENIDS): T[][] {
  if (items.length === 0) return [];
  const n = Math.ceil(items.length / max);
  const size = Math.ceil(items.length / n);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function massMessage(content: Record<string, unknown>, touser: string[], clientmsgid: string) {
  const base = { touser, clientmsgid, send_ignore_reprint: 0 as const };
  if (content.type === 'text')
    return { ...base, msgtype: 'text', text: { content: String(content.text) } } as MassMessage;
  if (content.type === 'image')
    return {
      ...base,
      msgtype: 'image',
      image: { media_id: String(content.mediaId) },
    } as MassMessage;
  return null;
}

export interface MassFlushResult {
  /** Chunks sent (accepted by WeChat) in this run. */
  sent: number;
  /** Fans recorded sent, skipped or failed in this run. */
  fans: { sent: number; skipped: number; failed: number };
}

export function massActivities({ db, wechat }: { db: Db; wechat: WechatClients }) {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Waits until every running journey of these versions has reached its push or sits in a
   * `wait.*` step (a later sweep sends what those push): up to `settleMs`, and no longer than
   * MASS_QUIET_MS once their number stops falling (pushes held by a pause or quiet hours).
   */
  async function settle(versionIds: string[], settleMs: number): Promise<void> {
    if (versionIds.length === 0) return;
    const waits = new Set<string>();
    for (const v of await db
      .select({ id: flowVersions.id, plan: flowVersions.plan })
      .from(flowVersions)
      .where(inArray(flowVersions.id, versionIds))) {
      const steps = (v.plan as unknown as ExecutionPlan).steps;
      for (const [stepId, step] of Object.entries(steps))
        if (step.kind.startsWith('wait.')) waits.add(`${v.id}:${stepId}`);
    }
    const deadline = Date.now() + settleMs;
    let last = Infinity;
    let movedAt = Date.now();
    while (Date.now() < deadline) {
      const rows = await db
        .select({
          versionId: journeys.flowVersionId,
          step: journeys.currentStep,
          n: sql<number>`count(*)::int`,
        })
        .from(journeys)
        .where(and(inArray(journeys.flowVersionId, versionIds), eq(journeys.status, 'active')))
        .groupBy(journeys.flowVersionId, journeys.currentStep);
      const running = rows
        .filter((r) => !waits.has(`${r.versionId}:${r.step}`))
        .reduce((n, r) => n + r.n, 0);
      if (running === 0) return;
      if (running < last) {
        last = running;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > MASS_QUIET_MS) return;
      await sleep(500);
    }
  }

  /** Records the batch's waiting fans into chunks (or skips them, with the reason). */
  async function prepare(brandId: string, batch: string, fans: MassFlushResult['fans']) {
    await db.transaction(async (tx) => {
      await tx.execute(
        sql`select pg_advisory_xact_lock(hashtextextended(${`${brandId}:${batch}`}, 7303))`,
      );
      const rows = await tx
        .select({
          id: messages.id,
          followerId: messages.followerId,
          subscribed: followers.subscribed,
          content: messages.content,
          msgType: messages.msgType,
        })
        .from(messages)
        .leftJoin(followers, eq(followers.id, messages.followerId))
        .where(
          and(
            eq(messages.brandId, brandId),
            eq(messages.massBatch, batch),
            eq(messages.outcome, 'deferred'),
            isNull(messages.massSendId),
          ),
        )
        .orderBy(asc(messages.id));
      if (rows.length === 0) return;
      const ids = rows.flatMap((r) => (r.followerId ? [r.followerId] : []));
      const month = sql`date_trunc('month', now() at time zone ${MASS_MONTH_ZONE})`;
      const counts = new Map(
        (ids.length === 0
          ? []
          : await tx
              .select({ followerId: messages.followerId, n: sql<number>`count(*)::int` })
              .from(messages)
              .where(
                and(
                  inArray(messages.followerId, ids),
                  eq(messages.channel, 'mass'),
                  // sent this month, or in a list recorded and about to be sent
                  or(
                    and(
                      eq(messages.outcome, 'sent'),
                      sql`(${messages.sentAt} at time zone ${MASS_MONTH_ZONE}) >= ${month}`,
                    ),
                    and(eq(messages.outcome, 'deferred'), isNotNull(messages.massSendId)),
                  ),
                ),
              )
              .groupBy(messages.followerId)
        ).map((r) => [r.followerId, r.n]),
      );
      const skip = async (which: bigint[], reason: string) => {
        if (which.length === 0) return;
        await tx
          .update(messages)
          .set({ outcome: 'skipped', reason })
          .where(inArray(messages.id, which));
        await bumpMassOutcomes(tx, which, `skip:${reason}`);
        fans.skipped += which.length;
      };
      const gone = rows.filter((r) => !r.followerId || !r.subscribed);
      const over = rows.filter(
        (r) =>
          r.followerId && r.subscribed && (counts.get(r.followerId) ?? 0) >= MASS_PER_FAN_PER_MONTH,
      );
      await skip(
        gone.map((r) => r.id),
        'unfollowed',
      );
      await skip(
        over.map((r) => r.id),
        'mass_monthly_limit',
      );
      const excluded = new Set([...gone, ...over].map((r) => r.id));
      // One mass message carries one content: fans whose rendered push differs go separately.
      const groups = new Map<string, typeof rows>();
      for (const r of rows) {
        if (excluded.has(r.id)) continue;
        const k = JSON.stringify(r.content);
        groups.set(k, [...(groups.get(k) ?? []), r]);
      }
      const [last] = await tx
        .select({ chunk: sql<number>`coalesce(max(${massSends.chunk}), -1)::int` })
        .from(massSends)
        .where(and(eq(massSends.brandId, brandId), eq(massSends.batch, batch)));
      let chunk = (last?.chunk ?? -1) + 1;
      for (const group of groups.values()) {
        if (group.length < MASS_MIN_OPENIDS) {
          // WeChat takes no list of one: a fan alone with their content cannot be mass-sent.
          await skip(
            group.map((r) => r.id),
            'mass_single_recipient',
          );
          continue;
        }
        for (const part of chunksOf(group)) {
          const [send] = await tx
            .insert(massSends)
            .values({
              brandId,
              batch,
              chunk,
              clientMsgId: massClientMsgId(brandId, batch, chunk),
              msgType: part[0]!.msgType,
              content: part[0]!.content,
              recipients: part.length,
            })
            .returning({ id: massSends.id });
          await tx
            .update(messages)
            .set({ massSendId: send!.id })
            .where(
              inArray(
                messages.id,
                part.map((r) => r.id),
              ),
            );
          chunk++;
        }
      }
    });
  }

  /** Sends one recorded chunk and records every fan's outcome. */
  async function sendChunk(send: typeof massSends.$inferSelect, result: MassFlushResult) {
    const rows = await db
      .select({ openid: followers.openid })
      .from(messages)
      .innerJoin(followers, eq(followers.id, messages.followerId))
      .where(and(eq(messages.massSendId, send.id), eq(messages.outcome, 'deferred')))
      // The same list in the same order on every attempt (the retry of a clientmsgid).
      .orderBy(asc(messages.id));
    const message = massMessage(
      send.content,
      rows.map((r) => r.openid),
      send.clientMsgId,
    );
    const close = async (
      chunk: Partial<typeof massSends.$inferInsert>,
      fan: { outcome: 'sent' | 'failed'; errcode?: number | null; reason?: string },
    ) => {
      const updated = await db.transaction(async (tx) => {
        await tx.update(massSends).set(chunk).where(eq(massSends.id, send.id));
        const moved = await tx
          .update(messages)
          .set({
            outcome: fan.outcome,
            ...(fan.outcome === 'sent' ? { sentAt: sql`now()` } : {}),
            ...(fan.errcode !== undefined ? { errcode: fan.errcode } : {}),
            ...(fan.reason !== undefined ? { reason: fan.reason } : {}),
          })
          .where(and(eq(messages.massSendId, send.id), eq(messages.outcome, 'deferred')))
          .returning({ id: messages.id });
        await bumpMassOutcomes(
          tx,
          moved.map((m) => m.id),
          `msg:${fan.outcome}`,
        );
        return moved;
      });
      result.fans[fan.outcome] += updated.length;
    };
    if (!message || rows.length < MASS_MIN_OPENIDS) {
      // Nothing WeChat would take (the fans left since the chunk was recorded, or the content).
      await close(
        { status: 'failed', reason: message ? 'too_few_recipients' : 'not_massable' },
        { outcome: 'failed', reason: message ? 'mass_single_recipient' : 'not_massable' },
      );
      return;
    }
    const { client } = await wechat.forBrand(send.brandId);
    try {
      const answer = await client.sendMassMessage(message);
      await close(
        {
          status: 'sent',
          msgId: answer.msg_id,
          msgDataId: answer.msg_data_id ?? null,
          sentAt: sql`now()` as never,
        },
        { outcome: 'sent' },
      );
      result.sent++;
    } catch (error) {
      if (!isWechatError(error) || error.kind !== 'api' || error.errcode === null) throw error;
      const errcode = error.errcode;
      // Not processed (busy): Temporal retries the activity; the chunk goes again, same id.
      if (errcode === 45009 || errcode === -1) throw error;
      if (errcode === 45065) {
        // An earlier attempt was accepted (its answer lost): the fans have it already.
        await close(
          { status: 'sent', errcode, reason: 'duplicate_clientmsgid', sentAt: sql`now()` as never },
          { outcome: 'sent' },
        );
        return;
      }
      await close(
        { status: 'failed', errcode, reason: 'refused' },
        { outcome: 'failed', errcode, reason: 'mass_refused' },
      );
    }
  }

  return {
    /**
     * After a sweep: waits (bounded) for the broadcasts it entered to reach their pushes, then
     * sends every waiting batch (of the brand(s) given, or of all), and any chunk recorded but
     * not yet accepted by an earlier attempt.
     */
    async sendMassBatches(input: {
      brandId?: string;
      /** Several brands (instead of `brandId`). */
      brandIds?: string[];
      versionIds?: string[];
      settleMs?: number;
    }): Promise<MassFlushResult> {
      await settle(input.versionIds ?? [], input.settleMs ?? MASS_SETTLE_MS);
      const result: MassFlushResult = { sent: 0, fans: { sent: 0, skipped: 0, failed: 0 } };
      const scope = input.brandIds ?? (input.brandId ? [input.brandId] : null);
      const brand = scope ? inArray(messages.brandId, scope) : sql`true`;
      const batches = await db
        .selectDistinct({ brandId: messages.brandId, batch: messages.massBatch })
        .from(messages)
        .where(and(brand, eq(messages.outcome, 'deferred'), isNull(messages.massSendId)));
      // One brand's failure (its WeChat busy, its credentials revoked) holds back no other's:
      // the rest go on, then the activity fails so Temporal retries what is left.
      let firstError: unknown = null;
      const isolated = async (fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (error) {
          firstError ??= error;
        }
      };
      for (const b of batches)
        if (b.batch) await isolated(() => prepare(b.brandId, b.batch!, result.fans));
      const pending = await db
        .select()
        .from(massSends)
        .where(
          and(
            scope ? inArray(massSends.brandId, scope) : sql`true`,
            eq(massSends.status, 'sending'),
          ),
        )
        .orderBy(asc(massSends.createdAt), asc(massSends.chunk));
      for (const send of pending) await isolated(() => sendChunk(send, result));
      if (firstError) throw firstError;
      return result;
    },
  };
}
