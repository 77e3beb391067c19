/** Autosave: POST the draft as JSON. The engine's schema re-parses it; a bad shape stores nothing. */
import type { ActionFunctionArgs } from '@remix-run/node';
import { saveDraftRequest } from '~/lib/flow-editor-actions.server';

export function action({ params, request }: ActionFunctionArgs) {
  return saveDraftRequest(params.flowId ?? '', request);
}

export function loader() {
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
