/**
 * /brands/<slug>/api-keys — keys for the events API (admin+): create one (the key is shown
 * once, with a copy button and a warning), the list (name, prefix, created, last used,
 * revoked), and revoking a key after a confirmation (`?revoke=<id>`, no JavaScript needed).
 */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import {
  BrandAdminPage,
  CopyField,
  Field,
  FormProblems,
  brandAdminLinks,
  brandAdminMeta,
} from '~/components/brands/brand-admin';
import { ErrorView } from '~/components/error-view';
import { resolveLanguage } from '~/i18n/language.server';
import { requireMember } from '~/lib/auth.server';
import { textField } from '~/lib/auth-forms.server';
import { problemsOf } from '~/lib/brands/problems.server';
import { brandTimezone } from '~/lib/brands/timezone.server';
import { formatDateTime } from '~/lib/format';
import { formAction } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';

export const links = brandAdminLinks;
export const meta = brandAdminMeta('apiKeys.title');

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, member } = await requireMember(request, { brand: params.slug, atLeast: 'admin' });
  const rows = await services.apiKeys.list(actor, member.brand.slug);
  const timezone = await brandTimezone(member.brand.id);
  const lang = resolveLanguage(request);
  const when = (d: Date | null) => (d ? formatDateTime(d, lang, timezone) : null);
  const keys = rows.map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created: when(k.createdAt)!,
    lastUsed: when(k.lastUsedAt),
    revoked: when(k.revokedAt),
  }));
  const revokeId = new URL(request.url).searchParams.get('revoke');
  const confirming = keys.find((k) => k.id === revokeId && !k.revoked) ?? null;
  return { brand: { slug: member.brand.slug, name: member.brand.name }, keys, confirming };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireMember(request, { brand: params.slug, atLeast: 'admin' });
  const form = await formAction(request);
  const slug = params.slug ?? '';
  const intent = textField(form, 'intent');
  try {
    if (intent === 'revoke') {
      const revoked = await services.apiKeys.revoke(actor, slug, textField(form, 'id'));
      return { intent: 'revoke' as const, ok: true as const, name: revoked.name };
    }
    const created = await services.apiKeys.create(actor, slug, { name: textField(form, 'name') });
    // The only time the key leaves the server: this answer, to the admin who created it.
    return {
      intent: 'create' as const,
      ok: true as const,
      created: { name: created.name, key: created.key },
    };
  } catch (error) {
    return data(
      {
        intent: intent === 'revoke' ? ('revoke' as const) : ('create' as const),
        ok: false as const,
        problems: problemsOf(error),
        name: textField(form, 'name'),
      },
      { status: 400 },
    );
  }
}

const keysPath = (slug: string) => `/brands/${encodeURIComponent(slug)}/api-keys`;

function ConfirmRevoke({
  slug,
  id,
  name,
  prefix,
}: {
  slug: string;
  id: string;
  name: string;
  prefix: string;
}) {
  const { t } = useTranslation('brands');
  const busy = useNavigation().state === 'submitting';
  return (
    <div className="res-notice res-notice--warn" role="alertdialog" aria-labelledby="revoke-h">
      <h3 id="revoke-h">{t('apiKeys.revoke.heading', { name })}</h3>
      <p>{t('apiKeys.revoke.body', { prefix })}</p>
      <Form method="post" action={keysPath(slug)} className="res-actions">
        <input type="hidden" name="intent" value="revoke" />
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="button button--danger" disabled={busy}>
          {busy ? t('common.working') : t('apiKeys.revoke.confirm')}
        </button>{' '}
        <Link to={keysPath(slug)} className="button button--secondary">
          {t('common.cancel')}
        </Link>
      </Form>
    </div>
  );
}

export default function ApiKeysPage() {
  const { t } = useTranslation('brands');
  const { brand, keys, confirming } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === 'submitting';
  const created = result?.intent === 'create' && result.ok ? result.created : null;
  const createProblems = result?.intent === 'create' && !result.ok ? result.problems : undefined;
  const revokeProblems = result?.intent === 'revoke' && !result.ok ? result.problems : undefined;
  return (
    <BrandAdminPage title={t('apiKeys.title')} brand={brand}>
      <p className="res-lead">{t('apiKeys.lead', { slug: brand.slug })}</p>

      {created ? (
        <section
          className="res-notice res-notice--warn"
          aria-labelledby="created-heading"
          data-testid="created-key"
        >
          <h2 id="created-heading">{t('apiKeys.created.heading', { name: created.name })}</h2>
          <p>
            <strong>{t('apiKeys.created.warning')}</strong>
          </p>
          <CopyField id="new-api-key" label={t('apiKeys.created.label')} value={created.key} />
        </section>
      ) : null}
      {result?.intent === 'revoke' && result.ok ? (
        <div className="res-notice res-notice--ok" role="status">
          <p>{t('apiKeys.revoke.done', { name: result.name })}</p>
        </div>
      ) : null}
      <FormProblems problems={revokeProblems} fields={[]} />
      {confirming ? <ConfirmRevoke slug={brand.slug} {...confirming} /> : null}

      <section className="res-section">
        <div className="res-card">
          <h3>{t('apiKeys.create.heading')}</h3>
          <FormProblems problems={createProblems} fields={['name']} />
          <Form
            method="post"
            action={keysPath(brand.slug)}
            className="res-form"
            key={created?.key ?? 'create'}
          >
            <input type="hidden" name="intent" value="create" />
            <Field
              id="api-key-name"
              name="name"
              label={t('apiKeys.create.name')}
              hint={t('apiKeys.create.nameHint')}
              problems={createProblems}
              defaultValue={createProblems ? result?.name : undefined}
              required
              maxLength={100}
            />
            <button type="submit" className="button" disabled={busy}>
              {busy ? t('common.working') : t('apiKeys.create.submit')}
            </button>
          </Form>
        </div>
      </section>

      <section className="res-section">
        {keys.length === 0 ? (
          <p className="muted">{t('apiKeys.table.empty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="api-keys">
              <caption className="visually-hidden">{t('apiKeys.table.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.table.name')}</th>
                  <th scope="col">{t('apiKeys.table.prefix')}</th>
                  <th scope="col">{t('apiKeys.table.created')}</th>
                  <th scope="col">{t('apiKeys.table.lastUsed')}</th>
                  <th scope="col">{t('apiKeys.table.status')}</th>
                  <th scope="col">{t('apiKeys.table.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id}>
                    <th scope="row">{k.name}</th>
                    <td>
                      <code>{`${k.prefix}…`}</code>
                    </td>
                    <td>{k.created}</td>
                    <td>{k.lastUsed ?? t('apiKeys.table.never')}</td>
                    <td>
                      {k.revoked ? (
                        <span className="res-badge res-badge--warn">
                          {t('apiKeys.table.revoked', { at: k.revoked })}
                        </span>
                      ) : (
                        <span className="res-badge res-badge--ok">{t('apiKeys.table.active')}</span>
                      )}
                    </td>
                    <td>
                      {k.revoked ? null : (
                        <Link
                          to={`${keysPath(brand.slug)}?revoke=${k.id}`}
                          className="button button--danger button--small"
                          aria-label={t('apiKeys.table.revokeLabel', { name: k.name })}
                        >
                          {t('apiKeys.table.revoke')}
                        </Link>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </BrandAdminPage>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
