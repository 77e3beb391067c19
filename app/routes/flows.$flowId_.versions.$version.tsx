/** One published version, read-only, with "restore as draft". */
import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
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
import { loadVersion, restoreVersion } from '~/lib/flow-editor.server';
import { formatDateTime } from '~/lib/format';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowStyles },
  { rel: 'stylesheet', href: editorStyles },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const loaded = await loadVersion(params.flowId ?? '', Number(params.version));
  if (!loaded) throw data(null, { status: 404 });
  const lang = resolveLanguage(request);
  return { ...loaded, lang, publishedAtLabel: formatDateTime(new Date(loaded.version.publishedAt), lang, loaded.flow.timezone) };
}

export async function action({ params }: ActionFunctionArgs) {
  const result = await restoreVersion(params.flowId ?? '', Number(params.version));
  if (!result.ok) throw data(null, { status: 404 });
  return redirect(`/flows/${params.flowId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [
    {
      title: t('app.pageTitle', {
        page: data ? t('editor.versions.pageTitle', { name: data.flow.name, version: data.version.version }) : t('errors.notFoundTitle'),
      }),
    },
  ];
};

export default function VersionView() {
  const { flow, version, lang, publishedAtLabel } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const navigation = useNavigation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <div className="editor editor--viewer" data-ready={hydrated}>
      <header className="editor__bar">
        <Link to={`/flows/${flow.id}`} className="editor__back">
          {t('editor.versions.backToEditor')}
        </Link>
        <h1 className="editor__title">{t('editor.versions.viewTitle', { name: version.document.name, version: version.version })}</h1>
        {version.isLive ? <span className="badge badge--live">{t('editor.versions.live')}</span> : null}
        <span className="muted">
          {t('editor.versions.publishedAt', { at: publishedAtLabel })} · <code>{version.contentHash.slice(0, 12)}</code>
        </span>
        <span className="muted">{t('editor.versions.readOnly')}</span>
        <Form method="post" className="editor__tools">
          <button type="submit" className="button button--small" disabled={navigation.state !== 'idle'}>
            {t('editor.versions.restore')}
          </button>
        </Form>
      </header>
      {hydrated ? <FlowViewer flowId={flow.id} doc={version.document} lang={lang} /> : <p>{t('editor.loading', { name: version.document.name })}</p>}
    </div>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
