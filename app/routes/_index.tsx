import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { BrandSwitcher } from '~/components/brand-switcher';
import { EmptyState } from '~/components/empty-state';
import { ErrorView } from '~/components/error-view';
import { CreateFlowForm, FlowsTable } from '~/components/flows-table';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { BRAND_CREATE_COMMAND } from '~/lib/cli-commands';
import {
  changeFlowStatus,
  createFlow,
  duplicateFlow,
  isStatusAction,
  listBrands,
  loadFlowsPage,
  type FlowActionResult,
} from '~/lib/flows.server';
import type { ErrorReason } from '~/lib/route-errors';
import listStyles from '~/styles/flows-list.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: listStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const lang = resolveLanguage(request);
  const slug = new URL(request.url).searchParams.get('brand') || null;
  const page = await loadFlowsPage(slug, lang);
  if (page.kind === 'unknown-brand') {
    throw data({ reason: 'brand-not-found', slug: page.slug } satisfies ErrorReason, { status: 404 });
  }
  return { lang, page };
}

/** List actions: create (then open the editor), duplicate, pause, resume, archive. */
export async function action({ request }: ActionFunctionArgs) {
  const lang = resolveLanguage(request);
  const t = translator(lang);
  const form = await request.formData();
  const intent = form.get('intent');
  const slug = new URL(request.url).searchParams.get('brand') || (await listBrands())[0]?.slug || '';
  let result: FlowActionResult;
  if (intent === 'create') {
    result = await createFlow(slug, form.get('name'));
    if (result.ok) return redirect(`/flows/${result.flowId}`);
  } else if (intent === 'duplicate') {
    result = await duplicateFlow(slug, form.get('flowId'), (name) => t('home.results.copyName', { name }));
  } else if (isStatusAction(intent)) {
    result = await changeFlowStatus(slug, form.get('flowId'), intent);
  } else {
    result = { ok: false, error: 'badRequest' };
  }
  const message = result.ok
    ? t(`home.results.${result.result}`, { name: result.name })
    : t(`home.errors.${result.error}`, { name: result.name ?? '' });
  return data({ ok: result.ok, intent: typeof intent === 'string' ? intent : '', message }, { status: result.ok ? 200 : result.error === 'notFound' ? 404 : 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  const page =
    data?.page.kind === 'brand'
      ? t('home.titleWithBrand', { brand: data.page.brand.name })
      : data
        ? t('home.title')
        : t('errors.notFoundTitle');
  return [{ title: t('app.pageTitle', { page }) }];
};

function NoBrand() {
  const { t } = useTranslation();
  return (
    <EmptyState title={t('home.noBrand.title')}>
      <p>{t('home.noBrand.body')}</p>
      <p>{t('home.noBrand.instruction')}</p>
      <pre className="command" aria-label={t('home.noBrand.commandLabel')}>
        <code>{BRAND_CREATE_COMMAND}</code>
      </pre>
      <p className="muted">{t('home.noBrand.placeholders')}</p>
    </EmptyState>
  );
}

function NoFlows({ brandName }: { brandName: string }) {
  const { t } = useTranslation();
  return (
    <EmptyState title={t('home.noFlows.title')}>
      <p>{t('home.noFlows.body')}</p>
      <p className="muted">{t('home.noFlows.next', { brand: brandName })}</p>
    </EmptyState>
  );
}

export default function FlowsHome() {
  const { lang, page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t('home.heading')}</h1>
          {page.kind === 'brand' ? (
            <p className="page-header__sub">{t('home.brandLine', { brand: page.brand.name })}</p>
          ) : null}
        </div>
        {page.kind === 'brand' && page.brands.length > 1 ? (
          <BrandSwitcher brands={page.brands} current={page.brand.slug} />
        ) : null}
      </div>
      {result ? (
        <p className={`flash flash--${result.ok ? 'ok' : 'error'}`} role={result.ok ? 'status' : 'alert'} data-testid="flow-action-result">
          {result.message}
        </p>
      ) : null}
      {page.kind === 'brand' ? <CreateFlowForm error={result && !result.ok && result.intent === 'create' ? result.message : null} /> : null}
      {page.kind === 'no-brand' ? <NoBrand /> : null}
      {page.kind === 'brand' && page.flows.length === 0 ? <NoFlows brandName={page.brand.name} /> : null}
      {page.kind === 'brand' && page.flows.length > 0 ? (
        <FlowsTable flows={page.flows} brandName={page.brand.name} timezone={page.brand.timezone} lang={lang} />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
