/**
 * Test send (issue 11): POST `{ messages: [{ nodeId, message }] }` — the Simulate panel's
 * rendered messages — and each goes to the brand's test followers through WeChat, marked
 * 【测试】 (app/lib/test-sends.server.ts; services/test-sends). Editors and above.
 */
import type { ActionFunctionArgs } from '@remix-run/node';
import { requireMember } from '~/lib/auth.server';
import { testSendRequest } from '~/lib/test-sends.server';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['flow.edit'],
  });
  return testSendRequest(member.brand.slug, params.flowId ?? '', request, actor);
}

/** Only POST; a member asking with GET is told so (after the same sign-in check). */
export async function loader({ params, request }: ActionFunctionArgs) {
  await requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['brand.read'] });
  return Response.json(
    { ok: false, error: { code: 'E_METHOD', message: 'Use POST to send a test.' } },
    { status: 405 },
  );
}
