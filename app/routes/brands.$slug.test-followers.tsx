/**
 * /brands/<slug>/test-followers — the brand's test followers (issue 11): the fans who receive a
 * flow's messages, marked 【测试】, when it is tested from the editor's Simulate panel
 * (services/test-sends). Viewers read the list and the latest test sends; editors and above
 * mark a fan by openid (or on the fan's page) and remove one — plain form posts.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormProblems } from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { SuccessNotice } from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { requireMember } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { formAction } from '~/lib/http/guard.server';
import { brandPath } from '~/lib/paths';
import { brandPage } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { testFollowerAction, testReasonText } from '~/lib/test-sends.server';
import { REQUIRED_ROLE, can } from '../../services/members/roles';
import { MAX_LABEL_CHARS, MAX_TEST_FOLLOWERS } from '../../services/test-sends';

export const links = resourceLinks;
export const meta = resourceMeta('testFollowers.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const signedIn = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const { brand, page } = await brandPage(signedIn);
  const lang = resolveLanguage(request);
  const [testers, recent] = await Promise.all([
    services.testSends.listTestFollowers(signedIn.actor, brand.slug),
    services.testSends.recentTestSends(signedIn.actor, brand.slug, 20),
  ]);
  return {
    lang,
    page,
    canEdit: can(page.role, 'resources.manage'),
    testers: testers.map((f) => ({
      ...f,
      since: formatDateTime(new Date(f.createdAt), lang, brand.timezone),
    })),
    recent: recent.map((r, i) => ({
      key: `${r.at.toISOString()}-${i}`,
      at: formatDateTime(r.at, lang, brand.timezone),
      openid: r.openid,
      nodeId: r.nodeId,
      msgType: r.msgType,
      outcome: r.outcome,
      errcode: r.errcode,
      reason: testReasonText(r, lang),
    })),
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { actor, member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  const answer = await testFollowerAction(actor, member.brand.slug, form);
  if (!answer) throw data({ reason: 'bad-intent' }, { status: 400 });
  return answer.ok ? answer : data(answer, { status: 400 });
}

function Outcome() {
  const { t } = useTranslation('resources');
  const answer = useActionData<typeof action>();
  if (!answer) return null;
  if (!answer.ok) return <FormProblems problems={answer.problems} fields={[]} />;
  if (answer.intent === 'mark')
    return <SuccessNotice>{t('testFollowers.mark.done', { openid: answer.openid })}</SuccessNotice>;
  return (
    <SuccessNotice>
      {t(answer.removed ? 'testFollowers.removed' : 'testFollowers.notMarked', {
        openid: answer.openid,
      })}
    </SuccessNotice>
  );
}

function MarkForm() {
  const { t } = useTranslation('resources');
  const submitting = useSubmitting('mark');
  return (
    <div className="res-card">
      <h3>{t('testFollowers.mark.heading')}</h3>
      <Form method="post" className="res-form">
        <input type="hidden" name="intent" value="mark" />
        <div className="res-field">
          <label htmlFor="tester-openid">{t('testFollowers.mark.openid')}</label>
          <input
            id="tester-openid"
            name="openid"
            type="text"
            required
            autoComplete="off"
            aria-describedby="tester-openid-hint"
          />
          <span className="res-field__hint" id="tester-openid-hint">
            {t('testFollowers.mark.openidHint')}
          </span>
        </div>
        <div className="res-field">
          <label htmlFor="tester-label">{t('testFollowers.mark.label')}</label>
          <input
            id="tester-label"
            name="label"
            type="text"
            maxLength={MAX_LABEL_CHARS}
            autoComplete="off"
            aria-describedby="tester-label-hint"
          />
          <span className="res-field__hint" id="tester-label-hint">
            {t('testFollowers.mark.labelHint', { max: MAX_LABEL_CHARS })}
          </span>
        </div>
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('testFollowers.mark.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function TestFollowersPage() {
  const { t } = useTranslation('resources');
  const { page, testers, recent, canEdit } = useLoaderData<typeof loader>();
  const slug = page.brand.slug;
  return (
    <ResourcePage title={t('testFollowers.title')} page={page}>
      <section className="res-section" aria-labelledby="test-followers">
        <h2 id="test-followers">{t('testFollowers.title')}</h2>
        <p className="res-lead">{t('testFollowers.lead', { max: MAX_TEST_FOLLOWERS })}</p>
        <p className="res-lead">
          {t('testFollowers.count', { count: testers.length, max: MAX_TEST_FOLLOWERS })}
        </p>
        <Outcome />
        {canEdit ? <MarkForm /> : <p className="muted">{t('testFollowers.editorsOnly')}</p>}
        {testers.length === 0 ? (
          <p className="muted" data-testid="test-followers-empty">
            {t('testFollowers.empty')}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="test-followers">
              <caption className="visually-hidden">{t('testFollowers.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('testFollowers.table.openid')}</th>
                  <th scope="col">{t('testFollowers.table.label')}</th>
                  <th scope="col">{t('testFollowers.table.following')}</th>
                  <th scope="col">{t('testFollowers.table.since')}</th>
                  {canEdit ? <th scope="col">{t('common.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {testers.map((f) => (
                  <tr key={f.openid}>
                    <th scope="row">
                      <Link to={`${brandPath(slug)}/followers/${encodeURIComponent(f.openid)}`}>
                        <code>{f.openid}</code>
                      </Link>
                    </th>
                    <td>{f.label || '—'}</td>
                    <td>
                      {f.subscribed ? t('testFollowers.table.yes') : t('testFollowers.table.no')}
                    </td>
                    <td>{f.since}</td>
                    {canEdit ? (
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="unmark" />
                          <input type="hidden" name="openid" value={f.openid} />
                          <button
                            type="submit"
                            className="button button--secondary"
                            aria-label={t('testFollowers.table.removeLabel', { openid: f.openid })}
                          >
                            {t('testFollowers.table.remove')}
                          </button>
                        </Form>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="res-section" aria-labelledby="test-sends">
        <h2 id="test-sends">{t('testFollowers.recent.heading')}</h2>
        {recent.length === 0 ? (
          <p className="muted">{t('testFollowers.recent.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="test-sends">
              <caption className="visually-hidden">{t('testFollowers.recent.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('testFollowers.recent.at')}</th>
                  <th scope="col">{t('testFollowers.recent.openid')}</th>
                  <th scope="col">{t('testFollowers.recent.node')}</th>
                  <th scope="col">{t('testFollowers.recent.message')}</th>
                  <th scope="col">{t('testFollowers.recent.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((r) => (
                  <tr key={r.key} data-outcome={r.outcome}>
                    <td>{r.at}</td>
                    <td>
                      <code>{r.openid}</code>
                    </td>
                    <td>{r.nodeId ? <code>{r.nodeId}</code> : '—'}</td>
                    <td>{r.msgType}</td>
                    <td>
                      {t(`testFollowers.outcomes.${r.outcome}`)}
                      {r.errcode !== null ? ` (${r.errcode})` : null}
                      {r.reason ? <div className="muted">{r.reason}</div> : null}
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
