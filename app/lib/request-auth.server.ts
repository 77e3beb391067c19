/**
 * Request-level authentication and authorization, built over the services (so tests can build
 * it over their own database): the session cookie, the CSRF check, requireUser and
 * requireMember. The web app's instance, and how to use it, is in auth.server.ts.
 * Only relative imports here, so integration tests can load it without the Remix build.
 */
import { isIP } from 'node:net';
import { createCookie, redirect } from '@remix-run/node';
import type { Services } from '../../services';
import type { ActiveSession, ClientInfo, NewSession } from '../../services/auth/sessions';
import type { Actor } from '../../services/deps';
import type { BrandMember } from '../../services/members/memberships';
import type { Role } from '../../services/members/roles';
import { translator } from '../i18n/config';
import { resolveLanguage } from '../i18n/language.server';
import { safeRedirectPath } from './http/safe-redirect';
import type { ErrorReason } from './route-errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The host the browser addressed: X-Forwarded-Host (set by a proxy; a cross-site page cannot
 * send it without a CORS preflight) or Host — not `request.url`, whose origin Remix's node
 * adapter takes from the Origin header itself.
 */
function addressedHost(request: Request): string {
  const forwarded = request.headers.get('X-Forwarded-Host')?.split(',')[0]?.trim();
  return forwarded || request.headers.get('Host') || new URL(request.url).host;
}

/**
 * Why `request` counts as cross-site, or null. Browsers say where a request comes from in
 * Sec-Fetch-Site (all current ones) or Origin; a request with neither is not a browser's
 * (curl, a server), which cannot carry a victim's cookie. The same rule as Go's net/http
 * CrossOriginProtection. Safe methods are never refused (they change nothing).
 */
export function crossSiteReason(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const site = request.headers.get('Sec-Fetch-Site');
  if (site) return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site: ${site}`;
  const origin = request.headers.get('Origin');
  if (!origin) return null;
  try {
    return new URL(origin).host === addressedHost(request) ? null : `Origin: ${origin}`;
  } catch {
    return `Origin: ${origin}`;
  }
}

/** The client's address from X-Forwarded-For, as far as `hops` trusted proxies vouch for it. */
export function clientAddress(request: Request, hops: number): string | null {
  if (hops <= 0) return null;
  const chain = (request.headers.get('X-Forwarded-For') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - hops];
  return candidate && isIP(candidate) ? candidate : null;
}

/**
 * A page GET is sent to the sign-in page; anything else (forms, JSON fetches, an image or
 * download asked for as such) is told 401. A page is what a browser navigates to (Accept names
 * text/html), or a GET that names no type at all (no Accept, or only *\/*).
 */
export function wantsPage(request: Request): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const accept = (request.headers.get('Accept') ?? '').trim();
  if (accept === '' || accept === '*/*') return true;
  return accept.includes('text/html');
}

/** The sign-in page, remembering where the person was going. */
export function loginPath(request: Request): string {
  const url = new URL(request.url);
  const here = url.pathname + url.search;
  return here === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(here)}`;
}

/** Where to go after signing in: a same-origin path, never back to the account pages. */
export function redirectTarget(value: FormDataEntryValue | string | null): string {
  const path = safeRedirectPath(value) ?? '/';
  return /^\/(login|logout|setup)(\/|\?|$)/.test(path) ? '/' : path;
}

/**
 * JSON error bodies: `reason` for the page's error view, `error` for API clients, `message`
 * for the editor's fetches.
 */
function refusal(
  request: Request,
  status: number,
  reason: ErrorReason,
  code: string,
  key: string,
  values: Record<string, string> = {},
): Response {
  const t = translator(resolveLanguage(request));
  const message = t(key as never, { ns: 'auth', ...values }) as string;
  // `message` at the top too: the editor's fetches show `message` from any refusal.
  return Response.json({ ok: false, ...reason, message, error: { code, message } }, { status });
}

export interface SignedIn {
  user: ActiveSession['user'];
  sessionId: string;
  /** For the use cases that record who acted. */
  actor: Extract<Actor, { kind: 'user' }>;
}

export function createRequestAuth(deps: {
  services: Pick<Services, 'sessions' | 'members'>;
  production: boolean;
  trustedProxyHops: number;
}) {
  /**
   * httpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Secure and the
   * `__Host-` prefix in production (HTTPS only, this host only, path /).
   */
  const sessionCookie = createCookie(
    deps.production ? '__Host-fanfare_session' : 'fanfare_session',
    {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.production,
      path: '/',
    },
  );

  const seen = new WeakMap<Request, Promise<ActiveSession | null>>();

  async function sessionToken(request: Request): Promise<string | null> {
    const value: unknown = await sessionCookie.parse(request.headers.get('Cookie'));
    return typeof value === 'string' && value ? value : null;
  }

  /** The signed-in user's session, or null (looked up once per request). */
  function currentSession(request: Request): Promise<ActiveSession | null> {
    let found = seen.get(request);
    if (!found) {
      found = sessionToken(request).then((token) => deps.services.sessions.lookup(token));
      seen.set(request, found);
    }
    return found;
  }

  /** Throws 403 (and nothing runs) for a state-changing request from another site. */
  function assertSameOrigin(request: Request): void {
    if (crossSiteReason(request)) {
      throw refusal(request, 403, { reason: 'cross-site' }, 'E_CROSS_SITE', 'errors.crossSiteBody');
    }
  }

  async function requireUser(request: Request): Promise<SignedIn> {
    assertSameOrigin(request);
    const session = await currentSession(request);
    if (!session) {
      if (wantsPage(request)) throw redirect(loginPath(request));
      throw refusal(
        request,
        401,
        { reason: 'unauthenticated' },
        'E_UNAUTHENTICATED',
        'errors.unauthenticatedBody',
      );
    }
    const { user, sessionId } = session;
    return { user, sessionId, actor: { kind: 'user', userId: user.id, email: user.email } };
  }

  /**
   * The signed-in user as a member of `brand` (a slug) with at least `atLeast` — by default
   * viewer for reads (GET/HEAD) and editor for changes. 404 when they are not a member (the
   * same as for a brand that does not exist), 403 when below the role.
   */
  async function requireMember(
    request: Request,
    options: { brand: string | undefined; atLeast?: Role },
  ): Promise<SignedIn & { member: BrandMember }> {
    const signedIn = await requireUser(request);
    const need = options.atLeast ?? (SAFE_METHODS.has(request.method) ? 'viewer' : 'editor');
    const slug = options.brand ?? '';
    const access = await deps.services.members.access(signedIn.user.id, slug, need);
    if (access.ok) return { ...signedIn, member: access.member };
    if (access.status === 404) {
      throw refusal(
        request,
        404,
        { reason: 'brand-not-found', slug },
        'E_NOT_FOUND',
        'errors.notMemberBody',
        {
          slug,
        },
      );
    }
    const t = translator(resolveLanguage(request));
    throw refusal(
      request,
      403,
      { reason: 'forbidden', role: access.role, need: access.need },
      'E_FORBIDDEN',
      'errors.forbiddenBody',
      {
        role: t(`roles.${access.role}`, { ns: 'auth' }),
        need: t(`roles.${access.need}`, { ns: 'auth' }),
      },
    );
  }

  return {
    sessionCookie,
    sessionToken,
    currentSession,
    assertSameOrigin,
    requireUser,
    requireMember,
    clientInfo: (request: Request): ClientInfo => ({
      ip: clientAddress(request, deps.trustedProxyHops),
      userAgent: request.headers.get('User-Agent'),
    }),
    /** Set-Cookie for a new session. */
    sessionCookieHeader: (session: NewSession): Promise<string> =>
      sessionCookie.serialize(session.token, { expires: session.expiresAt }),
    /** Set-Cookie that removes the session cookie. */
    clearedSessionCookieHeader: (): Promise<string> =>
      sessionCookie.serialize('', { expires: new Date(0), maxAge: 0 }),
  };
}

export type RequestAuth = ReturnType<typeof createRequestAuth>;
