/**
 * The three facts rules see, built from plain records (database rows, decoded events). Facts
 * are JSON: timestamps become ISO strings and numerics numbers, so a workflow can carry them
 * in its history and evaluate them deterministically.
 */
import { type FOLLOWER_FIELDS } from '../schema/rules';
import type { FlowEvent } from '../schema/event-matcher';

type Timestamp = Date | string | number | null | undefined;

/** A follower as stored (db/schema.ts `followers` + its `follower_tags`). */
export interface FollowerRecord {
  openid: string;
  subscribed?: boolean;
  subscribedAt?: Timestamp;
  firstSubscribedAt?: Timestamp;
  subscribeScene?: string | null;
  qrScene?: string | null;
  tags?: readonly string[];
  gender?: 'male' | 'female' | 'other' | null;
  province?: string | null;
  city?: string | null;
  /** MM-DD */
  birthday?: string | null;
  tier?: string | null;
  points?: number | null;
  /** numeric(14,2) arrives as a string from Postgres */
  totalSpent?: number | string | null;
  orderCount?: number | null;
  lastPurchaseAt?: Timestamp;
  lastInteractionAt?: Timestamp;
  attributes?: Record<string, unknown> | null;
}

export type FollowerFact = {
  [K in keyof typeof FOLLOWER_FIELDS]: (typeof FOLLOWER_FIELDS)[K] extends 'tags'
    ? string[]
    : (typeof FOLLOWER_FIELDS)[K] extends 'boolean'
      ? boolean
      : (typeof FOLLOWER_FIELDS)[K] extends 'number'
        ? number
        : string | null;
} & { attributes: Record<string, unknown> };

export type EventRecord = FlowEvent & { occurredAt?: Timestamp };
export type EventFact = Record<string, unknown> & { type: string };

export interface JourneyRecord {
  enteredAt: Timestamp;
  flowId?: string;
  journeyId?: string;
  /** The coupon issued earlier in this journey, if any. */
  coupon?: { code: string; expiresAt?: Timestamp; pool?: string } | null;
  /** Anything else the workflow wants rules to see (e.g. the split branch taken). */
  data?: Record<string, unknown>;
}
export type JourneyFact = Record<string, unknown> & { enteredAt: string | null };

export interface Facts {
  follower: FollowerFact;
  event: EventFact | Record<string, never>;
  journey: JourneyFact | Record<string, never>;
}

export function iso(t: Timestamp): string | null {
  if (t === null || t === undefined) return null;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function buildFollowerFact(r: FollowerRecord): FollowerFact {
  return {
    openid: r.openid,
    subscribed: r.subscribed ?? false,
    subscribedAt: iso(r.subscribedAt),
    firstSubscribedAt: iso(r.firstSubscribedAt),
    subscribeScene: r.subscribeScene ?? null,
    qrScene: r.qrScene ?? null,
    tags: [...(r.tags ?? [])].sort(),
    gender: r.gender ?? null,
    province: r.province ?? null,
    city: r.city ?? null,
    birthday: r.birthday ?? null,
    tier: r.tier ?? null,
    points: r.points ?? 0,
    totalSpent: r.totalSpent === null || r.totalSpent === undefined ? 0 : Number(r.totalSpent),
    orderCount: r.orderCount ?? 0,
    lastPurchaseAt: iso(r.lastPurchaseAt),
    lastInteractionAt: iso(r.lastInteractionAt),
    attributes: { ...(r.attributes ?? {}) },
  };
}

/** The event with its payload flattened in (`$.amount`, `{{event.scene}}`); typed fields win. */
export function buildEventFact(e: EventRecord): EventFact {
  const { payload, occurredAt, ...fields } = e;
  const fact: EventFact = { ...(payload ?? {}), ...fields };
  if (occurredAt !== undefined) fact.occurredAt = iso(occurredAt);
  return fact;
}

export function buildJourneyFact(j: JourneyRecord): JourneyFact {
  const fact: JourneyFact = { ...(j.data ?? {}), enteredAt: iso(j.enteredAt) };
  if (j.flowId !== undefined) fact.flowId = j.flowId;
  if (j.journeyId !== undefined) fact.journeyId = j.journeyId;
  if (j.coupon)
    fact.coupon = {
      code: j.coupon.code,
      expiresAt: iso(j.coupon.expiresAt),
      ...(j.coupon.pool ? { pool: j.coupon.pool } : {}),
    };
  return fact;
}

/** All three facts; an absent event or journey is an empty object (its paths are missing). */
export function buildFacts(input: {
  follower: FollowerRecord;
  event?: EventRecord | null;
  journey?: JourneyRecord | null;
}): Facts {
  return {
    follower: buildFollowerFact(input.follower),
    event: input.event ? buildEventFact(input.event) : {},
    journey: input.journey ? buildJourneyFact(input.journey) : {},
  };
}
