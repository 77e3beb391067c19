/** "~N followers match": POST `{ rules }`; counted with a parameterised query over the brand's followers. A read: any member. */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { audienceRequest } from '~/lib/flow-editor-actions.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  return audienceRequest(member.brand.id, params.flowId ?? '', request);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
