import type { ActionFunctionArgs } from '@remix-run/node';
import { db } from '~/lib/db.server';
import { handleEventsApi } from '~/lib/events-api.server';

export function action({ params, request }: ActionFunctionArgs) {
  return handleEventsApi(db, params.brand ?? '', request);
}

export function loader() {
  return Response.json(
    { ok: false, error: { code: 'E_METHOD', message: 'Use POST to send events.' } },
    { status: 405 },
  );
}
