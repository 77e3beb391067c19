/**
 * The flow editor, /brands/<slug>/flows/<flowId>. Loader (viewer): the flow with its draft,
 * live version, history, the brand's resources and the Simulate panel's saved scenarios.
 * Action (JSON, editor): `publish` (validate with the brand → compile → new version) and
 * `restore` (a version becomes the draft). Drafts
 * autosave through ./brands.$slug.flows.$flowId_.draft. A flow of another brand is a 404.
 */
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { NodeStatsContext } from '~/components/flow/node-stats';
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
import { requireMember } from '~/lib/auth.server';
import { editorAction, refusalAsAnswer } from '~/lib/flow-editor-actions.server';
import { services } from '~/lib/services.server';
import { REQUIRED_ROLE, can } from '../../services/members/roles';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowStyles },
  { rel: 'stylesheet', href: queryBuilderStyles },
  { rel: 'stylesheet', href: editorStyles },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const { member } = await requireMember(request, {
    brand: params.slug,
    atLeast: REQUIRED_ROLE['brand.read'],
  });
  const editor = await services.flows.editor.loadEditor(member.brand.id, params.flowId ?? '');
  if (!editor) throw data(null, { status: 404 });
  // Numbers on the canvas: the live version's counters (none before the first publish).
  const counted = editor.flow.liveVersion
    ? await services.analytics.flowStats.read(member.brand.id, editor.flow.id, { version: 'live' })
    : null;
  const stats = counted?.ok ? counted.stats.nodes : null;
  return { ...editor, stats, role: member.role, lang: resolveLanguage(request) };
}

/** Publish and restore: an editor's (a refusal is answered as JSON the editor shows). */
export async function action({ params, request }: ActionFunctionArgs) {
  const signedIn = await refusalAsAnswer(() =>
    requireMember(request, { brand: params.slug, atLeast: REQUIRED_ROLE['flow.publish'] }),
  );
  if (!signedIn.ok) return signedIn.response;
  return editorAction(
    signedIn.value.member.brand.id,
    params.flowId ?? '',
    request,
    signedIn.value.actor,
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translator(languageFromMatches(matches));
  return [
    {
      title: t('app.pageTitle', {
        page: data ? t('editor.pageTitle', { name: data.flow.name }) : t('errors.notFoundTitle'),
      }),
    },
  ];
};

export default function FlowEditorRoute() {
  const {
    flow,
    draft,
    liveDocument,
    versions,
    resources,
    brandContext,
    validateOptions,
    problems,
    lang,
    role,
    stats,
    scenarios,
  } = useLoaderData<typeof loader>();
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
    <NodeStatsContext.Provider value={stats}>
      <FlowEditor
        key={flow.id}
        flow={flow}
        draft={draft}
        liveDocument={liveDocument}
        versions={versions}
        resources={resources}
        brandContext={brandContext}
        validateOptions={validateOptions}
        problems={problems}
        lang={lang}
        canEdit={can(role, 'flow.edit')}
        scenarios={scenarios}
      />
    </NodeStatsContext.Provider>
  );
}

export function ErrorBoundary() {
  return <ErrorView />;
}
