/** Tag picker's create-as-you-type: POST `{ name }` adds the tag to the brand in the URL (an editor's). */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { createTagRequest } from '~/lib/flow-editor-actions.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  return createTagRequest(member.brand.id, params.flowId ?? '', request, actor);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json({ ok: false, error: 'method' }, { status: 405 });
}
