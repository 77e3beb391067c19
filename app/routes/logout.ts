/** Sign-out: POST only (a link or an image cannot sign anyone out); the session row is revoked. */
import { redirect, type ActionFunctionArgs } from '@remix-run/node';
import { assertSameOrigin, clearedSessionCookieHeader, sessionToken } from '~/lib/auth.server';
import { MAX_FORM_BYTES, readForm } from '~/lib/http/body.server';
import { refusalJson } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  // A form post, bounded, like every other action (a resource route: refusals answer JSON).
  const form = await readForm(request, MAX_FORM_BYTES);
  if (!form.ok) return refusalJson(request, form.refusal);
  const token = await sessionToken(request);
  if (token) await services.sessions.revoke(token);
  return redirect('/login', { headers: { 'Set-Cookie': await clearedSessionCookieHeader() } });
}

/** A GET changes nothing. */
export function loader() {
  return redirect('/');
}
