/**
 * The flow editor. Loader: the flow with its draft, live version, history and the brand's
 * resources. Action (JSON): `publish` (validate with the brand → compile → new version) and
 * `restore` (a version becomes the draft). Drafts autosave through ./flows.$flowId_.draft.
 */
import { data, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import flowStyles from '@xyflow/react/dist/style.css?url';
import queryBuilderStyles from 'react-querybuilder/dist/query-builder.css?url';
import { ErrorView } from '~/components/error-view';
import { FlowEditor } from '~/components/flow/editor';
import editorStyles from '~/styles/editor.css?url';
import { translator } from '~/i18n/config';
import { resolveLanguage } from '~/i18n/language.server';
import { languageFromMatches } from '~/i18n/meta';
import { editorAction } from '~/lib/flow-editor-actions.server';
import { loadEditor } from '~/lib/flow-editor.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowStyles },
  { rel: 'stylesheet', href: queryBuilderStyles },
  { rel: 'stylesheet', href: editorStyles },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const editor = await loadEditor(params.flowId ?? '');
  if (!editor) throw data(null, { status: 404 });
  return { ...editor, lang: resolveLanguage(request) };
}

export function action({ params, request }: ActionFunctionArgs) {
  return editorAction(params.flowId ?? '', request);
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [{ title: t('app.pageTitle', { page: data ? t('editor.pageTitle', { name: data.flow.name }) : t('errors.notFoundTitle') }) }];
};

export default function FlowEditorRoute() {
  const { flow, draft, liveDocument, versions, resources, brandContext, lang } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // The canvas measures itself in the browser: render it once hydrated.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) {
    return (
      <div className="editor editor--loading" aria-busy="true">
        <p>{t('editor.loading', { name: flow.name })}</p>
      </div>
    );
  }
  return (
    <FlowEditor
      key={flow.id}
      flow={flow}
      draft={draft}
      liveDocument={liveDocument}
      versions={versions}
      resources={resources}
      brandContext={brandContext}
      lang={lang}
    />
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
