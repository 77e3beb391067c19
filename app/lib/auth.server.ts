/**
 * Who is asking, and may they? The first line of every loader and action of a brand page
 * (app/routes/brands.$slug.*, the brand from the URL's slug and nothing else):
 *
 *   const { user } = await requireUser(request);                        // any signed-in user
 *   const { member } = await requireMember(request, { brand: params.slug });   // viewer+ to read, editor+ to change
 *   const { member, actor } = await requireMember(request, {
 *     brand: params.slug,
 *     atLeast: REQUIRED_ROLE['brand.manage'],                            // services/members/roles.ts
 *   });
 *
 * - No session: a page GET (Accept names text/html, or no type) redirects to
 *   /login?redirectTo=<here>; anything else (a form POST, a JSON fetch, an image) answers 401
 *   JSON with a code and a sentence. Nothing runs, nothing changes.
 * - Not a member of the brand (or no such brand): 404, the same answer either way.
 * - A member below `atLeast`: 403.
 * - Every non-GET request is checked for a cross-site origin first (403): assertSameOrigin,
 *   which public forms (sign-in, setup, invitation, sign-out) call themselves.
 *
 * `member.brand.id` is the brand to scope every query to (a row of another brand is then a 404
 * like an unknown one); `actor` goes to the use cases that record who acted. Public routes
 * (sign-in, setup, invitation, language, health) and the server-to-server ones (WeChat
 * callback, events API) are listed in test/reliability/route-access.test.ts, which fails for
 * any other route file a request without a session could reach. Rules:
 * docs/decisions/005-auth-and-roles.md; the route map: docs/architecture.md.
 */
import { env } from '~/env.server';
import { createRequestAuth } from '~/lib/request-auth.server';
import { services } from '~/lib/services.server';

export {
  clientAddress,
  crossSiteReason,
  loginPath,
  redirectTarget,
} from '~/lib/request-auth.server';
export type { SignedIn } from '~/lib/request-auth.server';

export const {
  sessionCookie,
  sessionToken,
  currentSession,
  assertSameOrigin,
  requireUser,
  requireMember,
  clientInfo,
  sessionCookieHeader,
  clearedSessionCookieHeader,
} = createRequestAuth({
  services,
  production: env.NODE_ENV === 'production',
  trustedProxyHops: env.TRUSTED_PROXY_HOPS,
});
