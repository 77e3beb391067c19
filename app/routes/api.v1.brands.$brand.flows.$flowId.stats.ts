import type { LoaderFunctionArgs } from '@remix-run/node';
import { db } from '~/lib/db.server';
import { handleFlowStatsApi, problem } from '~/lib/read-api.server';

/** GET /api/v1/brands/:brand/flows/:flowId/stats?version=&from=&to= (docs/product.md#results). */
export function loader({ params, request }: LoaderFunctionArgs) {
  return handleFlowStatsApi(db, params.brand ?? '', params.flowId ?? '', request);
}

export function action() {
  return problem(405, 'E_METHOD', 'Use GET to read the stats.');
}
