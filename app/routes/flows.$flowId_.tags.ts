/** Tag picker's create-as-you-type: POST `{ name }` adds the tag to the flow's brand. */
import type { ActionFunctionArgs } from '@remix-run/node';
import { createTagRequest } from '~/lib/flow-editor-actions.server';

export function action({ params, request }: ActionFunctionArgs) {
  return createTagRequest(params.flowId ?? '', request);
}

export function loader() {
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
