/** The signed-in person's account: who they are, and changing the password (which rotates sessions). */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AuthCard, AuthField, FormProblems, SubmitButton } from '~/components/auth/auth-form';
import { authLinks, authMeta } from '~/components/auth/route-exports';
import { ErrorView } from '~/components/error-view';
import { clientInfo, requireUser, sessionCookieHeader, sessionToken } from '~/lib/auth.server';
import { formAction } from '~/lib/http/guard.server';
import { PASSWORD_MIN, asProblem, textField } from '~/lib/auth-forms.server';
import type { AuthProblem } from '~/lib/auth-problems';
import { services } from '~/lib/services.server';

export const links = authLinks;
export const meta = authMeta('account.title');

export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireUser(request);
  return { email: user.email, name: user.name, passwordMin: PASSWORD_MIN };
}

export async function action({ request }: ActionFunctionArgs) {
  const { actor } = await requireUser(request);
  const form = await formAction(request);
  try {
    const fresh = await services.account.changePassword(actor, {
      token: (await sessionToken(request)) ?? '',
      current: textField(form, 'current'),
      next: textField(form, 'password'),
      client: clientInfo(request),
    });
    return data(
      { ok: true as const, problems: [] as AuthProblem[] },
      { headers: { 'Set-Cookie': await sessionCookieHeader(fresh) } },
    );
  } catch (error) {
    return data({ ok: false as const, problems: [asProblem(error)] }, { status: 400 });
  }
}

export default function AccountPage() {
  const { t } = useTranslation('auth');
  const { email, name, passwordMin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problems = result?.problems;
  return (
    <AuthCard
      title={t('account.heading')}
      lead={
        <p data-testid="account-email">
          {name ? `${name} · ` : ''}
          {t('account.signedInAs', { email })}
        </p>
      }
    >
      <section className="auth-section" aria-labelledby="account-password">
        <h2 id="account-password">{t('account.passwordHeading')}</h2>
        <p className="auth-card__lead">{t('account.passwordLead')}</p>
        {result?.ok ? (
          <div className="auth-notice auth-notice--ok" role="status">
            <p>{t('account.changed')}</p>
          </div>
        ) : null}
        <FormProblems problems={problems} fields={['current', 'password']} />
        {/* A new key after success empties the fields. */}
        <Form method="post" className="auth-form" noValidate key={result?.ok ? 'done' : 'form'}>
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={email}
            readOnly
            hidden
          />
          <AuthField
            name="current"
            type="password"
            label={t('account.current')}
            autoComplete="current-password"
            problems={problems}
          />
          <AuthField
            name="password"
            type="password"
            label={t('account.next')}
            hint={t('setup.passwordHint', { min: passwordMin })}
            autoComplete="new-password"
            problems={problems}
          />
          <SubmitButton label={t('account.submit')} working={t('account.working')} />
        </Form>
      </section>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
