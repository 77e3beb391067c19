/** /brands/<slug>/flows: the flows are the brand's home, /brands/<slug> (for a member). */
import { redirect, type LoaderFunctionArgs } from '@remix-run/node';
import { ErrorView } from '~/components/error-view';
import { requireMember } from '~/lib/auth.server';
import { brandPath } from '~/lib/paths';
import { REQUIRED_ROLE } from '../../services/members/roles';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  throw redirect(brandPath(member.brand.slug));
}

export function ErrorBoundary() {
  return <ErrorView />;
}

/** Never shown: the loader always redirects (a page, so refusals render as pages too). */
export default function FlowsRedirect() {
  return null;
}
