import type { LoaderFunctionArgs } from '@remix-run/node';
import { db } from '~/lib/db.server';
import { handleFollowerApi, problem } from '~/lib/read-api.server';

/** GET /api/v1/brands/:brand/followers/:openid (docs/product.md#results). */
export function loader({ params, request }: LoaderFunctionArgs) {
  return handleFollowerApi(db, params.brand ?? '', params.openid ?? '', request);
}

export function action() {
  return problem(405, 'E_METHOD', 'Use GET to read a follower.');
}
