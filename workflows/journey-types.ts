/**
 * Types shared by the journey workflow, its activities and the router. Type-only on the
 * workflow side, so the workflow bundle stays free of I/O code.
 */
import type { ExecutionPlan } from '../engine/plan';
import type { JourneyEvent } from '../engine/journey/types';

// The journey's own types live with the step machine (engine/journey/types.ts).
export {
  stepKey,
  type IssuedCoupon,
  type JourneyContext,
  type JourneyEvent,
  type JourneyInput,
  type JourneyOutcome,
  type JourneyStatus,
  type PushResult,
  type StepRef,
} from '../engine/journey/types';

/** A published version's plan, as the router and the date sweep enter followers into it. */
export interface LivePlan {
  flowId: string;
  versionId: string;
  plan: ExecutionPlan;
}

/**
 * Starts a journey (the router's `enter`, handed to the date-sweep activities); its workflow id,
 * or null when nobody entered now (re-entry rules, or it runs already).
 */
export type EnterJourney = (args: {
  live: LivePlan;
  brandId: string;
  followerId: string;
  openid: string;
  entryNodeId: string;
  event: JourneyEvent;
}) => Promise<string | null>;

/**
 * `EnterJourney` for many followers entering by one event (a date sweep's page): the workflow
 * ids started. The router's `enterMany` batches the database work of the page.
 */
export type EnterJourneys = (args: {
  live: LivePlan;
  brandId: string;
  entryNodeId: string;
  event: JourneyEvent;
  followers: { followerId: string; openid: string }[];
  /** Workflow starts in flight at once. */
  concurrency: number;
}) => Promise<string[]>;

/**
 * Failure types of a date-sweep page that Temporal retries (activities/sweeps.ts); when the
 * retries run out, the sweep workflow records the entry as unavailable or internal.
 */
export const SWEEP_RETRY = {
  unavailable: 'SWEEP_UNAVAILABLE',
  internal: 'SWEEP_INTERNAL',
} as const;
