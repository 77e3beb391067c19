/**
 * The Simulate panel's test followers: POST `{scenarios: [...]}` (an editor's) replaces the
 * flow's saved scenarios, each checked with the engine's Scenario schema, at most 10.
 * Answers `{ok: true}` or `{error: {code, message, issues?}}`.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { saveScenariosRequest } from '~/lib/flow-editor-actions.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['flow.edit'],
  });
  return saveScenariosRequest(member.brand.id, params.flowId ?? '', request);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
