/**
 * Accepting an invitation. A new email chooses a name and password; an email that already has
 * an account signs in with its password (throttled like /login) — an invitation never sets the
 * password of an existing account. The token is in the URL: no Referer carries it elsewhere.
 */
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { InvitationProblem } from '../../services/auth/invitations';
import {
  AuthCard,
  AuthField,
  FormProblems,
  SubmitButton,
  problemText,
} from '~/components/auth/auth-form';
import { authLinks, authMeta } from '~/components/auth/route-exports';
import { ErrorView } from '~/components/error-view';
import { assertSameOrigin, clientInfo, sessionCookieHeader, sessionToken } from '~/lib/auth.server';
import { formAction } from '~/lib/http/guard.server';
import { PASSWORD_MIN, asProblem, textField } from '~/lib/auth-forms.server';
import type { AuthProblem } from '~/lib/auth-problems';
import { services } from '~/lib/services.server';

export const links = authLinks;
/** No section links in the header: this page is for people without access yet. */
export const handle = { bare: true };
export const meta = authMeta('invite.title');
export const headers = () => ({ 'Referrer-Policy': 'no-referrer' });

const unusableStatus = (problem: InvitationProblem) =>
  problem === 'invitation_unknown' ? 404 : 410;

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await services.invitations.view(params.token ?? '');
  if (typeof invitation === 'string') {
    return data(
      { kind: 'unusable' as const, problem: invitation },
      { status: unusableStatus(invitation) },
    );
  }
  const { email, role, organizationName, brandName, accountExists } = invitation;
  return {
    kind: 'open' as const,
    invitation: { email, role, organizationName, brandName, accountExists },
    passwordMin: PASSWORD_MIN,
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const token = params.token ?? '';
  const form = await formAction(request);
  const name = textField(form, 'name');
  const password = textField(form, 'password');
  const refused = (problems: AuthProblem[], status = 400, init: ResponseInit = {}) =>
    data({ name, problems }, { status, ...init });
  try {
    const invitation = await services.invitations.view(token);
    if (typeof invitation === 'string')
      return refused([{ code: invitation }], unusableStatus(invitation));
    let session;
    if (invitation.accountExists) {
      if (!password) return refused([{ code: 'password_missing', field: 'password' }]);
      const login = await services.login({
        email: invitation.email,
        password,
        client: clientInfo(request),
        previousToken: await sessionToken(request),
      });
      if (!login.ok) {
        return login.code === 'too_many_attempts'
          ? refused([{ code: login.code, values: { minutes: login.retryAfterMinutes } }], 429)
          : refused([{ code: login.code, field: 'password' }]);
      }
      await services.invitations.acceptAs(token, login.user);
      session = login.session;
    } else {
      const user = await services.invitations.acceptNew(token, { name, password });
      session = await services.sessions.create(user.id, clientInfo(request));
    }
    return redirect('/', { headers: { 'Set-Cookie': await sessionCookieHeader(session) } });
  } catch (error) {
    return refused([asProblem(error)]);
  }
}

function Unusable({ problem }: { problem: InvitationProblem }) {
  const { t } = useTranslation('auth');
  return (
    <AuthCard title={t('invite.unusableTitle')}>
      <div className="auth-notice auth-notice--error" role="alert">
        <p>{problemText(t, { code: problem })}</p>
      </div>
      <p>{t('invite.askAgain')}</p>
    </AuthCard>
  );
}

export default function InvitePage() {
  const { t } = useTranslation('auth');
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (loaded.kind === 'unusable') return <Unusable problem={loaded.problem} />;
  const { invitation, passwordMin } = loaded;
  const problems = result?.problems;
  const role = t(`roles.${invitation.role}`);
  const organization = invitation.organizationName;
  return (
    <AuthCard
      title={t('invite.heading', { organization })}
      lead={
        <>
          <p data-testid="invite-body">
            {invitation.brandName
              ? t('invite.bodyBrand', { brand: invitation.brandName, organization, role })
              : t('invite.body', { organization, role })}
          </p>
          <p>{t('invite.forEmail', { email: invitation.email })}</p>
          <p>{invitation.accountExists ? t('invite.existingLead') : t('invite.newLead')}</p>
        </>
      }
    >
      <FormProblems
        problems={problems}
        fields={invitation.accountExists ? ['password'] : ['name', 'password']}
      />
      <Form method="post" className="auth-form" noValidate>
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={invitation.email}
          readOnly
          hidden
        />
        {invitation.accountExists ? null : (
          <AuthField
            name="name"
            label={t('invite.name')}
            autoComplete="name"
            defaultValue={result?.name}
            problems={problems}
            required={false}
            autoFocus
          />
        )}
        <AuthField
          name="password"
          type="password"
          label={t('invite.password')}
          autoComplete={invitation.accountExists ? 'current-password' : 'new-password'}
          hint={
            invitation.accountExists ? undefined : t('setup.passwordHint', { min: passwordMin })
          }
          problems={problems}
          autoFocus={invitation.accountExists}
        />
        <SubmitButton
          label={invitation.accountExists ? t('invite.submitExisting') : t('invite.submitNew')}
          working={t('invite.working')}
        />
      </Form>
    </AuthCard>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
