/** One published version, read-only (viewer), with "restore as draft" (editor). */
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Form, Link, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import flowStyles from '@xyflow/react/dist/style.css?url';
import { ErrorView } from '~/components/error-view';
import { FlowViewer } from '~/components/flow/viewer';
import editorStyles from '~/styles/editor.css?url';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { requireMember } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import { flowPath } from '~/lib/paths';
import { formAction } from '~/lib/http/guard.server';
import { services } from '~/lib/services.server';
import { can, REQUIRED_ROLE } from '../../services/members/roles';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowStyles },
  { rel: 'stylesheet', href: editorStyles },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const loaded = await services.flows.editor.loadVersion(
    member.brand.id,
    params.flowId ?? '',
    Number(params.version),
  );
  if (!loaded) throw data(null, { status: 404 });
  const lang = resolveLanguage(request);
  return {
    ...loaded,
    lang,
    /** Restoring changes the draft: editors and up (a viewer is not offered it). */
    canRestore: can(member.role, 'flow.edit'),
    publishedAtLabel: formatDateTime(
      new Date(loaded.version.publishedAt),
      lang,
      loaded.flow.timezone,
    ),
  };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const { member, actor } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['flow.edit'],
  });
  await formAction(request);
  const result = await services.flows.editor.restoreVersion(
    actor,
    member.brand.id,
    params.flowId ?? '',
    Number(params.version),
  );
  if (!result.ok) throw data(null, { status: 404 });
  return redirect(flowPath(member.brand.slug, params.flowId ?? ''));
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [
    {
      title: t('app.pageTitle', {
        page: data
          ? t('editor.versions.pageTitle', { name: data.flow.name, version: data.version.version })
          : t('errors.notFoundTitle'),
      }),
    },
  ];
};

export default function VersionView() {
  const { flow, version, lang, publishedAtLabel, canRestore } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="editor editor--viewer" data-ready={hydrated}>
      <header className="editor__bar">
        <Link to={flowPath(flow.brandSlug, flow.id)} className="editor__back">
          {t('editor.versions.backToEditor')}
        </Link>
        <h1 className="editor__title">
          {t('editor.versions.viewTitle', {
            name: version.document.name,
            version: version.version,
          })}
        </h1>
        {version.isLive ? (
          <span className="badge badge--live">{t('editor.versions.live')}</span>
        ) : null}
        <span className="muted">
          {t('editor.versions.publishedAt', { at: publishedAtLabel })} ·{' '}
          <code>{version.contentHash.slice(0, 12)}</code>
        </span>
        <span className="muted">{t('editor.versions.readOnly')}</span>
        {canRestore ? (
          <Form method="post" className="editor__tools">
            <button
              type="submit"
              className="button button--small"
              disabled={navigation.state !== 'idle'}
            >
              {t('editor.versions.restore')}
            </button>
          </Form>
        ) : null}
      </header>
      {hydrated ? (
        <FlowViewer
          brandSlug={flow.brandSlug}
          flowId={flow.id}
          doc={version.document}
          lang={lang}
        />
      ) : (
        <p>{t('editor.loading', { name: version.document.name })}</p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
