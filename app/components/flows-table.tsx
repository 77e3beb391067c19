import { Form, Link, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { Language } from '~/i18n/config';
import type { FlowListItem } from '~/lib/flows.server';
import { flowPath, sectionPath } from '~/lib/paths';
import { FlowProblems } from './flow-problems';
import { StatusBadge } from './status-badge';

interface Props {
  flows: FlowListItem[];
  /** Flows made from a template that has a newer version: flow id → that version. */
  templateUpdates?: Record<string, number>;
  brandSlug: string;
  brandName: string;
  /** False for a viewer: the flows can be opened, not changed (no row actions). */
  canEdit?: boolean;
  timezone: string;
  lang: Language;
}

/** One row action: a small POST form (works before hydration, and without JavaScript). */
function RowAction({ flow, intent, label }: { flow: FlowListItem; intent: string; label: string }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle' && navigation.formData?.get('flowId') === flow.id;
  return (
    <Form method="post" className="row-action">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="flowId" value={flow.id} />
      <button
        type="submit"
        className="button button--secondary button--small"
        disabled={busy}
        aria-label={t('home.actions.onFlow', { action: label, name: flow.name })}
        onClick={(event) => {
          // Both change what running journeys do: say what, and let the marketer back out.
          const question =
            intent === 'archive'
              ? t('home.actions.archiveConfirm', { name: flow.name })
              : intent === 'pause'
                ? t('home.actions.pauseConfirm', { name: flow.name, count: flow.activeJourneys })
                : null;
          if (question !== null && !window.confirm(question)) event.preventDefault();
        }}
      >
        {label}
      </button>
    </Form>
  );
}

export function FlowsTable({
  flows,
  templateUpdates,
  brandSlug,
  brandName,
  timezone,
  lang,
  canEdit = true,
}: Props) {
  const { t } = useTranslation();
  const count = new Intl.NumberFormat(lang);
  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">
            {t('home.table.caption', { brand: brandName })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('home.table.name')}</th>
              <th scope="col">{t('home.table.status')}</th>
              <th scope="col">{t('home.table.liveVersion')}</th>
              <th scope="col" className="num">
                {t('home.table.enteredJourneys')}
              </th>
              <th scope="col" className="num">
                {t('home.table.activeJourneys')}
              </th>
              <th scope="col">{t('home.table.updatedAt')}</th>
              <th scope="col">{t('home.table.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((flow) => (
              <tr key={flow.id} data-flow-id={flow.id}>
                <th scope="row">
                  <Link to={flowPath(brandSlug, flow.id)}>{flow.name}</Link>
                  <FlowProblems
                    problems={flow.problems}
                    lang={lang}
                    timezone={timezone}
                    variant="row"
                  />
                </th>
                <td>
                  <StatusBadge status={flow.status} />
                  {templateUpdates?.[flow.id] !== undefined ? (
                    <Link
                      to={sectionPath(brandSlug, 'templates')}
                      className="muted"
                      data-testid="template-update"
                    >
                      {' '}
                      {t('home.table.templateUpdate', { version: templateUpdates[flow.id] })}
                    </Link>
                  ) : null}
                </td>
                <td>
                  {flow.liveVersion === null ? (
                    <span className="muted">{t('home.table.notPublished')}</span>
                  ) : (
                    t('home.table.version', { version: flow.liveVersion })
                  )}
                </td>
                <td className="num">{count.format(flow.enteredJourneys)}</td>
                <td className="num">{count.format(flow.activeJourneys)}</td>
                <td>
                  <time dateTime={flow.updatedAt}>{flow.updatedAtLabel}</time>
                </td>
                <td>
                  <div className="row-actions">
                    <Link
                      className="button button--secondary button--small"
                      to={flowPath(brandSlug, flow.id)}
                      aria-label={t('home.actions.onFlow', {
                        action: t('home.actions.edit'),
                        name: flow.name,
                      })}
                    >
                      {flow.status === 'archived' || !canEdit
                        ? t('home.actions.view')
                        : t('home.actions.edit')}
                    </Link>
                    {canEdit ? (
                      <RowAction
                        flow={flow}
                        intent="duplicate"
                        label={t('home.actions.duplicate')}
                      />
                    ) : null}
                    {canEdit && flow.status === 'live' ? (
                      <RowAction flow={flow} intent="pause" label={t('home.actions.pause')} />
                    ) : null}
                    {canEdit && flow.status === 'paused' ? (
                      <RowAction flow={flow} intent="resume" label={t('home.actions.resume')} />
                    ) : null}
                    {canEdit && flow.status !== 'archived' ? (
                      <RowAction flow={flow} intent="archive" label={t('home.actions.archive')} />
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="table-note">{t('home.table.timezone', { timezone })}</p>
    </>
  );
}

/** "New flow": a name, then straight into the editor. */
export function CreateFlowForm({ error }: { error: string | null }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const busy = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'create';
  return (
    <Form method="post" className="create-flow">
      <input type="hidden" name="intent" value="create" />
      <label htmlFor="new-flow-name">{t('home.create.label')}</label>
      <input
        id="new-flow-name"
        name="name"
        type="text"
        required
        maxLength={100}
        placeholder={t('home.create.placeholder')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'new-flow-error' : undefined}
      />
      <button type="submit" className="button" disabled={busy}>
        {t('home.create.submit')}
      </button>
      {error ? (
        <p id="new-flow-error" className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </Form>
  );
}
