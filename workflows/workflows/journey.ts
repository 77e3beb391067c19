/**
 * One follower's journey through one flow version, on Temporal: the driver of the engine's step
 * machine (engine/journey/run.ts, where the semantics live). Here time is workflow time, waits
 * are durable timers, effects are activities and events arrive as signals. Deterministic: facts
 * are read by activities, the split bucket is a hash of the follower and the step. A custom
 * event's `where` rules are judged by the router, which sends its verdicts with the event
 * (engine/match-event.ts).
 *
 * Changes to the commands a running journey issues are behind `patched()`, so the histories of
 * journeys that started before still replay:
 * - `journey-where-rules`: exitOn, goal and wait.event honour a custom event's `where` rules;
 * - `journey-late-goal`: a goal event heard while the journey was being finished is recorded
 *   as its conversion (after the end, the router records it);
 * - `journey-wait-from-arrival`: a wait.event counts events from the moment the journey
 *   reaches it, including one heard while the step's "entered" record is being written;
 * - `resume-releases-held-push`: a push held by a paused flow also wakes on the resume signal;
 * - `push-template-fallback`: an `action.push` hands its template fallback to the activity;
 * - `journey-local-condition`: a condition is judged in a local activity.
 * The names live in `JOURNEY_PATCHES` (engine/journey/run.ts); docs/decisions/007.
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
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { createJourney, JOURNEY_PATCHES, type JourneyEffects } from '../../engine/journey/run';
import type { Activities } from '../activities';
import type { JourneyEvent, JourneyInput, JourneyOutcome } from '../journey-types';

export const eventSignal = defineSignal<[JourneyEvent]>('event');
export const exitSignal = defineSignal<[string]>('exit');
/** The flow was resumed (the router's answer to `flow_resumed`): a held push goes out now. */
export const flowResumedSignal = defineSignal('flowResumed');
export const currentStepQuery = defineQuery<{ stepId: string | null; waiting: string | null }>(
  'currentStep',
);

const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 100,
  },
} as const;
const acts = proxyActivities<Activities>(ACTIVITY_OPTIONS);
/** Reads with an idempotent record, run by the worker inside the workflow task (no task queue). */
const local = proxyLocalActivities<Activities>(ACTIVITY_OPTIONS);

/**
 * The effects the step machine asks for: activities, except a condition, which journeys
 * started since `journey-local-condition` judge in a local activity.
 */
const effects: JourneyEffects = new Proxy(acts, {
  get: (target, name, receiver) =>
    name === 'evaluateCondition'
      ? (input: Parameters<JourneyEffects['evaluateCondition']>[0]) =>
          patched(JOURNEY_PATCHES.localCondition)
            ? local.evaluateCondition(input)
            : target.evaluateCondition(input)
      : Reflect.get(target, name, receiver),
});

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
  const machine = createJourney(input, {
    now: () => Date.now(),
    condition: (predicate, timeoutMs) =>
      timeoutMs === undefined
        ? condition(predicate).then(() => true)
        : condition(predicate, timeoutMs),
    patched,
    effects,
    continueAsNewSuggested: () => workflowInfo().continueAsNewSuggested,
    continueAsNew: (resume) => continueAsNew<typeof journey>({ ...input, resume }),
    businessFailure: businessFailureType,
    planError: (message) => ApplicationFailure.nonRetryable(message, 'E_PLAN'),
  });
  setHandler(eventSignal, machine.onEvent);
  setHandler(exitSignal, machine.onExit);
  setHandler(flowResumedSignal, machine.onResumed);
  setHandler(currentStepQuery, machine.position);
  return machine.run();
}
