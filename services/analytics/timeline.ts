/**
 * One follower, as the follower API (GET /api/v1/brands/:brand/followers/:openid), the CLI
 * (`fanfare follower show`) and the follower page show them: profile, tags, the
 * customer-service quota open now, and a timeline in plain language (zh-CN and en, the words
 * from engine/outcomes.ts), newest first — the events they caused, the journeys they entered,
 * each step and why, messages as sent, coupons issued and redeemed, conversions.
 *
 * Each source is read through an index on the follower (events, journeys) or on the journeys
 * found (steps, redeemed coupons, messages by step key), newest first and bounded by the limit:
 * the page's cost grows with the limit, not with the follower's history, nor the brand's
 * (`npm run bench -- analytics`: 10,000,000 steps).
 */
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import {
  conversionText,
  eventText,
  journeyEndedText,
  journeyEnteredText,
  quotaText,
  stepText,
  messageText,
} from '../../engine/outcomes';
import type { LocalizedText } from '../../engine/issues';
import { quotaRefusal } from '../../engine/quota';
import {
  couponCodes,
  events,
  followerTags,
  followers,
  flowVersions,
  flows,
  journeySteps,
  journeys,
  messages,
} from '../../db/schema';
import { clockOf, type ServiceDeps } from '../deps';

export interface TimelineEntry {
  at: string;
  kind: 'event' | 'journey_entered' | 'step' | 'journey_ended' | 'conversion';
  flowId?: string;
  nodeId?: string;
  text: LocalizedText;
  [more: string]: unknown;
}

export interface FollowerView {
  openid: string;
  profile: Record<string, unknown>;
  tags: string[];
  quota: {
    open: boolean;
    kind: string | null;
    left: number;
    expiresAt: string | null;
    reason: string | null;
    text: LocalizedText;
  };
  timeline: TimelineEntry[];
}

export type FollowerResult =
  | { ok: true; follower: FollowerView }
  | { ok: false; status: 400 | 404; code: string; message: string };

export const DEFAULT_TIMELINE = 100;
export const MAX_TIMELINE = 500;

const iso = (d: Date) => d.toISOString();

export function createFollowerTimeline(deps: ServiceDeps) {
  const { db } = deps;
  const now = clockOf(deps);
  return {
    async read(
      brandId: string,
      openid: string,
      opts: { limit?: string | null } = {},
    ): Promise<FollowerResult> {
      let limit = DEFAULT_TIMELINE;
      if (opts.limit != null) {
        if (
          !/^\d{1,4}$/.test(opts.limit) ||
          Number(opts.limit) < 1 ||
          Number(opts.limit) > MAX_TIMELINE
        )
          return {
            ok: false,
            status: 400,
            code: 'E_LIMIT',
            message: `limit must be a whole number from 1 to ${MAX_TIMELINE} (got "${opts.limit}").`,
          };
        limit = Number(opts.limit);
      }
      const [f] = await db
        .select()
        .from(followers)
        .where(and(eq(followers.brandId, brandId), eq(followers.openid, openid)));
      if (!f)
        return {
          ok: false,
          status: 404,
          code: 'E_NOT_FOUND',
          message: `This brand has no follower with openid "${openid}".`,
        };

      const [tags, evs, js] = await Promise.all([
        db
          .select({ tag: followerTags.tag })
          .from(followerTags)
          .where(eq(followerTags.followerId, f.id))
          .orderBy(followerTags.tag),
        db
          .select()
          .from(events)
          .where(eq(events.followerId, f.id))
          .orderBy(desc(events.occurredAt), desc(events.id))
          .limit(limit),
        db
          .select({
            id: journeys.id,
            flowId: journeys.flowId,
            versionId: journeys.flowVersionId,
            workflowId: journeys.workflowId,
            status: journeys.status,
            exitReason: journeys.exitReason,
            enteredAt: journeys.enteredAt,
            endedAt: journeys.endedAt,
            convertedAt: journeys.convertedAt,
            conversionEventId: journeys.conversionEventId,
            flowName: flows.name,
          })
          .from(journeys)
          .innerJoin(flows, eq(flows.id, journeys.flowId))
          .where(eq(journeys.followerId, f.id))
          .orderBy(desc(journeys.enteredAt))
          .limit(limit),
      ]);
      const journeyIds = js.map((j) => j.id);
      // A step older than the limit-th newest entry already in hand (events, journeys entered,
      // ended, converted) cannot make the page: those steps are not read. For a fan with a long
      // history this skips most of their journeys' steps.
      const known = [
        ...evs.map((e) => e.occurredAt.getTime()),
        ...js.flatMap((j) =>
          [j.enteredAt, j.endedAt, j.convertedAt].flatMap((d) => (d ? [d.getTime()] : [])),
        ),
      ].sort((a, b) => b - a);
      const floor = known.length >= limit ? new Date(known[limit - 1]!) : null;
      const steps = journeyIds.length
        ? await db
            .select()
            .from(journeySteps)
            .where(
              and(
                inArray(journeySteps.journeyId, journeyIds),
                floor ? gte(journeySteps.enteredAt, floor) : undefined,
              ),
            )
            .orderBy(desc(journeySteps.enteredAt), desc(journeySteps.id))
            .limit(limit)
        : [];
      // Only push steps have a message (keyed by their step key, workflows/activities/push.ts),
      // and a redeemed coupon only changes what a conversion says.
      const stepKeys = steps.filter((s) => s.kind === 'action.push').map((s) => s.stepKey);
      const convertedIds = js.filter((j) => j.convertedAt).map((j) => j.id);
      const versionIds = [...new Set(js.map((j) => j.versionId))];
      const [msgs, versions, redeemed] = await Promise.all([
        stepKeys.length
          ? db
              .select({
                key: messages.idempotencyKey,
                channel: messages.channel,
                outcome: messages.outcome,
                content: messages.content,
                sentAt: messages.sentAt,
              })
              .from(messages)
              .where(inArray(messages.idempotencyKey, stepKeys))
          : [],
        versionIds.length
          ? db
              .select({ id: flowVersions.id, document: flowVersions.document })
              .from(flowVersions)
              .where(inArray(flowVersions.id, versionIds))
          : [],
        convertedIds.length
          ? db
              .select({ journeyId: couponCodes.journeyId, code: couponCodes.code })
              .from(couponCodes)
              .where(
                and(
                  inArray(couponCodes.journeyId, convertedIds),
                  sql`${couponCodes.redeemedAt} is not null`,
                ),
              )
          : [],
      ]);
      const messageOf = new Map(msgs.map((m) => [m.key, m]));
      const nodesOf = new Map(
        versions.map((v) => {
          const nodes = (v.document.nodes ?? []) as { id: string; kind: string; label?: string }[];
          return [v.id, new Map(nodes.map((n) => [n.id, n]))];
        }),
      );
      const journeyOf = new Map(js.map((j) => [j.id, j]));
      const redeemedBy = new Set(redeemed.map((r) => r.journeyId));

      // Within one instant: the event, then the journey it started, its steps, its end.
      const entries: (TimelineEntry & { rank: number; seq: bigint })[] = [];
      for (const e of evs) {
        entries.push({
          at: iso(e.occurredAt),
          kind: 'event',
          eventType: e.type === 'custom' ? (e.name ?? 'custom') : e.type,
          text: eventText(e.type, e.name, e.payload),
          rank: 0,
          seq: e.id,
        });
      }
      for (const j of js) {
        entries.push({
          at: iso(j.enteredAt),
          kind: 'journey_entered',
          flowId: j.flowId,
          flowName: j.flowName,
          text: journeyEnteredText(j.flowName),
          rank: 1,
          seq: 0n,
        });
        if (j.endedAt)
          entries.push({
            at: iso(j.endedAt),
            kind: 'journey_ended',
            flowId: j.flowId,
            status: j.status,
            reason: j.exitReason,
            text: journeyEndedText(j.flowName, j.status, j.exitReason),
            rank: 3,
            seq: 0n,
          });
        if (j.convertedAt)
          entries.push({
            at: iso(j.convertedAt),
            kind: 'conversion',
            flowId: j.flowId,
            text: conversionText(j.flowName, redeemedBy.has(j.id) && j.status !== 'converted'),
            rank: 4,
            seq: 0n,
          });
      }
      for (const s of steps) {
        const j = journeyOf.get(s.journeyId)!;
        const node = nodesOf.get(j.versionId)?.get(s.nodeId) ?? { kind: s.kind };
        const m = messageOf.get(s.stepKey);
        const message = m
          ? { channel: m.channel, outcome: m.outcome, text: messageText(m.content) }
          : null;
        const out = s.output ?? {};
        entries.push({
          at: iso(s.enteredAt),
          kind: 'step',
          flowId: j.flowId,
          nodeId: s.nodeId,
          stepKind: s.kind,
          status: s.status,
          reason: s.reason,
          ...(typeof out.port === 'string' ? { port: out.port } : {}),
          ...(s.kind === 'action.coupon' && typeof out.code === 'string'
            ? { coupon: { code: out.code, pool: out.pool ?? null } }
            : {}),
          ...(message ? { message } : {}),
          text: stepText(node, s, message),
          rank: 2,
          seq: s.id,
        });
      }
      entries.sort((a, b) =>
        a.at !== b.at
          ? a.at < b.at
            ? 1
            : -1
          : a.rank !== b.rank
            ? b.rank - a.rank
            : a.seq === b.seq
              ? 0
              : a.seq < b.seq
                ? 1
                : -1,
      );
      const timeline = entries.slice(0, limit).map(({ rank: _r, seq: _s, ...e }) => e);

      const quota =
        f.quotaKind && f.quotaExpiresAt
          ? { kind: f.quotaKind, left: f.quotaLeft, expiresAt: f.quotaExpiresAt.getTime() }
          : null;
      const refusal = quotaRefusal(quota, now().getTime());
      const expiresAt = f.quotaExpiresAt ? iso(f.quotaExpiresAt) : null;
      return {
        ok: true,
        follower: {
          openid: f.openid,
          profile: {
            subscribed: f.subscribed,
            subscribedAt: f.subscribedAt && iso(f.subscribedAt),
            firstSubscribedAt: f.firstSubscribedAt && iso(f.firstSubscribedAt),
            unsubscribedAt: f.unsubscribedAt && iso(f.unsubscribedAt),
            subscribeScene: f.subscribeScene,
            qrScene: f.qrScene,
            gender: f.gender,
            province: f.province,
            city: f.city,
            birthday: f.birthday,
            tier: f.tier,
            points: f.points,
            totalSpent: f.totalSpent,
            orderCount: f.orderCount,
            lastPurchaseAt: f.lastPurchaseAt && iso(f.lastPurchaseAt),
            lastInteractionAt: f.lastInteractionAt && iso(f.lastInteractionAt),
            attributes: f.attributes,
          },
          tags: tags.map((t) => t.tag),
          quota: {
            open: refusal === null,
            kind: f.quotaKind,
            left: refusal === null ? f.quotaLeft : 0,
            expiresAt: refusal === null ? expiresAt : null,
            reason: refusal,
            text: quotaText(
              refusal === null && expiresAt ? { left: f.quotaLeft, expiresAt } : null,
              refusal,
            ),
          },
          timeline,
        },
      };
    },
  };
}

export type FollowerTimelineService = ReturnType<typeof createFollowerTimeline>;
