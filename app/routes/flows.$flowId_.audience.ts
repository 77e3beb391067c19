/** "~N followers match": POST `{ rules }`; counted with a parameterised query over the brand's followers. */
import type { ActionFunctionArgs } from '@remix-run/node';
import { audienceRequest } from '~/lib/flow-editor-actions.server';

export function action({ params, request }: ActionFunctionArgs) {
  return audienceRequest(params.flowId ?? '', request);
}

export function loader() {
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
