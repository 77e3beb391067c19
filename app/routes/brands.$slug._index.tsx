/**
 * A brand's home, /brands/<slug>: its flows (viewer), and the list actions — create,
 * duplicate, pause, resume, archive (editor). Every query is scoped to the brand requireMember
 * resolved from the slug; a flow id of another brand is "not found".
 */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { BrandSwitcher } from '~/components/brand-switcher';
import { EmptyState } from '~/components/empty-state';
import { ErrorView } from '~/components/error-view';
import { requireMember } from '~/lib/auth.server';
import { CreateFlowForm, FlowsTable } from '~/components/flows-table';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { formAction } from '~/lib/http/guard.server';
import { languageFromMatches } from '~/i18n/meta';
import { isStatusAction } from '../../services/flows/list';
import { loadFlows, type FlowActionResult } from '~/lib/flows.server';
import { flowPath } from '~/lib/paths';
import { db } from '~/lib/db.server';
import { brandPage, memberBrand } from '~/lib/resources/context.server';
import { services } from '~/lib/services.server';
import listStyles from '~/styles/flows-list.css?url';
import { REQUIRED_ROLE, can } from '../../services/members/roles';
import { readFollowerImport } from '../../services/followers/imports';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: listStyles }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const signedIn = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const lang = resolveLanguage(request);
  const { brand, page } = await brandPage(signedIn);
  // Flows made from a template with a newer version: "update available" (the library updates).
  const statuses = await services.flowTemplates.statusesOfBrand(signedIn.actor, brand.slug);
  const templateUpdates = Object.fromEntries(
    [...statuses].filter(([, s]) => s.updateAvailable).map(([id, s]) => [id, s.latestVersion]),
  );
  const imported = await readFollowerImport(db, brand.id);
  const followersImport = imported && {
    status: imported.status,
    pages: imported.pages,
    fetched: imported.fetched,
    total: imported.total,
    created: imported.created,
    updated: imported.updated,
    at: (imported.finishedAt ?? imported.startedAt).toISOString(),
  };
  return { lang, page, flows: await loadFlows(brand, lang), templateUpdates, followersImport };
}

/** List actions: create (then open the editor), duplicate, pause, resume, archive. */
export async function action({ params, request }: ActionFunctionArgs) {
  // Every list action changes a flow: create and duplicate need flow.edit, pause and resume
  // flow.pause, archive flow.archive — one role (editor) in services/members/roles.ts.
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['flow.edit'],
  });
  const lang = resolveLanguage(request);
  const t = translator(lang);
  const form = await formAction(request);
  const intent = form.get('intent');
  const brandId = member.brand.id;
  let result: FlowActionResult;
  if (intent === 'create') {
    result = await services.flows.create(await memberBrand(member), form.get('name'));
    if (result.ok) return redirect(flowPath(member.brand.slug, result.flowId));
  } else if (intent === 'duplicate') {
    result = await services.flows.duplicate(brandId, form.get('flowId'), (name) =>
      t('home.results.copyName', { name }),
    );
  } else if (isStatusAction(intent)) {
    result = await services.flows.changeStatus(actor, brandId, form.get('flowId'), intent);
  } else {
    result = { ok: false, error: 'badRequest' };
  }
  const message = result.ok
    ? t(`home.results.${result.result}`, { name: result.name })
    : t(`home.errors.${result.error}`, { name: result.name ?? '' });
  return data(
    { ok: result.ok, intent: typeof intent === 'string' ? intent : '', message },
    { status: result.ok ? 200 : result.error === 'notFound' ? 404 : 400 },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  const page = data
    ? t('home.titleWithBrand', { brand: data.page.brand.name })
    : t('errors.notFoundTitle');
  return [{ title: t('app.pageTitle', { page }) }];
};

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
  const { lang, page, flows, templateUpdates, followersImport } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>{t('home.heading')}</h1>
          <p className="page-header__sub">{t('home.brandLine', { brand: page.brand.name })}</p>
        </div>
        {page.brands.length > 1 ? (
          <BrandSwitcher brands={page.brands} current={page.brand.slug} />
        ) : null}
      </div>
      {result ? (
        <p
          className={`flash flash--${result.ok ? 'ok' : 'error'}`}
          role={result.ok ? 'status' : 'alert'}
          data-testid="flow-action-result"
        >
          {result.message}
        </p>
      ) : null}
      {can(page.role, 'flow.edit') ? (
        <CreateFlowForm
          error={result && !result.ok && result.intent === 'create' ? result.message : null}
        />
      ) : null}
      {flows.length === 0 ? <NoFlows brandName={page.brand.name} /> : null}
      {flows.length > 0 ? (
        <FlowsTable
          flows={flows}
          templateUpdates={templateUpdates}
          brandSlug={page.brand.slug}
          brandName={page.brand.name}
          canEdit={can(page.role, 'flow.edit')}
          timezone={page.brand.timezone}
          lang={lang}
        />
      ) : null}
      <FollowersImport state={followersImport} slug={page.brand.slug} lang={lang} />
    </>
  );
}

/** The brand's latest import of its existing WeChat followers (started by the CLI). */
function FollowersImport({
  state,
  slug,
  lang,
}: {
  state: {
    status: 'running' | 'done' | 'failed';
    pages: number;
    fetched: number;
    total: number | null;
    created: number;
    updated: number;
    at: string;
  } | null;
  slug: string;
  lang: string;
}) {
  const { t } = useTranslation();
  const n = (v: number) => new Intl.NumberFormat(lang).format(v);
  const at = (iso: string) =>
    new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(
      new Date(iso),
    );
  return (
    <section className="followers-import" data-testid="followers-import">
      <h2>{t('home.followersImport.heading')}</h2>
      <p>
        {state
          ? t(`home.followersImport.${state.status}`, {
              fetched: n(state.fetched),
              total: state.total === null ? '?' : n(state.total),
              pages: n(state.pages),
              created: n(state.created),
              updated: n(state.updated),
              at: at(state.at),
            })
          : t('home.followersImport.never')}
      </p>
      <p className="muted">
        {t('home.followersImport.how')} <code>{`fanfare followers import --brand ${slug}`}</code>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
