/**
 * /brands/<slug>/message-templates — the Official Account's message templates (模板消息), as
 * last synced from WeChat: title, WeChat id, each keyword with its label and what WeChat
 * accepts for it, and the example. Templates are added on WeChat's console; "Sync from WeChat"
 * (editors and above) reads them again (services.messageTemplates.sync, as `fanfare wechat
 * sync` does). Pushes pick them in the flow editor.
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { FormProblems } from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { SuccessNotice } from '~/components/resources/problems';
import { ResourcePage } from '~/components/resources/resource-page';
import { resourceLinks, resourceMeta } from '~/components/resources/route-exports';
import { useSubmitting } from '~/components/resources/use-action-state';
import { resolveLanguage } from '~/i18n/language.server';
import { requireMember } from '~/lib/auth.server';
import { problemsOf } from '~/lib/brands/problems.server';
import { keywordRule } from '~/lib/engine';
import { formatDateTime } from '~/lib/format';
import { formAction } from '~/lib/http/guard.server';
import { brandPage, field } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import { REQUIRED_ROLE, can } from '../../services/members/roles';

export const links = resourceLinks;
export const meta = resourceMeta('messageTemplates.title');

export async function loader({ params, request }: LoaderFunctionArgs) {
  const signedIn = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const { brand, page } = await brandPage(signedIn);
  const lang = resolveLanguage(request);
  const rows = await services.messageTemplates.list(signedIn.actor, brand.slug);
  const synced = rows.reduce<Date | null>(
    (last, r) => (r.syncedAt && (!last || r.syncedAt > last) ? r.syncedAt : last),
    null,
  );
  return {
    lang,
    page,
    canSync: can(page.role, 'resources.manage'),
    syncedAt: synced ? formatDateTime(synced, lang, brand.timezone) : null,
    templates: rows.map((r) => ({
      id: r.id,
      templateId: r.templateId,
      title: r.title,
      example: r.example,
      industry: [r.primaryIndustry, r.deputyIndustry].filter(Boolean).join(' / '),
      keywords: r.keywords.map((k) => ({
        ...k,
        hint: keywordRule(k.kind)?.hint[lang] ?? null,
      })),
    })),
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { actor, member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['resources.manage'],
  });
  const form = await formAction(request);
  if (field(form, 'intent') !== 'sync') throw data({ reason: 'bad-intent' }, { status: 400 });
  try {
    const report = await services.messageTemplates.sync(actor, member.brand.slug);
    const titles = (list: { title: string }[]) => list.map((t) => t.title);
    return {
      ok: true as const,
      count: report.templates.length,
      added: titles(report.added),
      removed: titles(report.removed),
      changed: titles(report.changed),
    };
  } catch (error) {
    return data({ ok: false as const, problems: problemsOf(error) }, { status: 502 });
  }
}

function SyncResult() {
  const { t } = useTranslation('resources');
  const result = useActionData<typeof action>();
  if (!result) return null;
  if (!result.ok) return <FormProblems problems={result.problems} fields={[]} />;
  const sep = t('messageTemplates.listSeparator');
  const part = (key: 'added' | 'removed' | 'changed', list: string[]) =>
    list.length ? t(`messageTemplates.synced.${key}`, { titles: list.join(sep) }) : null;
  return (
    <SuccessNotice>
      {[
        t('messageTemplates.synced.count', { count: result.count }),
        part('added', result.added),
        part('removed', result.removed),
        part('changed', result.changed),
      ]
        .filter(Boolean)
        .join(' ')}
    </SuccessNotice>
  );
}

function SyncForm() {
  const { t } = useTranslation('resources');
  const submitting = useSubmitting('sync');
  return (
    <div className="res-card">
      <h3>{t('messageTemplates.sync.heading')}</h3>
      <Form method="post" className="res-form">
        <input type="hidden" name="intent" value="sync" />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? t('common.working') : t('messageTemplates.sync.submit')}
        </button>
      </Form>
    </div>
  );
}

export default function MessageTemplatesPage() {
  const { t } = useTranslation('resources');
  const { page, templates, canSync, syncedAt } = useLoaderData<typeof loader>();
  return (
    <ResourcePage title={t('messageTemplates.title')} page={page}>
      <section className="res-section" aria-labelledby="message-templates">
        <h2 id="message-templates">{t('messageTemplates.heading')}</h2>
        <p className="res-lead">{t('messageTemplates.lead')}</p>
        <p className="res-lead">
          {syncedAt
            ? t('messageTemplates.sync.last', { at: syncedAt })
            : t('messageTemplates.sync.never')}
        </p>
        <SyncResult />
        {canSync ? <SyncForm /> : <p className="muted">{t('messageTemplates.sync.editorsOnly')}</p>}
        {templates.length === 0 ? (
          <p className="muted" data-testid="message-templates-empty">
            {t('messageTemplates.empty')}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="message-templates">
              <caption className="visually-hidden">{t('messageTemplates.heading')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('messageTemplates.table.title')}</th>
                  <th scope="col">{t('messageTemplates.table.keywords')}</th>
                  <th scope="col">{t('messageTemplates.table.example')}</th>
                </tr>
              </thead>
              <tbody>
                {templates.map((tpl) => (
                  <tr key={tpl.id}>
                    <th scope="row">
                      {tpl.title}
                      <br />
                      <code className="muted">{tpl.templateId}</code>
                      {tpl.industry ? <div className="muted">{tpl.industry}</div> : null}
                    </th>
                    <td>
                      <ul className="res-keywords">
                        {tpl.keywords.map((k) => (
                          <li key={k.key}>
                            {k.label ? <strong>{k.label}</strong> : null} <code>{k.key}</code>
                            {k.hint ? <div className="muted">{k.hint}</div> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <pre className="res-example">{tpl.example}</pre>
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
