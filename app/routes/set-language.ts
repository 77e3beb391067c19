import { data, redirect, type ActionFunctionArgs } from '@remix-run/node';
import { ErrorView } from '~/components/error-view';
import { isLanguage } from '~/i18n/config';
import { languageCookie } from '~/i18n/language.server';
import { formAction } from '~/lib/http/guard.server';
import { safeRedirectPath } from '~/lib/http/safe-redirect';
import type { ErrorReason } from '~/lib/route-errors';

/** The language switch posts here; the cookie it sets wins over Accept-Language from then on. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await formAction(request);
  const lng = form.get('lng');
  if (!isLanguage(lng)) {
    throw data({ reason: 'bad-language' } satisfies ErrorReason, { status: 400 });
  }
  // Only back to a page of ours: anything else is refused, not followed.
  const to = safeRedirectPath(form.get('redirectTo'));
  if (to === null) {
    throw data({ reason: 'refused', why: 'badRedirect' } satisfies ErrorReason, { status: 400 });
  }
  return redirect(to, {
    headers: { 'Set-Cookie': languageCookie(lng) },
  });
}

export async function loader() {
  return redirect('/');
}

/** A refused switch (a bad language, a return address not ours) says why, on a page. */
export const ErrorBoundary = ErrorView;

/** Never shown: the loader and a successful action redirect. */
export default function SetLanguage() {
  return null;
}
