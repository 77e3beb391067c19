/**
 * A brand's members: who has access and with which role (through the organization or this
 * brand), the invitations still open, and — for admins and owners — inviting someone (the
 * link is shown once, to copy: no mail server needed), changing or removing a brand role and
 * withdrawing an invitation. Rules live in services/members (roles.ts, team.ts).
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { problemText } from '~/components/auth/auth-form';
import { brandAdminLinks, CopyField } from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { requireMember } from '~/lib/auth.server';
import { asProblem } from '~/lib/auth-forms.server';
import type { AuthProblem } from '~/lib/auth-problems';
import { formAction } from '~/lib/http/guard.server';
import { mailInvitation } from '~/lib/mail.server';
import { publicBaseUrl } from '~/lib/brands/public-url.server';
import type { MailOutcome } from '../../services/mail';
import { brandPage, field } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { canAssign, REQUIRED_ROLE, ROLES, type Role } from '../../services/members/roles';

export const links = brandAdminLinks;
export const meta = resourceMeta('members.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const signedIn = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['members.manage'],
  });
  const { brand, page } = await brandPage(signedIn);
  const team = await services.team.list(brand.id);
  return {
    lang: resolveLanguage(request),
    page,
    me: signedIn.user.id,
    assignable: ROLES.filter((r) => canAssign(signedIn.member.role, r)),
    members: team.members,
    invitations: team.invitations.map((i) => ({
      ...i,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    })),
  };
}

type Outcome =
  | {
      intent: 'invite';
      ok: true;
      email: string;
      role: Role;
      link: string;
      expiresAt: string;
      /** Whether the link was also emailed (MAIL_URL), and why not when that failed. */
      mail: MailOutcome;
    }
  | { intent: 'role' | 'remove' | 'revoke'; ok: true; email: string; role?: Role }
  | { intent: string; ok: false; problems: AuthProblem[]; target?: string };

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor, user } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['members.manage'],
  });
  const form = await formAction(request);
  const intent = field(form, 'intent');
  const brandId = member.brand.id;
  try {
    if (intent === 'invite') {
      const invited = await services.invitations.create(actor, {
        organizationId: member.brand.organizationId,
        brandSlug: member.brand.slug,
        email: field(form, 'email'),
        role: field(form, 'role'),
      });
      // The link is shown once (and emailed when mail is set up); only its hash is stored.
      const link = `${publicBaseUrl(request)}/invite/${invited.token}`;
      const mail = await mailInvitation({
        to: invited.email,
        link,
        place: member.brand.name,
        role: invited.role,
        inviter: user.name || user.email,
        expiresAt: invited.expiresAt,
      });
      return {
        intent,
        ok: true,
        email: invited.email,
        role: invited.role,
        link,
        expiresAt: invited.expiresAt.toISOString(),
        mail,
      } satisfies Outcome;
    }
    if (intent === 'role') {
      const changed = await services.team.changeRole(actor, {
        brandId,
        userId: field(form, 'userId'),
        role: field(form, 'role'),
      });
      return { intent, ok: true, email: changed.email, role: changed.role } satisfies Outcome;
    }
    if (intent === 'remove') {
      const removed = await services.team.remove(actor, { brandId, userId: field(form, 'userId') });
      return { intent, ok: true, email: removed.email } satisfies Outcome;
    }
    if (intent === 'revoke') {
      const revoked = await services.team.revokeInvitation(actor, {
        brandId,
        invitationId: field(form, 'invitationId'),
      });
      return { intent, ok: true, email: revoked.email } satisfies Outcome;
    }
  } catch (error) {
    return data(
      {
        intent,
        ok: false,
        problems: [asProblem(error)],
        target: field(form, 'userId') || field(form, 'invitationId') || undefined,
      } satisfies Outcome,
      { status: 400 },
    );
  }
  throw data({ reason: 'bad-intent' }, { status: 400 });
}

function useOutcome(): Outcome | undefined {
  return useActionData<typeof action>() as Outcome | undefined;
}

function Problems({ problems }: { problems: AuthProblem[] }) {
  const { t: ta } = useTranslation('auth');
  return (
    <div className="res-notice res-notice--error" role="alert">
      {problems.map((p) => (
        <p key={p.code}>{problemText(ta, p)}</p>
      ))}
    </div>
  );
}

function RoleSelect({
  id,
  name,
  roles,
  defaultValue,
}: {
  id: string;
  name: string;
  roles: readonly Role[];
  defaultValue?: Role;
}) {
  const { t: ta } = useTranslation('auth');
  return (
    <select id={id} name={name} defaultValue={defaultValue}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {ta(`roles.${r}`)}
        </option>
      ))}
    </select>
  );
}

function InviteForm({ roles }: { roles: Role[] }) {
  const { t } = useTranslation('resources');
  const { t: ta } = useTranslation('auth');
  const outcome = useOutcome();
  const submitting = useSubmitting('invite');
  const mine = outcome?.intent === 'invite' ? outcome : undefined;
  const emailProblem =
    mine && !mine.ok ? mine.problems.find((p) => p.field === 'email') : undefined;
  return (
    <div className="res-card">
      <h3>{t('members.invite.heading')}</h3>
      <p className="res-lead">{t('members.invite.lead')}</p>
      {mine?.ok ? (
        <div className="res-notice res-notice--ok" role="status" data-testid="invite-created">
          <p>
            {t('members.invite.done', {
              email: mine.email,
              role: ta(`roles.${mine.role}`),
            })}
          </p>
          {mine.mail.status === 'sent' ? (
            <p data-testid="invite-mailed">
              {t('members.invite.mail.sent', { email: mine.email })}
            </p>
          ) : null}
          {mine.mail.status === 'failed' ? (
            <p className="res-field__error" role="alert" data-testid="invite-mail-failed">
              {t('members.invite.mail.failed', {
                email: mine.email,
                reason: t(`members.invite.mail.reasons.${mine.mail.reason}`),
              })}
            </p>
          ) : null}
          <CopyField id="invite-link" label={t('members.invite.link')} value={mine.link} />
          <p className="res-field__hint">{t('members.invite.once')}</p>
        </div>
      ) : null}
      {mine && !mine.ok ? (
        <Problems problems={mine.problems.filter((p) => p.field !== 'email')} />
      ) : null}
      <Form method="post" className="res-form">
        <input type="hidden" name="intent" value="invite" />
        <div className="res-field">
          <label htmlFor="invite-email">{t('members.invite.email')}</label>
          <input
            id="invite-email"
            name="email"
            type="email"
            required
            autoComplete="off"
            aria-invalid={emailProblem ? true : undefined}
            aria-describedby={emailProblem ? 'invite-email-error' : undefined}
          />
          {emailProblem ? (
            <span className="res-field__error" id="invite-email-error">
              {problemText(ta, emailProblem)}
            </span>
          ) : null}
        </div>
        <div className="res-field">
          <label htmlFor="invite-role">{t('members.role')}</label>
          <RoleSelect
            id="invite-role"
            name="role"
            roles={roles}
            defaultValue={roles.includes('editor') ? 'editor' : roles.at(-1)}
          />
        </div>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('members.working') : t('members.invite.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function MembersPage() {
  const { t } = useTranslation('resources');
  const { t: ta } = useTranslation('auth');
  const { page, me, assignable, members, invitations, lang } = useLoaderData<typeof loader>();
  const outcome = useOutcome();
  const date = (iso: string) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  const rowOutcome = (target: string) =>
    outcome && outcome.intent !== 'invite' && !outcome.ok && outcome.target === target
      ? outcome
      : undefined;
  return (
    <ResourcePage title={t('members.title')} page={page}>
      {outcome && outcome.ok && outcome.intent !== 'invite' ? (
        <div className="res-notice res-notice--ok" role="status">
          <p>
            {t(`members.done.${outcome.intent as 'role' | 'remove' | 'revoke'}`, {
              email: outcome.email,
              role: outcome.role ? ta(`roles.${outcome.role}`) : '',
            })}
          </p>
        </div>
      ) : null}
      <section className="res-section" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('members.heading')}</h2>
        <p className="res-lead">{t('members.lead')}</p>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('members.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('members.person')}</th>
                <th scope="col">{t('members.role')}</th>
                <th scope="col">{t('members.source')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('members.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.userId === me;
                const manageable = !self && assignable.includes(m.role);
                const problem = rowOutcome(m.userId);
                return (
                  <tr key={m.userId} data-testid={`member-${m.email}`}>
                    <td>
                      {m.name ? (
                        <>
                          {m.name}
                          <br />
                        </>
                      ) : null}
                      <span className="muted">{m.email}</span>
                      {self ? <span className="muted"> · {t('members.you')}</span> : null}
                    </td>
                    <td>{ta(`roles.${m.role}`)}</td>
                    <td>
                      {[
                        m.organizationRole
                          ? t('members.viaOrganization', {
                              role: ta(`roles.${m.organizationRole}`),
                            })
                          : null,
                        m.brandRole
                          ? t('members.viaBrand', { role: ta(`roles.${m.brandRole}`) })
                          : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </td>
                    <td>
                      {manageable ? (
                        <div className="res-row-actions">
                          <Form method="post" className="res-inline-form">
                            <input type="hidden" name="intent" value="role" />
                            <input type="hidden" name="userId" value={m.userId} />
                            <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                              {t('members.changeRoleOf', { email: m.email })}
                            </label>
                            <RoleSelect
                              id={`role-${m.userId}`}
                              name="role"
                              roles={assignable}
                              defaultValue={m.brandRole ?? m.role}
                            />
                            <button type="submit" className="button button--secondary">
                              {t('members.changeRole')}
                            </button>
                          </Form>
                          {m.brandRole ? (
                            <Form
                              method="post"
                              className="res-inline-form"
                              onSubmit={(event) => {
                                if (!confirm(t('members.removeConfirm', { email: m.email })))
                                  event.preventDefault();
                              }}
                            >
                              <input type="hidden" name="intent" value="remove" />
                              <input type="hidden" name="userId" value={m.userId} />
                              <button type="submit" className="button button--danger">
                                {t('members.remove')}
                              </button>
                            </Form>
                          ) : null}
                        </div>
                      ) : null}
                      {problem && !problem.ok ? <Problems problems={problem.problems} /> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      {assignable.length > 0 ? <InviteForm roles={assignable} /> : null}
      <section className="res-section" aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{t('members.invitations.heading')}</h2>
        {invitations.length === 0 ? (
          <p className="res-lead">{t('members.invitations.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('members.invitations.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('members.invite.email')}</th>
                  <th scope="col">{t('members.role')}</th>
                  <th scope="col">{t('members.invitations.expires')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('members.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {invitations.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {i.email}
                      {i.organizationWide ? (
                        <span className="muted"> · {t('members.invitations.wholeOrg')}</span>
                      ) : null}
                    </td>
                    <td>{ta(`roles.${i.role}`)}</td>
                    <td>{date(i.expiresAt)}</td>
                    <td>
                      {assignable.includes(i.role) ? (
                        <Form method="post" className="res-inline-form">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="invitationId" value={i.id} />
                          <button type="submit" className="button button--secondary">
                            {t('members.invitations.revoke')}
                          </button>
                        </Form>
                      ) : null}
                      {rowOutcome(i.id) ? <Problems problems={rowOutcome(i.id)!.problems} /> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </ResourcePage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
