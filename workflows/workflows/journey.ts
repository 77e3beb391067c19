/**
 * One follower's journey through one flow version: interprets the ExecutionPlan step by step.
 * Deterministic: facts are read by activities, time is workflow time, the split bucket is a hash
 * of the follower and the step. Exit (exitOn, unfollow, archive) and goal arrive as signals and
 * end the journey at once, wherever it waits.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { matchesEventFilters } from '../../engine/match-event';
import type { PlanStep } from '../../engine/plan';
import type { EventMatcher } from '../../engine/schema/event-matcher';
import type { PushMessage } from '../../engine/schema/message';
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
    else if (settings.exitOn.some((m) => matchesEventFilters(m, event)))
      exitReason ??= 'exit_event';
    else if (
      settings.goal &&
      matchesEventFilters(settings.goal.event, event) &&
      Date.parse(event.occurredAt) - enteredAt <= settings.goal.withinMs
    ) {
      converted = true;
    }
    inbox.push(event);
  });
  setHandler(exitSignal, (reason) => {
    exitReason ??= reason;
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
        await acts.recordStep({ ref, status: 'entered' });
        const from = inbox.length;
        const matcher = config.event as EventMatcher;
        const hit = () => inbox.slice(from).some((e) => matchesEventFilters(matcher, e));
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
        // A paused flow holds its pushes: look again every 15 minutes until it is live.
        for (;;) {
          const result = await acts.pushMessage({
            ref,
            message: config.message as PushMessage,
            channel: (config.channel as 'auto' | 'customer_service' | 'template') ?? 'auto',
            coupon,
            frequencyCap: settings.frequencyCap
              ? { max: settings.frequencyCap.max, perMs: settings.frequencyCap.perMs }
              : null,
          });
          if (result.outcome !== 'held') break;
          waiting = step.id;
          if (await pause(HOLD_RETRY_MS)) return null;
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
  await acts.finishJourney({ context, status: outcome.status, reason: outcome.reason });
  return outcome;
}
