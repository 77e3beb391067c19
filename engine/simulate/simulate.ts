/**
 * The simulator: the second driver of the journey step machine (engine/journey/run.ts), with
 * a virtual clock and effects in memory (docs/product.md#simulating-a-flow). The same machine
 * decides the path as on Temporal; the same WeChat rules decide each push (engine/quota.ts,
 * engine/push-route.ts, quiet hours, frequency caps, tag limits). Nothing here does I/O: a
 * simulation never reaches a fan, a database or WeChat.
 *
 * One follower per simulation. The scenario's events happen in order: those before the flow
 * is entered change the follower (a follow opens the 1-minute quota, a message the 48-hour
 * one); the first that a trigger matches enters the journey; the rest reach it as they would
 * on Temporal (exit, goal, a wait's awaited event). A flow entered by a date or a broadcast is
 * entered at the scenario's start. The journey is watched until it ends or the scenario's
 * `until` passes.
 */
import { couponVars, renderMessage, type RenderVars } from '../render';
import { createJourney, type JourneyEffects } from '../journey/run';
import type { IssuedCoupon, JourneyContext, JourneyEvent, StepRef } from '../journey/types';
import { eventText, messageText, reasonText, stepText } from '../outcomes';
import type { LocalizedText } from '../issues';
import type { ExecutionPlan } from '../plan';
import { firstBlock, pushChannel, whenQuotaRefused } from '../push-route';
import { openQuota, quotaOpenedByEvent, takeQuota, type Quota } from '../quota';
import { evaluateRules } from '../rules/evaluate';
import { buildEventFact, buildFacts, buildFollowerFact, type FollowerRecord } from '../rules/facts';
import { findEntries, whereVerdicts } from '../match-event';
import type { FlowEvent } from '../schema/event-matcher';
import type { PushMessage } from '../schema/message';
import { renderTagName } from '../tag-name';
import { localDate, quietHoursEnd, wallTime } from '../time';
import { expiresAt as couponExpiresAt, expiryDate, type CouponExpiry } from '../coupon-expiry';
import { durationMs } from '../schema/duration';
import { FOLLOWER_TAG_LIMIT } from '../validate/resources';
import { Scenario, scenarioTime, type ScenarioInput } from './scenario';

/** What the simulator knows of the brand (all optional: a flow simulates without a brand). */
export interface SimBrand {
  timezone?: string;
  /** Coupon pools by name, with their expiry (null: never expires). */
  pools?: Record<string, CouponExpiry | null>;
  frequencyCap?: { max: number; per: string } | null;
}

export interface SimTraceItem {
  /** ISO time on the virtual clock. */
  at: string;
  nodeId: string;
  kind: string;
  /** The port the step left by; null while it waits, where the journey ended, or on entry. */
  port: string | null;
  /**
   * entered (the trigger), completed, skipped, failed, waiting, deferred (quiet hours), and
   * for a push its message's outcome: sent, skipped, failed, deferred (mass send).
   */
  outcome: string;
  /** A push: the channel it took (or tried). */
  channel?: string | null;
  /** Why it was skipped, deferred or fell back (engine/outcomes.ts words it in `why`). */
  reason?: string | null;
  why: LocalizedText;
}

export interface SimMessage {
  at: string;
  nodeId: string;
  channel: 'customer_service' | 'template' | 'mass';
  /** Rendered as the fan reads it (placeholders filled, the sample coupon in). */
  message: PushMessage;
}

export interface SimEnd {
  /** completed, exited, converted, failed; `waiting` when `until` came first; `not_entered`. */
  status: string;
  reason: string | null;
  at: string;
  why: LocalizedText;
}

export interface SimResult {
  trace: SimTraceItem[];
  messages: SimMessage[];
  end: SimEnd;
}

export class ScenarioError extends Error {
  constructor(
    readonly code: 'E_SCENARIO',
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
  }
}

/** Parses a scenario, or throws ScenarioError naming every bad field. */
export function parseScenario(input: unknown): Scenario {
  const parsed = Scenario.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path:
      i.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '') || '(scenario)',
    message: i.message,
  }));
  throw new ScenarioError(
    'E_SCENARIO',
    `the scenario is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });

/** The journey ends inside `until`, or the simulation stops watching. */
class Horizon extends Error {}
/** An effect that fails the journey (as a non-retryable activity failure would). */
class SimFailure extends Error {
  constructor(readonly type: string) {
    super(type);
  }
}

type SimFollower = FollowerRecord & { tags: string[]; attributes: Record<string, unknown> };

/** A fan's follower record as the scenario describes it, before anything happens. */
function followerOf(s: Scenario): SimFollower {
  const f = s.follower ?? {};
  return {
    openid: f.openid ?? 'o_simulated_fan',
    subscribed: f.subscribed ?? false,
    subscribedAt: f.subscribedAt ?? null,
    firstSubscribedAt: f.firstSubscribedAt ?? null,
    subscribeScene: f.subscribeScene ?? null,
    qrScene: f.qrScene ?? null,
    tags: [...(f.tags ?? [])],
    gender: f.gender ?? null,
    province: f.province ?? null,
    city: f.city ?? null,
    birthday: f.birthday ?? null,
    tier: f.tier ?? null,
    points: f.points ?? 0,
    totalSpent: f.totalSpent ?? 0,
    orderCount: f.orderCount ?? 0,
    lastPurchaseAt: f.lastPurchaseAt ?? null,
    lastInteractionAt: f.lastMessageAt ?? null,
    attributes: { ...(f.attributes ?? {}), ...(f.nickname ? { nickname: f.nickname } : {}) },
  };
}

/** Runs `plan` for the scenario's follower; the path, the messages and how it ended. */
export async function simulate(
  plan: ExecutionPlan,
  scenarioInput: ScenarioInput | Scenario,
  brand: SimBrand = {},
  /** A real follower as stored, instead of the scenario's (the dry run, ./dry-run.ts). */
  known?: { follower: FollowerRecord; quota: Quota | null },
): Promise<SimResult> {
  const scenario = parseScenario(scenarioInput);
  const start = Date.parse(scenario.start);
  const until = scenarioTime(scenario.until, start);
  const timezone = brand.timezone ?? plan.settings.timezone;
  let now = start;
  const iso = (ms: number) => new Date(ms).toISOString();

  const follower: SimFollower = known
    ? {
        ...known.follower,
        tags: [...(known.follower.tags ?? [])],
        attributes: { ...(known.follower.attributes ?? {}) },
      }
    : followerOf(scenario);
  let quota: Quota | null = known
    ? known.quota
    : follower.lastInteractionAt
      ? openQuota(null, 'message', Date.parse(String(follower.lastInteractionAt)))
      : null;
  const trace: SimTraceItem[] = [];
  const sent: (SimMessage & { ms: number })[] = [];
  let couponSeq = 0;

  const events = scenario.events
    .map((e, i) => ({ ...e, ms: scenarioTime(e.at, start), seq: i }))
    .sort((a, b) => a.ms - b.ms || a.seq - b.seq);

  /** The follower's record changes as WeChat's callback and the events API would change it. */
  function apply(e: FlowEvent, at: number): void {
    const opened = quotaOpenedByEvent(e.type);
    if (opened) quota = openQuota(quota, opened, at);
    switch (e.type) {
      case 'follow':
        follower.subscribed = true;
        follower.subscribedAt = iso(at);
        follower.firstSubscribedAt ??= iso(at);
        if (e.scene) follower.subscribeScene = 'ADD_SCENE_QR_CODE';
        if (e.scene) follower.qrScene = e.scene;
        break;
      case 'unfollow':
        follower.subscribed = false;
        break;
      case 'qr_scan':
        if (e.scene) follower.qrScene = e.scene;
        break;
      case 'purchase':
        follower.orderCount = Number(follower.orderCount ?? 0) + 1;
        follower.totalSpent = Number(follower.totalSpent ?? 0) + (e.amount ?? 0);
        follower.lastPurchaseAt = iso(at);
        break;
      case 'tag_added':
        if (e.tag && !follower.tags.includes(e.tag)) follower.tags.push(e.tag);
        break;
    }
    // Only a follower can write, tap a menu or report a location; a scan by someone who does
    // not follow yet follows the account as well (WeChat sends both).
    if (['keyword', 'menu_click', 'location', 'qr_scan', 'follow'].includes(e.type)) {
      follower.subscribed = true;
      follower.lastInteractionAt = iso(at);
    }
  }

  function flowEventOf(e: (typeof events)[number]): JourneyEvent {
    const { at: _at, ms, seq, ...fields } = e;
    void _at;
    const event: JourneyEvent = {
      ...fields,
      id: String(seq + 1),
      occurredAt: iso(ms),
    };
    if (e.type === 'follow' && e.firstTime === undefined)
      event.firstTime = follower.firstSubscribedAt === null;
    return event;
  }

  // --- entry --------------------------------------------------------------------------------
  let entry: { nodeId: string; event: JourneyEvent; at: number } | null = null;
  let next = 0;
  for (; next < events.length && !entry; next++) {
    const e = events[next]!;
    if (e.ms > until) break;
    const event = flowEventOf(e);
    apply(event, e.ms);
    now = e.ms;
    const facts = buildFacts({ follower, event });
    const [hit] = await findEntries(plan, event, facts, now);
    if (hit) entry = { nodeId: hit.nodeId, event, at: e.ms };
  }
  if (!entry) {
    const dated = plan.triggers.dates[0] ?? plan.triggers.broadcasts[0];
    if (dated) {
      const name = 'schedule' in dated ? dated.schedule : 'broadcast';
      entry = {
        nodeId: dated.nodeId,
        at: start,
        event: { id: '0', type: 'custom', name, occurredAt: iso(start), payload: {} },
      };
      next = 0;
      now = start;
    }
  }
  if (!entry) {
    return {
      trace,
      messages: [],
      end: {
        status: 'not_entered',
        reason: 'no_entry',
        at: iso(now),
        why: t(
          'No event of the scenario enters the flow: check its trigger against the follower’s events.',
          '场景中没有事件触发该流程：请对照触发条件检查粉丝的行为。',
        ),
      },
    };
  }
  const entered = entry;
  now = entered.at;
  const entryNode = plan.steps[entered.nodeId]!;
  trace.push({
    at: iso(now),
    nodeId: entered.nodeId,
    kind: entryNode.kind,
    port: 'next',
    outcome: 'entered',
    why: eventText(entered.event.type, entered.event.name ?? null, {
      ...(entered.event.payload ?? {}),
      ...entered.event,
    }),
  });

  const context: JourneyContext = {
    journeyId: 'simulated',
    workflowId: 'simulated',
    brandId: 'simulated',
    flowId: 'simulated',
    versionId: 'simulated',
    followerId: follower.openid,
    openid: follower.openid,
    enteredAt: iso(entered.at),
    event: entered.event,
  };

  // --- effects ------------------------------------------------------------------------------
  type StepRecord = {
    status: string;
    reason: string | null;
    output: Record<string, unknown> | null;
    message?: { outcome: string; channel: string | null; text: string | null } | null;
  };
  const records = new Map<string, StepRecord>();
  const keyOf = (ref: StepRef) => `${ref.stepId}:${ref.visit}`;
  const record = (ref: StepRef, r: StepRecord) => records.set(keyOf(ref), r);
  const nodeOf = (id: string) => plan.steps[id]!;

  const varsOf = (coupon: IssuedCoupon | null): RenderVars => ({
    follower: buildFollowerFact(follower),
    coupon: couponVars(coupon),
    event: buildEventFact(context.event),
  });
  /** Messages sent within `ms` before now (one follower, one flow: both caps count these). */
  const sentWithin = (ms: number) =>
    sent.filter((m) => m.channel !== 'mass' && m.ms > now - ms).length;

  const effects: JourneyEffects = {
    async evaluateCondition({ ref, rules, coupon }) {
      const facts = buildFacts({
        follower,
        event: context.event,
        journey: { enteredAt: context.enteredAt, coupon },
      });
      const yes = await evaluateRules(rules, facts, now);
      record(ref, { status: 'completed', reason: null, output: { port: yes ? 'yes' : 'no' } });
      return yes;
    },
    async recordStep({ ref, status, reason, output }) {
      record(ref, { status, reason: reason ?? null, output: output ?? null });
      if (status === 'entered') {
        const node = nodeOf(ref.stepId);
        const quiet = reason === 'quiet_hours';
        const end =
          quiet && plan.settings.quietHours
            ? quietHoursEnd(
                now,
                plan.settings.timezone,
                plan.settings.quietHours.fromMinutes,
                plan.settings.quietHours.toMinutes,
              )
            : null;
        const w = end !== null ? wallTime(end, timezone) : null;
        const hhmm = w
          ? `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`
          : '';
        trace.push({
          at: iso(now),
          nodeId: ref.stepId,
          kind: ref.kind,
          port: null,
          outcome: quiet ? 'deferred' : 'waiting',
          why: quiet
            ? t(
                `${stepText(node, { status: 'entered', reason, output: null }).en} The push goes out at ${hhmm}.`,
                `${stepText(node, { status: 'entered', reason, output: null })['zh-CN']}将在 ${hhmm} 发送。`,
              )
            : stepText(node, { status: 'entered', reason: reason ?? null, output: null }),
        });
      }
    },
    async tagFollower({ ref, add, remove, coupon }) {
      const vars = varsOf(coupon);
      const added: string[] = [];
      const refused: { tag: string; reason: string }[] = [];
      for (const tag of add) {
        const rendered = tag.includes('{{')
          ? renderTagName(tag, vars)
          : { ok: true as const, name: tag };
        if (!rendered.ok) {
          refused.push({ tag, reason: rendered.reason });
          continue;
        }
        if (follower.tags.includes(rendered.name)) continue;
        if (follower.tags.length >= FOLLOWER_TAG_LIMIT) {
          refused.push({ tag: rendered.name, reason: 'wechat_45059' });
          continue;
        }
        follower.tags.push(rendered.name);
        added.push(rendered.name);
      }
      for (const tag of remove) {
        const i = follower.tags.indexOf(tag);
        if (i >= 0) follower.tags.splice(i, 1);
      }
      record(ref, {
        status:
          refused.length && added.length === 0 && remove.length === 0 ? 'skipped' : 'completed',
        reason: refused.length ? 'tag_refused' : null,
        output: { add: added, remove, ...(refused.length ? { refused } : {}) },
      });
    },
    async issueCoupon({ ref, pool }) {
      couponSeq += 1;
      const code = `SAMPLE-${String(couponSeq).padStart(4, '0')}`;
      const expiry = brand.pools?.[pool] ?? null;
      const exp = expiry ? couponExpiresAt(expiry, now, timezone) : null;
      const coupon: IssuedCoupon = {
        code,
        pool,
        expiresAt: exp === null ? null : iso(exp),
        expiresOn: exp === null ? null : expiryDate(exp, timezone),
      };
      record(ref, { status: 'completed', reason: null, output: { code, pool } });
      return coupon;
    },
    async pushMessage({ ref, message, channel, fallback, coupon, frequencyCap }) {
      const vars = varsOf(coupon);
      const rendered = renderMessage(message, vars);
      const fb =
        channel === 'auto' && rendered.type !== 'template' && fallback
          ? renderMessage(fallback, vars)
          : null;
      const outcome = (
        o: 'sent' | 'skipped' | 'deferred',
        via: 'customer_service' | 'template' | 'mass' | null,
        reason: string | null,
        m: PushMessage | null,
      ) => {
        if (m && via && o !== 'skipped')
          sent.push({ at: iso(now), ms: now, nodeId: ref.stepId, channel: via, message: m });
        record(ref, {
          status: o === 'skipped' ? 'skipped' : 'completed',
          reason,
          output: { channel: via },
          message: { outcome: o, channel: via, text: m ? messageText(m) : null },
        });
        return { outcome: o, channel: via, errcode: null, reason };
      };
      const content = JSON.stringify(rendered);
      const blocked = await firstBlock({
        unfollowed: () => !follower.subscribed,
        frequency_cap: () => !!frequencyCap && sentWithin(frequencyCap.perMs) >= frequencyCap.max,
        brand_frequency_cap: () =>
          !!brand.frequencyCap &&
          sentWithin(durationMs(brand.frequencyCap.per)) >= brand.frequencyCap.max,
        repeat_content: () => {
          const today = localDate(now, timezone);
          const days = new Set(
            sent
              .filter((m) => JSON.stringify(m.message) === content)
              .map((m) => localDate(m.ms, timezone))
              .filter((d) => d < today),
          );
          const day = 86_400_000;
          return (
            days.has(localDate(now - day, timezone)) && days.has(localDate(now - 2 * day, timezone))
          );
        },
      });
      if (blocked) return outcome('skipped', null, blocked, rendered);
      const route = pushChannel(rendered.type, channel);
      if ('skip' in route) return outcome('skipped', null, route.skip, rendered);
      if (route.via === 'template') return outcome('sent', 'template', null, rendered);
      const taken = takeQuota(quota, now);
      if (taken.ok) {
        quota = taken.quota;
        return outcome('sent', 'customer_service', null, rendered);
      }
      const instead = whenQuotaRefused(taken.reason, {
        hasFallback: fb !== null,
        requested: channel,
        broadcast: context.event.type === 'custom' && context.event.name === 'broadcast',
        content: rendered.type,
      });
      if (instead.via === 'fallback') return outcome('sent', 'template', instead.reason, fb);
      if (instead.via === 'mass') return outcome('deferred', 'mass', instead.reason, rendered);
      return outcome('skipped', 'customer_service', instead.reason, rendered);
    },
    async swapMenu({ ref, menu }) {
      record(ref, { status: 'completed', reason: null, output: { menu } });
    },
    async updateProfile({ ref, set, addPoints, tier }) {
      if (addPoints) follower.points = Number(follower.points ?? 0) + addPoints;
      if (tier) follower.tier = tier;
      if (set) Object.assign(follower.attributes, set);
      record(ref, { status: 'completed', reason: null, output: null });
    },
    async callWebhook({ ref }) {
      record(ref, { status: 'completed', reason: null, output: null });
    },
    async finishJourney() {},
    async recordConversion() {},
  };

  // --- the virtual clock --------------------------------------------------------------------
  const machine = createJourney(
    { context, plan, entryNodeId: entered.nodeId },
    {
      now: () => now,
      patched: () => true,
      effects,
      continueAsNewSuggested: () => false,
      continueAsNew: () => Promise.reject(new Error('a simulation never continues as new')),
      businessFailure: (error) => (error instanceof SimFailure ? error.type : null),
      planError: (message) => new SimFailure(`E_PLAN: ${message}`),
      async condition(predicate, timeoutMs) {
        const deadline = timeoutMs === undefined ? Infinity : now + timeoutMs;
        for (;;) {
          if (predicate()) return true;
          const e = events[next];
          if (e && e.ms <= deadline && e.ms <= until) {
            next += 1;
            now = Math.max(now, e.ms);
            const event = flowEventOf(e);
            apply(event, now);
            const facts = buildFacts({ follower, event });
            machine.onEvent({ ...event, whereHolds: await whereVerdicts(plan, event, facts, now) });
            continue;
          }
          if (deadline > until) {
            now = until;
            throw new Horizon();
          }
          now = deadline;
          return false;
        }
      },
      stepDone(ref, port) {
        const node = nodeOf(ref.stepId);
        const recorded = records.get(keyOf(ref));
        // A wait's record says `entered` until the journey moves on: now it is done.
        const r: StepRecord =
          !recorded || recorded.status === 'entered'
            ? { reason: null, output: null, ...recorded, status: 'completed' }
            : recorded;
        if (port === null && node.kind !== 'flow.end' && r.status !== 'failed') return;
        const output = { ...(r.output ?? {}), ...(port ? { port } : {}) };
        trace.push({
          at: iso(now),
          nodeId: ref.stepId,
          kind: ref.kind,
          port,
          outcome: r.message?.outcome ?? r.status,
          ...(r.message ? { channel: r.message.channel } : {}),
          ...(r.reason ? { reason: r.reason } : {}),
          why: stepText(
            node,
            { status: r.status === 'entered' ? 'completed' : r.status, reason: r.reason, output },
            r.message ?? null,
          ),
        });
      },
    },
  );

  try {
    const result = await machine.run();
    return {
      trace,
      messages: sent.map(({ ms: _ms, ...m }) => m),
      end: {
        status: result.status,
        reason: result.reason,
        at: iso(now),
        why: endText(result.status, result.reason),
      },
    };
  } catch (error) {
    if (!(error instanceof Horizon)) throw error;
    const where = machine.position();
    return {
      trace,
      messages: sent.map(({ ms: _ms, ...m }) => m),
      end: {
        status: 'waiting',
        reason: 'until_reached',
        at: iso(until),
        why: t(
          `Still in the flow when the simulation stopped watching${where.waiting ? ` (waiting at ${where.waiting})` : ''}.`,
          `模拟结束时仍在流程中${where.waiting ? `（停在 ${where.waiting}）` : ''}。`,
        ),
      },
    };
  }
}

function endText(status: string, reason: string | null): LocalizedText {
  switch (status) {
    case 'completed':
      return t('Finished the flow.', '完成了流程。');
    case 'converted':
      return t('Reached the flow’s goal.', '达成了流程目标。');
    case 'exited': {
      const r = reasonText(reason ?? 'exit_event');
      return t(`Left the flow: ${r.en}`, `离开了流程：${r['zh-CN']}`);
    }
    default: {
      const r = reasonText(reason ?? 'failed');
      return t(`Stopped on an error: ${r.en}`, `因错误中止：${r['zh-CN']}`);
    }
  }
}
