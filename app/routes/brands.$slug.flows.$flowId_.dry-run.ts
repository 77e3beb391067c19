/**
 * The dry run (Simulate panel): POST `{document?, sample?}` runs the draft on the simulator
 * for a random sample of the brand's followers — nothing is sent or stored. A read: any member.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { dryRunRequest } from '~/lib/flow-editor-actions.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  return dryRunRequest(member.brand.id, params.flowId ?? '', request);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
