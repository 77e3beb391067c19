/**
 * The execution plan: the JSON value a published version freezes and a journey workflow
 * interprets. Steps are keyed by node id with every port resolved; the trigger index tells the
 * event router and the date sweeps which flows an event or a date enters.
 */
import type { EventMatcher, EventType } from './schema/event-matcher';
import type { Parameter, Reentry } from './schema/document';
import type { RuleCondition } from './schema/rules';

export const PLAN_FORMAT = 'fanfare.plan/v1';

export interface EventEntry {
  kind: 'event';
  nodeId: string;
  /** Event types that may enter here (a qr_scan trigger also listens to follows via QR). */
  eventTypes: EventType[];
  matcher: EventMatcher;
  /** trigger.location: minimum time between two entries of the same follower. */
  cooldownMs?: number;
}

export interface DateEntry {
  kind: 'date';
  nodeId: string;
  schedule: 'birthday' | 'repurchase_due';
  daysBefore: number;
  /** HH:MM in the flow timezone, and the same as minutes after midnight. */
  at: string;
  atMinutes: number;
  category?: string;
  cycleDays?: number;
}

export interface BroadcastEntry {
  kind: 'broadcast';
  nodeId: string;
  /** ISO date-time; without an offset it is read in the flow timezone. */
  at: string;
  audience: RuleCondition;
}

export type TriggerEntry = EventEntry | DateEntry | BroadcastEntry;

export interface TriggerIndex {
  events: Partial<Record<EventType, EventEntry[]>>;
  dates: DateEntry[];
  broadcasts: BroadcastEntry[];
}

export interface PlanSettings {
  timezone: string;
  reentry: Reentry;
  quietHours: { from: string; to: string; fromMinutes: number; toMinutes: number } | null;
  frequencyCap: { max: number; per: string; perMs: number } | null;
  exitOn: EventMatcher[];
  goal: { event: EventMatcher; within: string; withinMs: number } | null;
}

export interface PlanStep {
  id: string;
  kind: string;
  /** The node's config with defaults applied and durations/times resolved. */
  config: unknown;
  /** Every output port of the kind → the next node id, or null where the journey ends. */
  next: Record<string, string | null>;
}

export interface ExecutionPlan {
  format: typeof PLAN_FORMAT;
  /** sha256 (hex) of the behaviour: ignores key order, node/edge order, positions, labels. */
  hash: string;
  name: string;
  settings: PlanSettings;
  /** Declared parameters and the value bound into the steps (null: left for run time). */
  parameters: (Pick<Parameter, 'name' | 'kind'> & { value: string | null })[];
  triggers: TriggerIndex;
  steps: Record<string, PlanStep>;
}
