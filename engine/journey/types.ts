/**
 * The types a journey carries and hands to its effects, shared by the step machine
 * (./run.ts), its two drivers (the Temporal workflow and the simulator), the activities and
 * the router. Type-only apart from `stepKey`: the workflow bundle stays free of I/O code.
 */
import type { ExecutionPlan } from '../plan';
import type { FlowEvent } from '../schema/event-matcher';

/** An event as a journey sees it: the engine's FlowEvent plus our record's id and time. */
export interface JourneyEvent extends FlowEvent {
  id: string;
  occurredAt: string;
  /**
   * Signals only: the keys of this journey's matchers whose `where` rules the router found to
   * hold for the event (engine/match-event.ts › whereVerdicts).
   */
  whereHolds?: string[];
}

export interface JourneyContext {
  journeyId: string;
  workflowId: string;
  brandId: string;
  flowId: string;
  versionId: string;
  followerId: string;
  openid: string;
  enteredAt: string;
  event: JourneyEvent;
}

export interface IssuedCoupon {
  code: string;
  /** When the code expires (ISO instant; conditions compare it), null: never. */
  expiresAt: string | null;
  /**
   * Its last day as messages show `{{coupon.expiresAt}}`: YYYY-MM-DD in the brand's time
   * zone. Absent in coupons issued before it existed (they never had an expiry).
   */
  expiresOn?: string | null;
  pool: string;
}

export interface JourneyInput {
  context: JourneyContext;
  plan: ExecutionPlan;
  entryNodeId: string;
  /** Carried over by continue-as-new. */
  resume?: {
    stepId: string | null;
    coupon: IssuedCoupon | null;
    visits: Record<string, number>;
  };
}

export type JourneyStatus = 'completed' | 'exited' | 'converted' | 'failed';

export interface JourneyOutcome {
  status: JourneyStatus;
  reason: string | null;
  lastStep: string | null;
}

/** Identifies one visit of one step: the idempotency key of its side effects. */
export interface StepRef {
  context: JourneyContext;
  stepId: string;
  kind: string;
  visit: number;
}

export const stepKey = (ref: StepRef) => `${ref.context.workflowId}:${ref.stepId}:${ref.visit}`;

export interface PushResult {
  /** 'held': the flow is paused; nothing was recorded, the journey tries again later. */
  /** 'deferred': waits in a broadcast's mass-send batch (activities/mass.ts). */
  outcome: 'sent' | 'skipped' | 'failed' | 'held' | 'deferred';
  channel: 'customer_service' | 'template' | 'mass' | null;
  errcode: number | null;
  reason: string | null;
}
