/**
 * Types shared by the journey workflow, its activities and the router. Type-only on the
 * workflow side, so the workflow bundle stays free of I/O code.
 */
import type { ExecutionPlan } from '../engine/plan';
import type { FlowEvent } from '../engine/schema/event-matcher';

/** An event as a journey sees it: the engine's FlowEvent plus our record's id and time. */
export interface JourneyEvent extends FlowEvent {
  id: string;
  occurredAt: string;
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
  expiresAt: string | null;
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
  outcome: 'sent' | 'skipped' | 'failed' | 'held';
  channel: 'customer_service' | 'template' | null;
  errcode: number | null;
  reason: string | null;
}
