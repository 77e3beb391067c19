/**
 * The events API's use case (POST /api/v1/brands/:brand/events, answered by
 * app/lib/events-api.server.ts): purchases, profile updates and custom events from the
 * brand's own systems. Authenticated with a per-brand API key; each event is stored once
 * under its dedupe key (order id, or the caller's event id) and dispatched from the outbox.
 *
 * Everything the schema accepts can be stored: text without U+0000 or lone surrogates,
 * nesting at most MAX_EVENT_DEPTH deep, instants PostgreSQL and JavaScript both represent,
 * amounts the follower's totals hold (docs/decisions/004-input-bounds.md). What it refuses
 * is a 400 with a code and a sentence, and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { Birthday, unstorable } from '../../engine/index';
import type { Db } from '../../db/client';
import type { StoredEventInput } from '../../engine/events';
import { recordEvent, wakeDispatcher } from '../events/outbox';
import { applyProfile, applyPurchase, ensureFollower } from '../followers/store';
import { events } from '../../db/schema';
import { authenticateBrandKey } from '../api-keys/store';
import type { ServiceDeps } from '../deps';
import { when } from './bounds';
import { CouponRedeemedEvent, redeemCoupon, type Redemption } from './coupon-redeemed';

/** The event object is level 0; `properties` / `attributes` may nest 14 levels below theirs. */
export const MAX_EVENT_DEPTH = 16;
const openid = z.string().min(1).max(64);
const eventId = z.string().min(1).max(128).optional();

export const PurchaseEvent = z.strictObject({
  type: z.literal('purchase'),
  openid,
  orderId: z.string().min(1).max(128),
  amount: z.number().nonnegative().max(1e9),
  currency: z.string().length(3).default('CNY'),
  items: z
    .array(
      z.strictObject({
        sku: z.string().min(1).max(128),
        category: z.string().min(1).max(64).optional(),
        quantity: z.number().int().positive().default(1),
        price: z.number().nonnegative().optional(),
      }),
    )
    .max(500)
    .default([]),
  occurredAt: when,
});

export const ProfileEvent = z.strictObject({
  type: z.literal('profile'),
  openid,
  id: eventId,
  birthday: Birthday.nullable().optional(),
  gender: z.enum(['male', 'female', 'other']).nullable().optional(),
  city: z.string().max(64).nullable().optional(),
  province: z.string().max(64).nullable().optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 -]{5,20}$/, 'not a phone number')
    .nullable()
    .optional(),
  tier: z.string().max(32).nullable().optional(),
  attributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.unknown()).optional(),
  occurredAt: when,
});

export const CustomEvent = z.strictObject({
  type: z.literal('custom'),
  openid,
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (max 64)'),
  id: eventId,
  properties: z.record(z.string(), z.unknown()).default({}),
  occurredAt: when,
});

const Storable = z.unknown().superRefine((body, ctx) => {
  for (const { path, problem } of unstorable(body, { maxDepth: MAX_EVENT_DEPTH, limit: 1 }))
    ctx.addIssue({ code: 'custom', path, message: STORABLE[problem] });
});
const STORABLE = {
  nul: 'contains U+0000, which cannot be stored',
  surrogate: 'contains a lone UTF-16 surrogate (half of a character), which cannot be stored',
  depth: `is nested more than ${MAX_EVENT_DEPTH} levels deep`,
} as const;

/** Storable first (so a bad string is reported as such, wherever it is), then the shape. */
export const ApiEvent = Storable.pipe(
  z.discriminatedUnion('type', [PurchaseEvent, ProfileEvent, CustomEvent, CouponRedeemedEvent]),
);
export type ApiEvent = z.infer<typeof ApiEvent>;
/** The events stored as sent (a `coupon_redeemed` goes through `redeemCoupon`). */
export type StoredApiEvent = Exclude<ApiEvent, { type: 'coupon_redeemed' }>;

/** The stored type, name and payload (engine/events.ts): the event as sent, less its envelope. */
function storedBody(event: StoredApiEvent): StoredEventInput {
  if (event.type === 'purchase') {
    const { type, openid: _o, occurredAt: _a, ...payload } = event;
    return { type, payload };
  }
  if (event.type === 'profile') {
    const { type, openid: _o, occurredAt: _a, ...payload } = event;
    return { type, payload };
  }
  const { type, openid: _o, occurredAt: _a, ...payload } = event;
  return { type, name: event.name, payload };
}

function dedupeKey(event: StoredApiEvent): string {
  if (event.type === 'purchase') return `purchase:${event.orderId}`;
  return `${event.type}:${event.id ?? randomUUID()}`;
}

/** A purchase replayed under its orderId with another amount or currency. */
export class OrderConflict extends Error {
  constructor(
    readonly orderId: string,
    readonly stored: string,
    readonly sent: string,
  ) {
    super(`order ${orderId}: ${stored} recorded, ${sent} sent`);
  }
}

/** "129.90 CNY": an amount as the conflict answer shows it (and compares it). */
const money = (amount: unknown, currency: unknown) =>
  `${Number(amount).toFixed(2)} ${typeof currency === 'string' ? currency : 'CNY'}`;

/**
 * Stores the event and applies it to the follower, in one transaction. A replay changes
 * nothing: its transaction is rolled back (so not even a follower row it would have created
 * stays), and a purchase replayed with another amount is an OrderConflict.
 */
async function record(
  db: Db,
  brandId: string,
  event: StoredApiEvent,
  occurredAt: Date,
): Promise<{ id: string; duplicate: boolean }> {
  const replay = new Error('replay');
  let replayed: { id: string; duplicate: boolean } | null = null;
  try {
    return await db.transaction(async (tx) => {
      const followerId = await ensureFollower(tx, brandId, event.openid);
      const recorded = await recordEvent(
        tx,
        {
          brandId,
          followerId,
          openid: event.openid,
          ...storedBody(event),
          dedupeKey: dedupeKey(event),
          occurredAt,
        },
        { notify: 'caller' },
      );
      if (recorded.duplicate) {
        if (event.type === 'purchase') {
          const [first] = await tx
            .select({ payload: events.payload })
            .from(events)
            .where(sql`${events.id} = ${recorded.id}`);
          const stored = money(first?.payload.amount, first?.payload.currency);
          const sent = money(event.amount, event.currency);
          if (stored !== sent) throw new OrderConflict(event.orderId, stored, sent);
        }
        replayed = recorded;
        throw replay;
      }
      if (event.type === 'purchase')
        await applyPurchase(tx, followerId, { amount: event.amount, at: occurredAt });
      if (event.type === 'profile') {
        const { type: _t, openid: _o, id: _i, occurredAt: _a, ...profile } = event;
        await applyProfile(tx, followerId, profile);
      }
      return recorded;
    });
  } catch (error) {
    if (error === replay && replayed) return replayed;
    throw error;
  }
}

export function createEventsApi(deps: ServiceDeps) {
  return {
    /** The brand a bearer key opens, or why not (status, code, sentence). */
    authenticate: (brandSlug: string, bearer: string | null) =>
      authenticateBrandKey(deps.db, brandSlug, bearer),

    /**
     * Stores the event once and applies it to the follower; a new event wakes the dispatcher.
     * A purchase replayed with another amount throws OrderConflict.
     */
    async record(
      brandId: string,
      event: StoredApiEvent,
      occurredAt: Date,
    ): Promise<{ id: string; duplicate: boolean }> {
      const result = await record(deps.db, brandId, event, occurredAt);
      if (!result.duplicate) wakeDispatcher(deps.db);
      return result;
    },

    /** Marks a coupon code redeemed, once, and credits its journey and QR channel. */
    async redeemCoupon(
      brandId: string,
      event: CouponRedeemedEvent,
      occurredAt: Date,
    ): Promise<Redemption> {
      const result = await redeemCoupon(deps.db, brandId, event, occurredAt);
      if (result.ok) wakeDispatcher(deps.db);
      return result;
    },
  };
}

export type EventsApiService = ReturnType<typeof createEventsApi>;
