/**
 * First-run setup: only while no user exists (afterwards it sends people to /login). Creates
 * the first owner and their organization, which adopts the brands made before accounts.
 */
import { data, redirect, type ActionFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { AuthCard, AuthField, FormProblems, SubmitButton } from '~/components/auth/auth-form';
import { authLinks, authMeta } from '~/components/auth/route-exports';
import { ErrorView } from '~/components/error-view';
import { assertSameOrigin, clientInfo, sessionCookieHeader } from '~/lib/auth.server';
import { formAction } from '~/lib/http/guard.server';
import { PASSWORD_MIN, asProblem, textField } from '~/lib/auth-forms.server';
import { services } from '~/lib/services.server';

export const links = authLinks;
/** No section links in the header: this page is for people without access yet. */
export const handle = { bare: true };
export const meta = authMeta('setup.title');

const FIELDS = ['organization', 'name', 'email', 'password'];

export async function loader() {
  if (!(await services.setup.isOpen())) throw redirect('/login');
  return {
    passwordMin: PASSWORD_MIN,
    unownedBrands: await services.members.organizations.unownedBrands(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await formAction(request);
  const input = {
    organization: textField(form, 'organization'),
    name: textField(form, 'name'),
    email: textField(form, 'email'),
    password: textField(form, 'password'),
  };
  const { password: _password, ...values } = input;
  const invalid = services.setup.check(input);
  if (invalid.length) return data({ values, problems: invalid.map(asProblem) }, { status: 400 });
  try {
    const { user } = await services.setup.run(input);
    const session = await services.sessions.create(user.id, clientInfo(request));
    return redirect('/', { headers: { 'Set-Cookie': await sessionCookieHeader(session) } });
  } catch (error) {
    const problem = asProblem(error);
    if (problem.code === 'setup_done') throw redirect('/login');
    return data({ values, problems: [problem] }, { status: 400 });
  }
}

export default function SetupPage() {
  const { t, i18n } = useTranslation('auth');
  const { passwordMin, unownedBrands } = useLoaderData<typeof loader>();
  const list = new Intl.ListFormat(i18n.language, { style: 'long', type: 'conjunction' });
  const result = useActionData<typeof action>();
  const problems = result?.problems;
  const values = result?.values;
  return (
    <AuthCard
      title={t('setup.heading')}
      lead={
        <>
          <p>{t('setup.lead')}</p>
          {unownedBrands.length > 0 ? (
            <p data-testid="setup-adopt">
              {t('setup.adoptNote', { brands: list.format(unownedBrands.map((b) => b.name)) })}
            </p>
          ) : null}
        </>
      }
    >
      <FormProblems problems={problems} fields={FIELDS} />
      <Form method="post" className="auth-form" noValidate>
        <AuthField
          name="organization"
          label={t('setup.organization')}
          hint={t('setup.organizationHint')}
          autoComplete="organization"
          defaultValue={values?.organization}
          problems={problems}
          autoFocus
        />
        <AuthField
          name="name"
          label={t('setup.name')}
          autoComplete="name"
          defaultValue={values?.name}
          problems={problems}
          required={false}
        />
        <AuthField
          name="email"
          type="email"
          label={t('setup.email')}
          autoComplete="username"
          defaultValue={values?.email}
          problems={problems}
        />
        <AuthField
          name="password"
          type="password"
          label={t('setup.password')}
          hint={t('setup.passwordHint', { min: passwordMin })}
          autoComplete="new-password"
          problems={problems}
        />
        <SubmitButton label={t('setup.submit')} working={t('setup.working')} />
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
