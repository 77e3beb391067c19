/**
 * Sign-in: email and password, throttled per account and address (services/auth/throttle.ts).
 * `redirectTo` is honoured only for a path on this site.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AuthCard, AuthField, FormProblems, SubmitButton } from '~/components/auth/auth-form';
import { authLinks, authMeta } from '~/components/auth/route-exports';
import { ErrorView } from '~/components/error-view';
import {
  assertSameOrigin,
  clientInfo,
  currentSession,
  redirectTarget,
  sessionCookieHeader,
  sessionToken,
} from '~/lib/auth.server';
import { formAction } from '~/lib/http/guard.server';
import { textField } from '~/lib/auth-forms.server';
import type { AuthProblem } from '~/lib/auth-problems';
import { services } from '~/lib/services.server';

export const links = authLinks;
/** No section links in the header: this page is for people without access yet. */
export const handle = { bare: true };
export const meta = authMeta('login.title');

export async function loader({ request }: LoaderFunctionArgs) {
  // A fresh installation has nobody to sign in as: first-run setup comes first.
  if (await services.setup.isOpen()) throw redirect('/setup');
  const redirectTo = redirectTarget(new URL(request.url).searchParams.get('redirectTo'));
  if (await currentSession(request)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await formAction(request);
  const email = textField(form, 'email');
  const password = textField(form, 'password');
  const redirectTo = redirectTarget(form.get('redirectTo'));
  const missing: AuthProblem[] = [
    ...(email.trim() ? [] : [{ code: 'email_missing', field: 'email' } as const]),
    ...(password ? [] : [{ code: 'password_missing', field: 'password' } as const]),
  ];
  if (missing.length) return data({ email, problems: missing }, { status: 400 });
  const result = await services.login({
    email,
    password,
    client: clientInfo(request),
    previousToken: await sessionToken(request),
  });
  if (result.ok) {
    return redirect(redirectTo, {
      headers: { 'Set-Cookie': await sessionCookieHeader(result.session) },
    });
  }
  if (result.code === 'too_many_attempts') {
    const minutes = result.retryAfterMinutes;
    const problems: AuthProblem[] = [{ code: result.code, values: { minutes } }];
    return data(
      { email, problems },
      { status: 429, headers: { 'Retry-After': String(minutes * 60) } },
    );
  }
  // Never which of the two was wrong.
  return data(
    { email, problems: [{ code: result.code, field: 'password' }] as AuthProblem[] },
    { status: 400 },
  );
}

export default function LoginPage() {
  const { t } = useTranslation('auth');
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problems = result?.problems;
  return (
    <AuthCard title={t('login.heading')} lead={<p>{t('login.lead')}</p>}>
      <FormProblems problems={problems} fields={['email', 'password']} />
      <Form method="post" className="auth-form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <AuthField
          name="email"
          type="email"
          label={t('login.email')}
          autoComplete="username"
          defaultValue={result?.email}
          problems={problems}
          autoFocus
        />
        <AuthField
          name="password"
          type="password"
          label={t('login.password')}
          autoComplete="current-password"
          problems={problems}
        />
        <SubmitButton label={t('login.submit')} working={t('login.working')} />
      </Form>
      <p className="auth-foot">{t('login.noAccount')}</p>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
