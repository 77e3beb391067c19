/** Autosave: POST the draft as JSON (an editor's). The engine's schema re-parses it; a bad shape stores nothing. */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { saveDraftRequest } from '~/lib/flow-editor-actions.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['flow.edit'],
  });
  return saveDraftRequest(member.brand.id, params.flowId ?? '', request);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
