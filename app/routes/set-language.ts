import { data, redirect, type ActionFunctionArgs } from '@remix-run/node';
import { isLanguage } from '~/i18n/config';
import { languageCookie, safeRedirectPath } from '~/i18n/language.server';
import type { ErrorReason } from '~/lib/route-errors';

/** The language switch posts here; the cookie it sets wins over Accept-Language from then on. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lng = form.get('lng');
  if (!isLanguage(lng)) {
    throw data({ reason: 'bad-language' } satisfies ErrorReason, { status: 400 });
  }
  return redirect(safeRedirectPath(form.get('redirectTo')), {
    headers: { 'Set-Cookie': languageCookie(lng) },
  });
}

export async function loader() {
  return redirect('/');
}
