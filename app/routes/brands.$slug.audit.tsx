/**
 * The brand's audit log: who did what, newest first, 50 a page (keyset on the entry id),
 * filtered by action and by person. Admins and owners only (ADR 005); the rows are the
 * member's brand's, whatever the query string says.
 */
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import resourcesCss from '~/components/resources/resources.css?url';
import { ErrorView } from '~/components/error-view';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { loadAuditPage, type AuditRow } from '~/lib/audit.server';
import { requireMember } from '~/lib/auth.server';
import auditCss from '~/styles/audit.css?url';
import { isRole } from '../../services/members/roles';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: resourcesCss },
  { rel: 'stylesheet', href: auditCss },
];

export const meta: MetaFunction = ({ matches }) => {
  const t = translator(languageFromMatches(matches));
  return [{ title: t('app.pageTitle', { page: t('title', { ns: 'audit' }) }) }];
};

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { member } = await requireMember(request, { brand: params.slug, atLeast: 'admin' });
  return loadAuditPage(member.brand, new URL(request.url), resolveLanguage(request));
}

function Sentence({ entry }: { entry: AuditRow }) {
  const { t } = useTranslation('audit');
  const { t: tAuth } = useTranslation('auth');
  const actor = entry.actorName ?? t('operator');
  const role = entry.values.role;
  const values = {
    ...entry.values,
    actor,
    role: isRole(role) ? tAuth(`roles.${role}`) : role,
    menus: entry.values.menus.join(t('listSeparator')),
  };
  return entry.action
    ? t(`sentences.${entry.action}`, values)
    : t('unknownAction', { actor, action: entry.rawAction });
}

export default function AuditPage() {
  const { t } = useTranslation('audit');
  const { brand, filters, actions, actors, entries, nextBefore } = useLoaderData<typeof loader>();
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    if (filters.action) params.set('action', filters.action);
    if (filters.actor) params.set('actor', filters.actor);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  const filtered = Boolean(filters.action || filters.actor);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t('title')}</h1>
          <p className="page-header__sub">{t('lead', { brand: brand.name })}</p>
        </div>
      </div>
      <Form method="get" className="audit-filters" aria-label={t('filters.label')}>
        <div className="res-field">
          <label htmlFor="audit-action">{t('filters.action')}</label>
          <select id="audit-action" name="action" defaultValue={filters.action}>
            <option value="">{t('filters.allActions')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {t(`actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="res-field">
          <label htmlFor="audit-actor">{t('filters.actor')}</label>
          <select id="audit-actor" name="actor" defaultValue={filters.actor}>
            <option value="">{t('filters.allActors')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name ?? t('operator')}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          {t('filters.apply')}
        </button>
        {filtered ? (
          <Link to="." className="button button--secondary">
            {t('filters.clear')}
          </Link>
        ) : null}
      </Form>
      {entries.length === 0 ? (
        <p className="muted" data-testid="audit-empty">
          {filtered ? t('emptyFiltered') : t('empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table audit-table" data-testid="audit-log">
            <caption className="visually-hidden">{t('table.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('table.when')}</th>
                <th scope="col">{t('table.what')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-action={entry.rawAction}>
                  <td>
                    <time dateTime={entry.iso} title={entry.at}>
                      <span className="audit-when__relative">{entry.relative}</span>
                      <span className="audit-when__absolute">{entry.at}</span>
                    </time>
                  </td>
                  <td className="audit-what">
                    <Sentence entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="audit-pages" aria-label={t('table.caption')}>
        {filters.paged ? <Link to={query({})}>{t('newest')}</Link> : null}
        {nextBefore ? (
          <Link to={query({ before: nextBefore })} rel="next">
            {t('older')}
          </Link>
        ) : null}
      </nav>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
