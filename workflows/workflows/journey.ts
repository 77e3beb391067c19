/**
 * One follower's journey through one flow version: interprets the ExecutionPlan step by step.
 * Deterministic: facts are read by activities, time is workflow time, the split bucket is a hash
 * of the follower and the step. Exit (exitOn, unfollow, archive) and goal arrive as signals and
 * end the journey at once, wherever it waits. A custom event's `where` rules are judged by the
 * router, which sends its verdicts with the event (engine/match-event.ts).
 *
 * Changes to the commands a running journey issues are behind `patched()`, so the histories of
 * journeys that started before still replay:
 * - `journey-where-rules`: exitOn, goal and wait.event honour a custom event's `where` rules;
 * - `journey-late-goal`: a goal event heard while the journey was being finished is recorded
 *   as its conversion (after the end, the router records it);
 * - `journey-wait-from-arrival`: a wait.event counts events from the moment the journey
 *   reaches it, including one heard while the step's "entered" record is being written.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { matchesEventFilters, matchesHeard, needsWhere } from '../../engine/match-event';
import type { PlanStep } from '../../engine/plan';
import type { EventMatcher } from '../../engine/schema/event-matcher';
import type { PushMessage, TemplateMessage } from '../../engine/schema/message';
import type { RuleCondition } from '../../engine/schema/rules';
import { nextTimeOfDay, quietHoursEnd } from '../../engine/time';
import type { Activities } from '../activities';
import type {
  IssuedCoupon,
  JourneyEvent,
  JourneyInput,
  JourneyOutcome,
  StepRef,
} from '../journey-types';

export const eventSignal = defineSignal<[JourneyEvent]>('event');
export const exitSignal = defineSignal<[string]>('exit');
/** The flow was resumed (the router's answer to `flow_resumed`): a held push goes out now. */
export const flowResumedSignal = defineSignal('flowResumed');
export const currentStepQuery = defineQuery<{ stepId: string | null; waiting: string | null }>(
  'currentStep',
);

const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 100,
  },
});

const HOLD_RETRY_MS = 15 * 60_000;
const WHERE_PATCH = 'journey-where-rules';
const LATE_GOAL_PATCH = 'journey-late-goal';
const WAIT_FROM_ARRIVAL_PATCH = 'journey-wait-from-arrival';

/**
 * One matcher for the journey: the filters, and a custom event's `where` rules as the router
 * judged them. Journeys from before the patch matched on the filters alone. (The patch is
 * decided here, never inside a `condition` predicate.)
 */
function matcherOf(m: EventMatcher, key: string): (e: JourneyEvent) => boolean {
  const withWhere = needsWhere(m) && patched(WHERE_PATCH);
  return (e) => (withWhere ? matchesHeard(m, key, e) : matchesEventFilters(m, e));
}
/**
 * Journeys that held a push before the resume signal existed wait out their 15 minutes on
 * replay; from this patch on, a held push also wakes when the flow is resumed.
 */
const RESUME_RELEASES_HOLD = 'resume-releases-held-push';
/**
 * An `action.push` with a template fallback hands it to the activity (issue 10). Plans from
 * before had no fallback, so no history asks for this patch; it marks the change all the same.
 */
const PUSH_FALLBACK_PATCH = 'push-template-fallback';

/** FNV-1a: a stable bucket 0–99 for (follower, step), so a follower always takes the same branch. */
function bucket(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100;
}

function businessFailureType(error: unknown): string | null {
  if (
    error instanceof ActivityFailure &&
    error.cause instanceof ApplicationFailure &&
    error.cause.nonRetryable
  ) {
    return error.cause.type ?? 'E_ACTIVITY';
  }
  return null;
}

export async function journey(input: JourneyInput): Promise<JourneyOutcome> {
  const { plan, context } = input;
  const settings = plan.settings;
  const enteredAt = Date.parse(context.enteredAt);
  const entry = plan.steps[input.entryNodeId];
  let stepId: string | null = input.resume ? input.resume.stepId : (entry?.next.next ?? null);
  let coupon: IssuedCoupon | null = input.resume?.coupon ?? null;
  const visits: Record<string, number> = { ...(input.resume?.visits ?? {}) };
  let exitReason: string | null = null;
  let converted = false;
  /** The first goal event heard within the window: the conversion to record. */
  let goalEvent: JourneyEvent | null = null;
  let waiting: string | null = null;
  const inbox: JourneyEvent[] = [];

  // The outbox delivers at least once: a replayed event (a crash between routing it and
  // marking it dispatched) must not count twice, and the journey's own entry event — or any
  // event older than it — must not count at all (it would fake a goal, an exit or a wait).
  // One stored event may arrive as several variants (a purchase, once per item category).
  const heardKey = (e: JourneyEvent) => `${e.id}|${e.category ?? ''}`;
  const heard = new Set<string>();
  const entryOrOlder = (id: string) =>
    id === context.event.id ||
    (/^\d+$/.test(id) && /^\d+$/.test(context.event.id) && BigInt(id) < BigInt(context.event.id));
  setHandler(eventSignal, (event) => {
    if (entryOrOlder(event.id) || heard.has(heardKey(event))) return;
    heard.add(heardKey(event));
    if (event.type === 'unfollow') exitReason ??= 'unfollowed';
    else if (settings.exitOn.some((m, i) => matcherOf(m, `exitOn:${i}`)(event)))
      exitReason ??= 'exit_event';
    else if (
      settings.goal &&
      matcherOf(settings.goal.event, 'goal')(event) &&
      Date.parse(event.occurredAt) - enteredAt <= settings.goal.withinMs
    ) {
      converted = true;
      goalEvent ??= event;
    }
    inbox.push(event);
  });
  setHandler(exitSignal, (reason) => {
    exitReason ??= reason;
  });
  let resumes = 0;
  setHandler(flowResumedSignal, () => {
    resumes += 1;
  });
  setHandler(currentStepQuery, () => ({ stepId, waiting }));

  const over = () => exitReason !== null || converted;
  /** Sleeps up to `ms`; true when the journey was ended meanwhile. */
  const pause = async (ms: number): Promise<boolean> => {
    if (ms > 0) await condition(over, ms);
    return over();
  };

  async function run(step: PlanStep, ref: StepRef): Promise<string | null> {
    const config = step.config as Record<string, unknown>;
    switch (step.kind) {
      case 'condition.rules':
        return (await acts.evaluateCondition({ ref, rules: config.rules as RuleCondition, coupon }))
          ? 'yes'
          : 'no';
      case 'split.random': {
        const branches = config.branches as { port: string; percent: number }[];
        const b = bucket(`${context.followerId}:${step.id}`);
        let sum = 0;
        const chosen =
          branches.find((br) => (sum += br.percent) > b) ?? branches[branches.length - 1]!;
        await acts.recordStep({
          ref,
          status: 'completed',
          output: { port: chosen.port, bucket: b },
        });
        return chosen.port;
      }
      case 'wait.delay':
        waiting = step.id;
        await acts.recordStep({ ref, status: 'entered' });
        if (await pause(config.durationMs as number)) return null;
        return 'next';
      case 'wait.until': {
        waiting = step.id;
        await acts.recordStep({ ref, status: 'entered' });
        const at = nextTimeOfDay(
          Date.now(),
          settings.timezone,
          config.atMinutes as number,
          config.weekdays as number[] | undefined,
        );
        if (await pause(at - Date.now())) return null;
        return 'next';
      }
      case 'wait.event': {
        waiting = step.id;
        // A fan who answers the moment the previous message lands must still count.
        const arrived = patched(WAIT_FROM_ARRIVAL_PATCH) ? inbox.length : undefined;
        await acts.recordStep({ ref, status: 'entered' });
        const from = arrived ?? inbox.length;
        const isHit = matcherOf(config.event as EventMatcher, `step:${step.id}`);
        const hit = () => inbox.slice(from).some(isHit);
        const matched = await condition(() => over() || hit(), config.timeoutMs as number);
        if (over()) return null;
        return matched ? 'matched' : 'timeout';
      }
      case 'flow.end':
        await acts.recordStep({ ref, status: 'completed' });
        return null;
      case 'action.tag':
        await acts.tagFollower({
          ref,
          add: (config.add as string[]) ?? [],
          remove: (config.remove as string[]) ?? [],
          coupon,
        });
        return 'next';
      case 'action.coupon':
        coupon = await acts.issueCoupon({ ref, pool: config.pool as string });
        return 'next';
      case 'action.push': {
        if (settings.quietHours) {
          const end = quietHoursEnd(
            Date.now(),
            settings.timezone,
            settings.quietHours.fromMinutes,
            settings.quietHours.toMinutes,
          );
          if (end !== null) {
            waiting = step.id;
            await acts.recordStep({ ref, status: 'entered', reason: 'quiet_hours' });
            if (await pause(end - Date.now())) return null;
          }
        }
        // A paused flow holds its pushes: look again when it is resumed, and every 15 minutes
        // (a safety net: a resume whose signal was lost still releases the push).
        for (;;) {
          // Counted before asking: a resume that lands while the activity runs is not missed.
          const resumesBefore = resumes;
          const result = await acts.pushMessage({
            ref,
            message: config.message as PushMessage,
            channel: (config.channel as 'auto' | 'customer_service' | 'template') ?? 'auto',
            ...(config.fallback && patched(PUSH_FALLBACK_PATCH)
              ? { fallback: config.fallback as TemplateMessage }
              : {}),
            coupon,
            frequencyCap: settings.frequencyCap
              ? { max: settings.frequencyCap.max, perMs: settings.frequencyCap.perMs }
              : null,
          });
          if (result.outcome !== 'held') break;
          waiting = step.id;
          if (patched(RESUME_RELEASES_HOLD)) {
            await condition(() => over() || resumes > resumesBefore, HOLD_RETRY_MS);
            if (over()) return null;
          } else if (await pause(HOLD_RETRY_MS)) return null;
        }
        return 'next';
      }
      case 'action.menu_swap':
        await acts.swapMenu({ ref, menu: config.menu as string });
        return 'next';
      case 'action.update_profile':
        await acts.updateProfile({
          ref,
          ...(config as { set?: Record<string, never>; addPoints?: number; tier?: string }),
          coupon,
        });
        return 'next';
      case 'action.webhook':
        await acts.callWebhook({
          ref,
          url: config.url as string,
          body: config.body as Record<string, unknown> | undefined,
          coupon,
        });
        return 'next';
      default:
        // Triggers have no place mid-journey; an unknown kind cannot pass validation.
        throw ApplicationFailure.nonRetryable(`cannot run a ${step.kind} step`, 'E_PLAN');
    }
  }

  let failure: string | null = null;
  while (stepId !== null && !over()) {
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof journey>({ ...input, resume: { stepId, coupon, visits } });
    }
    const step = plan.steps[stepId];
    if (!step) {
      failure = `E_PLAN: no step ${stepId}`;
      break;
    }
    const visit = (visits[stepId] = (visits[stepId] ?? 0) + 1);
    let port: string | null;
    try {
      port = await run(step, { context, stepId, kind: step.kind, visit });
    } catch (error) {
      const type = businessFailureType(error);
      if (!type) throw error;
      failure = type;
      break;
    }
    waiting = null;
    stepId = port === null ? null : (step.next[port] ?? null);
  }

  const outcome: JourneyOutcome = exitReason
    ? { status: 'exited', reason: exitReason, lastStep: stepId }
    : converted
      ? { status: 'converted', reason: 'goal', lastStep: stepId }
      : failure
        ? { status: 'failed', reason: failure, lastStep: stepId }
        : { status: 'completed', reason: null, lastStep: null };
  const conversionOf = (e: JourneyEvent) => ({ eventId: e.id, occurredAt: e.occurredAt });
  const convertedBefore = goalEvent;
  await acts.finishJourney({
    context,
    status: outcome.status,
    reason: outcome.reason,
    ...(goalEvent ? { conversion: conversionOf(goalEvent) } : {}),
  });
  // A goal heard while finishing still counts (it arrived before the journey ended).
  if (goalEvent && !convertedBefore && patched(LATE_GOAL_PATCH))
    await acts.recordConversion({ context, conversion: conversionOf(goalEvent) });
  return outcome;
}
