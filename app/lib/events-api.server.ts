/**
 * POST /api/v1/brands/:brand/events — purchases, profile updates and custom events from the
 * brand's own systems. Authenticated with a per-brand API key; each event is stored once
 * under its dedupe key (order id, or the caller's event id) and dispatched from the outbox.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isDatabaseUnavailable, type Db } from '../../db/client';
import { authenticateBrandKey } from '../../db/api-keys';
import { recordEvent, wakeDispatcher } from '../../db/events';
import { applyProfile, applyPurchase, ensureFollower } from '../../db/followers';

const MAX_BODY_BYTES = 64 * 1024;
const openid = z.string().min(1).max(64);
const when = z.iso.datetime({ offset: true }).optional();
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
  birthday: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'birthday is MM-DD')
    .nullable()
    .optional(),
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

export const ApiEvent = z.discriminatedUnion('type', [PurchaseEvent, ProfileEvent, CustomEvent]);
export type ApiEvent = z.infer<typeof ApiEvent>;

const problem = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
) => Response.json({ ok: false, error: { code, message, ...extra } }, { status });

function dedupeKey(event: ApiEvent): string {
  if (event.type === 'purchase') return `purchase:${event.orderId}`;
  return `${event.type}:${event.id ?? randomUUID()}`;
}

export async function handleEventsApi(
  db: Db,
  brandSlug: string,
  request: Request,
): Promise<Response> {
  try {
    return await handle(db, brandSlug, request);
  } catch (error) {
    // Nothing was recorded; the caller may send the same event again (it is deduplicated).
    if (isDatabaseUnavailable(error)) {
      return problem(
        503,
        'E_DB_UNAVAILABLE',
        'The database is unreachable; the event was not recorded. Retry later.',
      );
    }
    throw error;
  }
}

async function handle(db: Db, brandSlug: string, request: Request): Promise<Response> {
  if (request.method !== 'POST') return problem(405, 'E_METHOD', 'Use POST to send events.');
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  const auth = await authenticateBrandKey(db, brandSlug, bearer);
  if (!auth.ok) return problem(auth.status, auth.code, auth.message);

  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES)
    return problem(413, 'E_TOO_LARGE', 'The body is larger than 64 KiB.');
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    return problem(413, 'E_TOO_LARGE', 'The body is larger than 64 KiB.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return problem(400, 'E_JSON', 'The body is not valid JSON.');
  }
  const parsed = ApiEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    return problem(400, 'E_INPUT', `${path || 'body'}: ${issue.message}`, { path });
  }
  const event = parsed.data;
  const occurredAt = event.occurredAt ? new Date(event.occurredAt) : new Date();

  const result = await db.transaction(async (tx) => {
    const followerId = await ensureFollower(tx, auth.brandId, event.openid);
    const { type, openid: _openid, occurredAt: _at, ...payload } = event;
    const recorded = await recordEvent(
      tx,
      {
        brandId: auth.brandId,
        followerId,
        openid: event.openid,
        type,
        name: event.type === 'custom' ? event.name : null,
        dedupeKey: dedupeKey(event),
        payload,
        occurredAt,
      },
      { notify: 'caller' },
    );
    if (recorded.duplicate) return recorded;
    if (event.type === 'purchase')
      await applyPurchase(tx, followerId, { amount: event.amount, at: occurredAt });
    if (event.type === 'profile') {
      const { type: _t, openid: _o, id: _i, occurredAt: _a, ...profile } = event;
      await applyProfile(tx, followerId, profile);
    }
    return recorded;
  });
  if (!result.duplicate) wakeDispatcher(db);
  return Response.json(
    { ok: true, eventId: result.id, duplicate: result.duplicate },
    { status: result.duplicate ? 200 : 202 },
  );
}
