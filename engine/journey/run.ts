/**
 * The journey's semantics, in one place (docs/architecture.md#the-journey-step-machine): one
 * follower's walk through one flow version — which step comes next, conditions, split buckets,
 * waits and their timeouts, quiet hours, held pushes, exit and goal — with no I/O of its own.
 * Two drivers run it:
 *
 * - the Temporal workflow (workflows/workflows/journey.ts): time is workflow time, waits are
 *   durable timers, effects are activities, events arrive as signals;
 * - the simulator (engine/simulate): a virtual clock, a scripted follower, effects in memory.
 *
 * A driver gives the clock, `condition` (wait until a predicate holds or a timeout passes),
 * `patched` and the effects; it feeds heard events to `onEvent`. What the machine asks of the
 * driver, and in which order, is what a journey's event history records: a change here that
 * alters that order must be behind `driver.patched()` (docs/decisions/007-changing-journeys.md),
 * and the committed histories (test/fixtures/workflows/histories) replay it in CI.
 */
import { matchesEventFilters, matchesHeard, needsWhere } from '../match-event';
import { isNodeKind } from '../nodes/spec';
import type { ExecutionPlan, PlanStep } from '../plan';
import type { EventMatcher } from '../schema/event-matcher';
import type { PushChannel, PushMessage, TemplateMessage } from '../schema/message';
import type { RuleCondition } from '../schema/rules';
import { nextTimeOfDay, quietHoursEnd } from '../time';
import type {
  IssuedCoupon,
  JourneyContext,
  JourneyEvent,
  JourneyInput,
  JourneyOutcome,
  JourneyStatus,
  PushResult,
  StepRef,
} from './types';
import { typedStep, unhandledKind, type PlanConfig, type TypedPlanStep } from './steps';

/** What a journey asks the world to do. The Temporal driver's activities have these shapes. */
export interface JourneyEffects {
  evaluateCondition(input: {
    ref: StepRef;
    rules: RuleCondition;
    coupon: IssuedCoupon | null;
  }): Promise<boolean>;
  recordStep(input: {
    ref: StepRef;
    status: 'entered' | 'completed';
    reason?: string | null;
    output?: Record<string, unknown> | null;
  }): Promise<void>;
  tagFollower(input: {
    ref: StepRef;
    add: string[];
    remove: string[];
    coupon: IssuedCoupon | null;
  }): Promise<void>;
  issueCoupon(input: { ref: StepRef; pool: string }): Promise<IssuedCoupon>;
  pushMessage(input: {
    ref: StepRef;
    message: PushMessage;
    channel: PushChannel;
    fallback?: TemplateMessage | null;
    coupon: IssuedCoupon | null;
    frequencyCap: { max: number; perMs: number } | null;
  }): Promise<PushResult>;
  swapMenu(input: { ref: StepRef; menu: string }): Promise<void>;
  updateProfile(input: {
    ref: StepRef;
    set?: PlanConfig<'action.update_profile'>['set'];
    addPoints?: number;
    tier?: string;
    coupon: IssuedCoupon | null;
  }): Promise<void>;
  callWebhook(input: {
    ref: StepRef;
    url: string;
    body: Record<string, unknown> | undefined;
    coupon: IssuedCoupon | null;
  }): Promise<void>;
  finishJourney(input: {
    context: JourneyContext;
    status: JourneyStatus;
    reason: string | null;
    conversion?: { eventId: string; occurredAt: string } | null;
  }): Promise<void>;
  recordConversion(input: {
    context: JourneyContext;
    conversion: { eventId: string; occurredAt: string };
  }): Promise<void>;
}

export interface JourneyDriver {
  /** The journey's clock (epoch ms): workflow time, or the simulator's virtual time. */
  now(): number;
  /** Waits until `predicate` holds (true) or `timeoutMs` passed (false). */
  condition(predicate: () => boolean, timeoutMs?: number): Promise<boolean>;
  /** Temporal's `patched()`; the simulator runs the newest behaviour (always true). */
  patched(id: string): boolean;
  effects: JourneyEffects;
  /** Temporal suggests continuing as new; the driver then calls `continueAsNew`. */
  continueAsNewSuggested(): boolean;
  continueAsNew(resume: NonNullable<JourneyInput['resume']>): Promise<never>;
  /** A failure that ends the journey as `failed` with this type; null: let it propagate. */
  businessFailure(error: unknown): string | null;
  /** The plan names a kind the machine cannot run (validation refuses such plans). */
  planError(message: string): Error;
  /**
   * Told after every step, with the port it left by (null: the journey ended there). The
   * simulator builds its trace from it; the Temporal driver leaves it out (no command).
   */
  stepDone?(ref: StepRef, port: string | null): void;
}

/** How long a push held by a paused flow waits before asking again (a lost resume signal). */
export const HOLD_RETRY_MS = 15 * 60_000;

/** The journey's patches, in the order they were introduced (docs/decisions/007). */
export const JOURNEY_PATCHES = {
  /** exitOn, goal and wait.event honour a custom event's `where` rules. */
  where: 'journey-where-rules',
  /** A goal heard while the journey was being finished is recorded as its conversion. */
  lateGoal: 'journey-late-goal',
  /** A wait.event counts events from the moment the journey reaches it. */
  waitFromArrival: 'journey-wait-from-arrival',
  /** A held push also wakes when the flow is resumed (not only every 15 minutes). */
  resumeReleasesHold: 'resume-releases-held-push',
  /** An `action.push` with a template fallback hands it to the push effect. */
  pushFallback: 'push-template-fallback',
  /**
   * A condition is judged by a local activity (a read and its step record, idempotent): no
   * activity task and no extra workflow task per condition (issue 15; the Temporal driver).
   */
  localCondition: 'journey-local-condition',
} as const;

/** FNV-1a: a stable bucket 0–99 for (follower, step), so a follower always takes the same branch. */
export function splitBucket(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 100;
}

/** The branch a bucket falls in: percents add up in order. */
export function splitBranch(
  branches: readonly { port: string; percent: number }[],
  bucket: number,
): string {
  let sum = 0;
  return (branches.find((br) => (sum += br.percent) > bucket) ?? branches[branches.length - 1]!)
    .port;
}

/** Where a journey waits, for queries and for the simulator's trace. */
export interface JourneyPosition {
  stepId: string | null;
  waiting: string | null;
}

export interface Journey {
  /** A heard event (a signal): exit, goal, or an entry in the inbox a wait.event reads. */
  onEvent(event: JourneyEvent): void;
  /** The router ends the journey (the flow was archived, …). */
  onExit(reason: string): void;
  /** The flow was resumed: a held push goes out now. */
  onResumed(): void;
  position(): JourneyPosition;
  /** Walks the plan until the journey ends; finishes it (records the outcome) and returns it. */
  run(): Promise<JourneyOutcome>;
}

/**
 * Whether an event of this type can change a journey on `plan` (what `onEvent` does with it):
 * an unfollow always ends it; otherwise only the types its exits, its goal or its event waits
 * name. The router signals a running journey only with these; any other event would be heard
 * and ignored — a signal and a workflow task for nothing.
 */
export function planHears(
  plan: Pick<ExecutionPlan, 'settings' | 'steps'>,
  type: JourneyEvent['type'],
): boolean {
  if (type === 'unfollow') return true;
  const { exitOn, goal } = plan.settings;
  if (exitOn.some((m) => m.type === type) || goal?.event.type === type) return true;
  return Object.values(plan.steps).some((step) => {
    const typed = typedStep(step);
    return typed.kind === 'wait.event' && typed.config.event.type === type;
  });
}

export function createJourney(input: JourneyInput, driver: JourneyDriver): Journey {
  const { plan, context } = input;
  const { effects: acts, patched } = driver;
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
  let resumes = 0;

  /**
   * One matcher for the journey: the filters, and a custom event's `where` rules as the router
   * judged them. Journeys from before the patch matched on the filters alone. (The patch is
   * decided here, never inside a `condition` predicate.)
   */
  function matcherOf(m: EventMatcher, key: string): (e: JourneyEvent) => boolean {
    const withWhere = needsWhere(m) && patched(JOURNEY_PATCHES.where);
    return (e) => (withWhere ? matchesHeard(m, key, e) : matchesEventFilters(m, e));
  }

  // The outbox delivers at least once: a replayed event (a crash between routing it and
  // marking it dispatched) must not count twice, and the journey's own entry event — or any
  // event older than it — must not count at all (it would fake a goal, an exit or a wait).
  // One stored event may arrive as several variants (a purchase, once per item category).
  const heardKey = (e: JourneyEvent) => `${e.id}|${e.category ?? ''}`;
  const heard = new Set<string>();
  const entryOrOlder = (id: string) =>
    id === context.event.id ||
    (/^\d+$/.test(id) && /^\d+$/.test(context.event.id) && BigInt(id) < BigInt(context.event.id));

  function onEvent(event: JourneyEvent): void {
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
  }

  const over = () => exitReason !== null || converted;
  /** Sleeps up to `ms`; true when the journey was ended meanwhile. */
  const pause = async (ms: number): Promise<boolean> => {
    if (ms > 0) await driver.condition(over, ms);
    return over();
  };

  /** Runs one step; the port it leaves by, or null where the journey ends. */
  async function runStep(step: TypedPlanStep, ref: StepRef): Promise<string | null> {
    switch (step.kind) {
      case 'condition.rules':
        return (await acts.evaluateCondition({ ref, rules: step.config.rules, coupon }))
          ? 'yes'
          : 'no';
      case 'split.random': {
        const b = splitBucket(`${context.followerId}:${step.id}`);
        const port = splitBranch(step.config.branches, b);
        await acts.recordStep({ ref, status: 'completed', output: { port, bucket: b } });
        return port;
      }
      case 'wait.delay':
        waiting = step.id;
        await acts.recordStep({ ref, status: 'entered' });
        if (await pause(step.config.durationMs)) return null;
        return 'next';
      case 'wait.until': {
        waiting = step.id;
        await acts.recordStep({ ref, status: 'entered' });
        const at = nextTimeOfDay(
          driver.now(),
          settings.timezone,
          step.config.atMinutes,
          step.config.weekdays,
        );
        if (await pause(at - driver.now())) return null;
        return 'next';
      }
      case 'wait.event': {
        waiting = step.id;
        // A fan who answers the moment the previous message lands must still count.
        const arrived = patched(JOURNEY_PATCHES.waitFromArrival) ? inbox.length : undefined;
        await acts.recordStep({ ref, status: 'entered' });
        const from = arrived ?? inbox.length;
        const isHit = matcherOf(step.config.event, `step:${step.id}`);
        const hit = () => inbox.slice(from).some(isHit);
        const matched = await driver.condition(() => over() || hit(), step.config.timeoutMs);
        if (over()) return null;
        return matched ? 'matched' : 'timeout';
      }
      case 'flow.end':
        await acts.recordStep({ ref, status: 'completed' });
        return null;
      case 'action.tag':
        await acts.tagFollower({
          ref,
          add: step.config.add ?? [],
          remove: step.config.remove ?? [],
          coupon,
        });
        return 'next';
      case 'action.coupon':
        coupon = await acts.issueCoupon({ ref, pool: step.config.pool });
        return 'next';
      case 'action.push': {
        const config = step.config;
        if (settings.quietHours) {
          const end = quietHoursEnd(
            driver.now(),
            settings.timezone,
            settings.quietHours.fromMinutes,
            settings.quietHours.toMinutes,
          );
          if (end !== null) {
            waiting = step.id;
            await acts.recordStep({ ref, status: 'entered', reason: 'quiet_hours' });
            if (await pause(end - driver.now())) return null;
          }
        }
        // A paused flow holds its pushes: look again when it is resumed, and every 15 minutes
        // (a safety net: a resume whose signal was lost still releases the push).
        for (;;) {
          // Counted before asking: a resume that lands while the effect runs is not missed.
          const resumesBefore = resumes;
          const result = await acts.pushMessage({
            ref,
            message: config.message,
            channel: config.channel ?? 'auto',
            ...(config.fallback && patched(JOURNEY_PATCHES.pushFallback)
              ? { fallback: config.fallback }
              : {}),
            coupon,
            frequencyCap: settings.frequencyCap
              ? { max: settings.frequencyCap.max, perMs: settings.frequencyCap.perMs }
              : null,
          });
          if (result.outcome !== 'held') break;
          waiting = step.id;
          if (patched(JOURNEY_PATCHES.resumeReleasesHold)) {
            await driver.condition(() => over() || resumes > resumesBefore, HOLD_RETRY_MS);
            if (over()) return null;
          } else if (await pause(HOLD_RETRY_MS)) return null;
        }
        return 'next';
      }
      case 'action.menu_swap':
        await acts.swapMenu({ ref, menu: step.config.menu });
        return 'next';
      case 'action.update_profile':
        await acts.updateProfile({ ref, ...step.config, coupon });
        return 'next';
      case 'action.webhook':
        await acts.callWebhook({ ref, url: step.config.url, body: step.config.body, coupon });
        return 'next';
      // Triggers have no place mid-journey (validation refuses an edge into one).
      case 'trigger.follow':
      case 'trigger.unfollow':
      case 'trigger.qr_scan':
      case 'trigger.keyword':
      case 'trigger.menu_click':
      case 'trigger.location':
      case 'trigger.birthday':
      case 'trigger.repurchase_due':
      case 'trigger.purchase':
      case 'trigger.tag_added':
      case 'trigger.event':
      case 'trigger.audience':
        throw driver.planError(`cannot run a ${step.kind} step`);
      default:
        // A plan from a newer engine than this worker's: refused, never guessed at.
        if (isNodeKind((step as PlanStep).kind)) unhandledKind(step);
        throw driver.planError(`cannot run a ${(step as PlanStep).kind} step`);
    }
  }

  async function run(): Promise<JourneyOutcome> {
    let failure: string | null = null;
    while (stepId !== null && !over()) {
      if (driver.continueAsNewSuggested()) await driver.continueAsNew({ stepId, coupon, visits });
      const step = plan.steps[stepId];
      if (!step) {
        failure = `E_PLAN: no step ${stepId}`;
        break;
      }
      const visit = (visits[stepId] = (visits[stepId] ?? 0) + 1);
      const ref: StepRef = { context, stepId, kind: step.kind, visit };
      let port: string | null;
      try {
        port = await runStep(typedStep(step), ref);
      } catch (error) {
        const type = driver.businessFailure(error);
        if (!type) throw error;
        failure = type;
        driver.stepDone?.(ref, null);
        break;
      }
      driver.stepDone?.(ref, port);
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
    if (goalEvent && !convertedBefore && patched(JOURNEY_PATCHES.lateGoal))
      await acts.recordConversion({ context, conversion: conversionOf(goalEvent) });
    return outcome;
  }

  return {
    onEvent,
    onExit: (reason) => {
      exitReason ??= reason;
    },
    onResumed: () => {
      resumes += 1;
    },
    position: () => ({ stepId, waiting }),
    run,
  };
}
