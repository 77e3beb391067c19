/**
 * The read APIs over HTTP (GET /api/v1/brands/:brand/flows/:flowId/stats,
 * GET /api/v1/brands/:brand/followers/:openid): the brand's bearer key, as for the events API,
 * and an answer with a code and a sentence for each refusal. The use cases are
 * services/analytics.
 */
import { isDatabaseUnavailable, type Db } from '../../db/client';
import { authenticateBrandKey } from '../../services/api-keys/store';
import { createChannelStats, createFlowStats } from '../../services/analytics/stats';
import { createFollowerTimeline } from '../../services/analytics/timeline';

export const problem = (status: number, code: string, message: string) =>
  Response.json({ ok: false, error: { code, message } }, { status });

/** Authenticates the key for the brand, then answers with `read(brandId)`. */
export async function handleReadApi(
  db: Db,
  brandSlug: string,
  request: Request,
  read: (brandId: string, url: URL) => Promise<Response>,
): Promise<Response> {
  try {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return problem(405, 'E_METHOD', 'Use GET to read.');
    const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
    const auth = await authenticateBrandKey(db, brandSlug, bearer);
    if (!auth.ok) return problem(auth.status, auth.code, auth.message);
    return await read(auth.brandId, new URL(request.url));
  } catch (error) {
    if (isDatabaseUnavailable(error))
      return problem(503, 'E_DB_UNAVAILABLE', 'The database is unreachable. Retry later.');
    throw error;
  }
}

/** GET /api/v1/brands/:brand/flows/:flowId/stats?version=&from=&to= */
export function handleFlowStatsApi(
  db: Db,
  brandSlug: string,
  flowId: string,
  request: Request,
): Promise<Response> {
  return handleReadApi(db, brandSlug, request, async (brandId, url) => {
    const q = url.searchParams;
    const result = await createFlowStats({ db }).read(brandId, flowId, {
      version: q.get('version'),
      from: q.get('from'),
      to: q.get('to'),
    });
    if (!result.ok) return problem(result.status, result.code, result.message);
    return Response.json(result.stats);
  });
}

/** GET /api/v1/brands/:brand/followers/:openid?limit= */
export function handleFollowerApi(
  db: Db,
  brandSlug: string,
  openid: string,
  request: Request,
): Promise<Response> {
  return handleReadApi(db, brandSlug, request, async (brandId, url) => {
    const result = await createFollowerTimeline({ db }).read(brandId, openid, {
      limit: url.searchParams.get('limit'),
    });
    if (!result.ok) return problem(result.status, result.code, result.message);
    return Response.json(result.follower);
  });
}

/** GET /api/v1/brands/:brand/qr-channels/stats?from=&to= */
export function handleChannelStatsApi(
  db: Db,
  brandSlug: string,
  request: Request,
): Promise<Response> {
  return handleReadApi(db, brandSlug, request, async (brandId, url) => {
    const q = url.searchParams;
    const result = await createChannelStats({ db }).read(brandId, {
      from: q.get('from'),
      to: q.get('to'),
    });
    if (!result.ok) return problem(result.status, result.code, result.message);
    return Response.json(result.stats);
  });
}
