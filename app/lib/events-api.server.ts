/**
 * POST /api/v1/brands/:brand/events over HTTP: the bearer key, the body (at most 64 KiB of
 * UTF-8 JSON), and an answer with a code and a sentence for each refusal — nothing is stored
 * then. The use case (the event's shape, storing it once, applying it to the follower) is
 * services/events-api.
 */
import { isDatabaseUnavailable, type Db } from '../../db/client';
import { ApiEvent, createEventsApi, OrderConflict } from '../../services/events-api';
import { readBytes } from './http/body.server';

const MAX_BODY_BYTES = 64 * 1024;

const problem = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
) => Response.json({ ok: false, error: { code, message, ...extra } }, { status });

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
  const eventsApi = createEventsApi({ db });
  const auth = await eventsApi.authenticate(brandSlug, bearer);
  if (!auth.ok) return problem(auth.status, auth.code, auth.message);

  const bytes = await readBytes(request, MAX_BODY_BYTES);
  if (!bytes.ok)
    return bytes.refusal.status === 413
      ? problem(413, 'E_TOO_LARGE', 'The body is larger than 64 KiB.')
      : problem(400, 'E_JSON', 'The body could not be read to its end.');
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.value));
  } catch {
    return problem(400, 'E_JSON', 'The body is not valid JSON (UTF-8).');
  }
  const parsed = ApiEvent.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    return problem(400, 'E_INPUT', `${path || 'body'}: ${issue.message}`, { path });
  }
  const event = parsed.data;
  const occurredAt = event.occurredAt ? new Date(event.occurredAt) : new Date();

  if (event.type === 'coupon_redeemed') {
    const redeemed = await eventsApi.redeemCoupon(auth.brandId, event, occurredAt);
    if (!redeemed.ok)
      return problem(redeemed.status, redeemed.code, redeemed.message, redeemed.extra ?? {});
    const { ok: _ok, ...rest } = redeemed;
    return Response.json({ ok: true, ...rest }, { status: 202 });
  }
  let result: { id: string; duplicate: boolean };
  try {
    result = await eventsApi.record(auth.brandId, event, occurredAt);
  } catch (error) {
    if (!(error instanceof OrderConflict)) throw error;
    const { orderId, stored, sent } = error;
    return problem(
      409,
      'E_ORDER_CONFLICT',
      `Order "${orderId}" was already recorded with amount ${stored}; this request says ${sent}. An order's amount cannot change: send a correction under a new orderId.`,
      { orderId, storedAmount: stored, sentAmount: sent },
    );
  }
  return Response.json(
    { ok: true, eventId: result.id, duplicate: result.duplicate },
    { status: result.duplicate ? 200 : 202 },
  );
}
