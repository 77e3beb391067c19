import type { LoaderFunctionArgs } from '@remix-run/node';
import { db } from '~/lib/db.server';
import { handleChannelStatsApi, problem } from '~/lib/read-api.server';

/** GET /api/v1/brands/:brand/qr-channels/stats?from=&to= (docs/product.md#results). */
export function loader({ params, request }: LoaderFunctionArgs) {
  return handleChannelStatsApi(db, params.brand ?? '', request);
}

export function action() {
  return problem(405, 'E_METHOD', 'Use GET to read the stats.');
}
