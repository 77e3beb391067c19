/**
 * The flow editor: palette | canvas | side panel (step, issues, settings, history, simulate), a
 * toolbar (undo/redo, layout, import/export, publish), keyboard shortcuts, live validation
 * and autosave. The store holds the document; everything else is derived from it.
 */
import { Link, useFetcher } from '@remix-run/react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { FlowProblems } from '~/components/flow-problems';
import { StatusBadge } from '~/components/status-badge';
import type { Language } from '~/i18n/config';
import {
  createIncrementalValidator,
  type BrandContext,
  type FlowDraft,
  type Issue,
  type NodeKind,
  type ValidateOptions,
} from '~/lib/engine';
import type { BrandResources, VersionSummary } from '../../../services/flows/editor.types';
import type { FlowProblem } from '~/lib/flow-problems';
import type { FlowStatus } from '~/lib/flows.server';
import { formatDateTime } from '~/lib/format';
import { addNode, FlowCanvas } from './canvas';
import { EditorContext, type EditorContextValue } from './fields';
import { ImportDialog, exportFlow, readFlowFile, type ImportProblem } from './import-export';
import { IssuesPanel, issueCounts } from './issues-panel';
import { boundsOf, layoutPositions, readableViewport } from './layout';
import { NodePanel } from './node-panel';
import { Palette } from './palette';
import { PublishDialog } from './publish-dialog';
import { SettingsPanel } from './settings-panel';
import { createHighlightStore, SimHighlightContext, type HighlightStore } from './sim-highlight';
import { initialFollowers, SimulatePanel, type SimFollower } from './simulate-panel';
import type { ScenarioInput } from '../../../engine/simulate/index';
import {
  copySelection,
  createEditorStore,
  deleteSelection,
  pasteClip,
  type Clip,
  type EditorStore,
} from './store';
import { useAutosave } from './use-autosave';
import { useShortcuts } from './use-shortcuts';
import { VersionsPanel } from './versions-panel';
import { brandPath, flowEndpoint, sectionPath } from '~/lib/paths';

export interface EditorProps {
  flow: {
    id: string;
    name: string;
    status: FlowStatus;
    liveVersion: number | null;
    brand: { slug: string; name: string; timezone: string };
  };
  draft: FlowDraft;
  liveDocument: FlowDraft | null;
  versions: VersionSummary[];
  resources: BrandResources;
  brandContext: BrandContext;
  /** Deployment settings validation needs (the operator's webhook allow-list). */
  validateOptions?: ValidateOptions;
  /** What went wrong while the flow ran (failed sweeps, refused webhooks). */
  problems?: FlowProblem[];
  lang: Language;
  /** False for a viewer of the brand: the flow is shown, nothing is saved or published. */
  canEdit?: boolean;
  /** The Simulate panel's saved test followers. */
  scenarios?: ScenarioInput[];
}

type Tab = 'step' | 'issues' | 'settings' | 'history' | 'simulate';
const NO_ISSUES: Issue[] = [];
const NO_SCENARIOS: ScenarioInput[] = [];
const TABS: readonly Tab[] = ['step', 'issues', 'settings', 'history', 'simulate'];

type ActionData =
  | { intent: 'publish'; ok: true; version: number }
  | { intent: 'publish'; ok: false; message: string; issues?: Issue[] }
  | { intent: 'restore'; ok: true; version: number; draft: FlowDraft }
  | { intent: 'restore'; ok: false; message: string }
  /** Refused before it ran (requireMember: 401, 403, 404). */
  | { intent?: undefined; ok: false; message: string };

export function FlowEditor(props: EditorProps) {
  // The simulated path (sim-highlight.ts): the Simulate panel writes it, nodes and edges read it.
  const [highlight] = useState(createHighlightStore);
  return (
    <ReactFlowProvider>
      <SimHighlightContext.Provider value={highlight}>
        <EditorInner {...props} highlight={highlight} />
      </SimHighlightContext.Provider>
    </ReactFlowProvider>
  );
}

function EditorInner({
  flow,
  draft,
  liveDocument,
  versions,
  resources: initialResources,
  brandContext,
  validateOptions,
  problems = [],
  lang,
  canEdit = true,
  scenarios = NO_SCENARIOS,
  highlight,
}: EditorProps & { highlight: HighlightStore }) {
  const { t } = useTranslation();
  const [store] = useState<EditorStore>(() => createEditorStore(draft));
  const doc = useStore(store, (s) => s.doc);
  const selectedNodes = useStore(store, (s) => s.selectedNodes);
  const canUndo = useStore(store.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(store.temporal, (s) => s.futureStates.length > 0);
  const archived = flow.status === 'archived';
  const readOnly = archived || !canEdit;
  const [resources, setResources] = useState(initialResources);
  const [tab, setTab] = useState<Tab>('step');
  const [notice, setNotice] = useState<string | null>(null);
  const clip = useRef<Clip | null>(null);
  const flowApi = useReactFlow();
  const {
    status: saveStatus,
    flush,
    markSaved,
  } = useAutosave(store, flowEndpoint(flow.brand.slug, flow.id, 'draft'), !readOnly);

  // Live validation with the brand's resources, a frame behind typing when the flow is big.
  const context = useMemo<BrandContext>(
    () => ({ ...brandContext, tags: [...new Set([...brandContext.tags, ...resources.tags])] }),
    [brandContext, resources.tags],
  );
  // The first paint does not wait for validation (a big flow draws first, badges follow).
  const deferredDoc = useDeferredValue(doc);
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setPainted(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  // After an edit only what it touched is checked again (engine/validate/incremental.ts).
  const [validate] = useState(createIncrementalValidator);
  const issues = useMemo(
    () => (painted ? validate(deferredDoc, context, validateOptions) : NO_ISSUES),
    [painted, deferredDoc, context, validateOptions, validate],
  );
  const { errors, warnings } = issueCounts(issues);

  // Simulation: its test followers outlive the tab.
  const [simFollowers, setSimFollowers] = useState<SimFollower[]>(() =>
    initialFollowers(scenarios, draft, draft.settings?.timezone ?? flow.brand.timezone),
  );

  // Selecting one step shows its config — except while simulating: choosing a step of the
  // trace (or on the canvas) keeps the simulation in view.
  const selectionKey = [...selectedNodes].join('|');
  const simulating = tab === 'simulate';
  useEffect(() => {
    if (selectionKey && !selectionKey.includes('|') && !simulating) setTab('step');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectionKey]);

  const createTag = useCallback(
    async (name: string) => {
      const response = await fetch(flowEndpoint(flow.brand.slug, flow.id, 'tags'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
      const body = (await response.json()) as { ok: boolean; name?: string; message?: string };
      if (!body.ok) {
        setNotice(body.message ?? t('editor.resources.tagCreateFailed'));
        return false;
      }
      setResources((r) => (r.tags.includes(name) ? r : { ...r, tags: [...r.tags, name].sort() }));
      setNotice(t('editor.resources.tagCreated', { name }));
      return true;
    },
    [flow.brand.slug, flow.id, t],
  );
  const editorContext = useMemo<EditorContextValue>(
    () => ({ flowId: flow.id, brandSlug: flow.brand.slug, lang, resources, createTag, readOnly }),
    [flow.id, flow.brand.slug, lang, resources, createTag, readOnly],
  );

  // --- commands ---------------------------------------------------------------------
  const undo = useCallback(() => store.temporal.getState().undo(), [store]);
  const redo = useCallback(() => store.temporal.getState().redo(), [store]);
  const copy = useCallback(() => {
    clip.current = copySelection(store.getState());
    if (clip.current) setNotice(t('editor.clipboard.copied', { n: clip.current.nodes.length }));
  }, [store, t]);
  const paste = useCallback(() => {
    if (clip.current) pasteClip(store, clip.current);
  }, [store]);
  const duplicate = useCallback(() => {
    const c = copySelection(store.getState());
    if (c) pasteClip(store, c);
  }, [store]);
  const remove = useCallback(() => deleteSelection(store), [store]);
  const selectAll = useCallback(() => {
    const { doc } = store.getState();
    store.getState().select(
      doc.nodes.map((n) => n.id),
      doc.edges.map((e) => e.id),
    );
  }, [store]);

  const addFromPalette = useCallback(
    (kind: NodeKind) => {
      // Keyboard / click: in the middle of the view, onto the selected connection if one is.
      const pane = document.querySelector('.flow-canvas')?.getBoundingClientRect();
      const center = pane
        ? flowApi.screenToFlowPosition({
            x: pane.left + pane.width / 2,
            y: pane.top + pane.height / 2,
          })
        : { x: 0, y: 0 };
      const { selectedEdges, doc } = store.getState();
      const edgeId = selectedEdges.size === 1 ? [...selectedEdges][0]! : null;
      const jitter = (doc.nodes.length % 5) * 24;
      addNode(
        store,
        kind,
        { x: Math.round(center.x - 100 + jitter), y: Math.round(center.y - 30 + jitter) },
        edgeId,
      );
    },
    [flowApi, store],
  );

  const [layingOut, setLayingOut] = useState(false);
  const autoLayout = useCallback(async () => {
    setLayingOut(true);
    try {
      const { doc } = store.getState();
      const sizeOf = (id: string) => {
        const n = flowApi.getNode(id);
        return n?.measured?.width && n.measured.height
          ? { width: n.measured.width, height: n.measured.height }
          : undefined;
      };
      const positions = await layoutPositions(doc, sizeOf);
      const ops = doc.nodes
        .filter((n) => positions.has(n.id))
        .map((n) => ({ type: 'move_node' as const, nodeId: n.id, position: positions.get(n.id)! }));
      if (ops.length) store.getState().dispatch(ops);
      // Fit, but never below a readable zoom: a long flow is scrolled, not shrunk to a blur.
      const pane = document.querySelector('.flow-canvas')?.getBoundingClientRect();
      const bounds = boundsOf(positions, sizeOf);
      if (pane && bounds)
        requestAnimationFrame(
          () => void flowApi.setViewport(readableViewport(bounds, pane), { duration: 300 }),
        );
    } finally {
      setLayingOut(false);
    }
  }, [flowApi, store]);

  const focusIssue = useCallback(
    (issue: Issue) => {
      if (!issue.nodeId && issue.path?.startsWith('/settings')) {
        setTab('settings');
        return;
      }
      const edge = issue.edgeId
        ? store.getState().doc.edges.find((e) => e.id === issue.edgeId)
        : undefined;
      const nodeId = issue.nodeId ?? edge?.from;
      if (!nodeId) return;
      const node = flowApi.getNode(nodeId);
      if (!node) return;
      store.getState().select([nodeId]);
      setTab('step');
      const w = node.measured?.width ?? 220;
      const h = node.measured?.height ?? 80;
      void flowApi.setCenter(node.position.x + w / 2, node.position.y + h / 2, {
        zoom: Math.max(flowApi.getZoom(), 0.9),
        duration: 300,
      });
    },
    [flowApi, store],
  );

  const focusNode = useCallback(
    (nodeId: string) => {
      const node = flowApi.getNode(nodeId);
      if (!node) return;
      store.getState().select([nodeId]);
      const w = node.measured?.width ?? 220;
      const h = node.measured?.height ?? 80;
      void flowApi.setCenter(node.position.x + w / 2, node.position.y + h / 2, {
        zoom: Math.max(flowApi.getZoom(), 0.9),
        duration: 300,
      });
    },
    [flowApi, store],
  );

  useShortcuts({ undo, redo, copy, paste, duplicate, remove, selectAll, readOnly });

  // --- publish and restore ------------------------------------------------------------
  const fetcher = useFetcher<ActionData>();
  const [publishOpen, setPublishOpen] = useState(false);
  const busy = fetcher.state !== 'idle';
  const lastHandled = useRef<unknown>(null);
  useEffect(() => {
    const data = fetcher.data;
    if (!data || fetcher.state !== 'idle' || lastHandled.current === data) return;
    lastHandled.current = data;
    if (data.intent === 'publish' && data.ok) {
      setPublishOpen(false);
      markSaved(store.getState().doc);
      setNotice(t('editor.publish.done', { version: data.version }));
    } else if (data.intent === 'restore' && data.ok) {
      store.getState().replace(data.draft);
      markSaved(data.draft);
      setNotice(t('editor.versions.restored', { version: data.version }));
      requestAnimationFrame(() => void flowApi.fitView({ padding: 0.2, maxZoom: 1 }));
    } else if (data.intent === 'restore' && !data.ok) {
      setNotice(data.message);
    } else if (!data.intent && !data.ok && data.message) {
      // Refused before it ran (signed out, a viewer, the flow gone): say why.
      setPublishOpen(false);
      setNotice(data.message);
    }
  }, [fetcher.data, fetcher.state, store, t, markSaved, flowApi]);
  const publishError =
    fetcher.data?.intent === 'publish' && !fetcher.data.ok && lastHandled.current === fetcher.data
      ? fetcher.data
      : null;

  const confirmPublish = async () => {
    await flush();
    fetcher.submit({ intent: 'publish', draft: store.getState().doc } as never, {
      method: 'post',
      encType: 'application/json',
    });
  };
  const restore = (version: number) =>
    fetcher.submit({ intent: 'restore', version }, { method: 'post', encType: 'application/json' });

  // --- import / export ----------------------------------------------------------------
  const fileInput = useRef<HTMLInputElement>(null);
  const [importProblem, setImportProblem] = useState<ImportProblem | null>(null);
  const onImportFile = async (file: File) => {
    const result = await readFlowFile(file, context, validateOptions);
    if (!result.ok) {
      setImportProblem(result.problem);
      return;
    }
    store.getState().replace(result.doc);
    setNotice(t('editor.importExport.imported', { name: file.name }));
    requestAnimationFrame(() => void flowApi.fitView({ padding: 0.2, maxZoom: 1 }));
  };

  const formatDate = useCallback(
    (iso: string) => formatDateTime(new Date(iso), lang, flow.brand.timezone),
    [lang, flow.brand.timezone],
  );

  return (
    <EditorContext.Provider value={editorContext}>
      <div className="editor" data-ready="true">
        <header className="editor__bar">
          <Link to={brandPath(flow.brand.slug)} className="editor__back">
            {t('editor.back')}
          </Link>
          <h1 className="editor__title">{doc.name || t('editor.untitled')}</h1>
          <StatusBadge status={flow.status} />
          {flow.liveVersion !== null ? (
            <span className="muted">{t('editor.liveVersion', { version: flow.liveVersion })}</span>
          ) : null}
          <SaveIndicator status={saveStatus} lang={lang} readOnly={readOnly} />
          <Link
            to={`${sectionPath(flow.brand.slug, 'templates')}?save=${encodeURIComponent(flow.id)}#save-template`}
            className="button button--secondary button--small"
          >
            {t('editor.saveAsTemplate')}
          </Link>
          <div className="editor__tools" role="toolbar" aria-label={t('editor.toolbar')}>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={undo}
              disabled={!canUndo || readOnly}
              title={t('editor.shortcuts.undo')}
            >
              {t('editor.undo')}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={redo}
              disabled={!canRedo || readOnly}
              title={t('editor.shortcuts.redo')}
            >
              {t('editor.redo')}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => void autoLayout()}
              disabled={layingOut || readOnly || doc.nodes.length === 0}
            >
              {t('editor.autoLayout')}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => fileInput.current?.click()}
              disabled={readOnly}
            >
              {t('editor.importExport.import')}
            </button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              hidden
              data-testid="import-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void onImportFile(file);
              }}
            />
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => exportFlow(store.getState().doc)}
            >
              {t('editor.importExport.export')}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={!painted || errors > 0 || readOnly || doc.nodes.length === 0}
              title={errors > 0 ? t('editor.publish.blocked', { n: errors }) : undefined}
              onClick={() => setPublishOpen(true)}
            >
              {t('editor.publish.button')}
            </button>
          </div>
        </header>
        {notice ? (
          <div className="editor__notice" role="status">
            <span>{notice}</span>
            <button type="button" className="link-button" onClick={() => setNotice(null)}>
              {t('editor.dismiss')}
            </button>
          </div>
        ) : null}
        {readOnly ? (
          <div className="editor__notice editor__notice--warn" data-testid="read-only-notice">
            {archived ? t('editor.archivedNotice') : t('editor.viewerNotice')}
          </div>
        ) : null}
        {problems.length ? (
          <div className="editor__notice editor__notice--warn">
            <FlowProblems
              problems={problems}
              lang={lang}
              timezone={flow.brand.timezone}
              variant="banner"
            />
          </div>
        ) : null}
        <div className={`editor__body${tab === 'simulate' ? ' editor__body--wide-side' : ''}`}>
          <Palette onAdd={addFromPalette} disabled={readOnly} />
          <FlowCanvas store={store} issues={issues} readOnly={readOnly} lang={lang} />
          <aside className="editor__side" aria-label={t('editor.side')}>
            <div className="tabs" role="tablist" aria-label={t('editor.side')}>
              {TABS.map((id) => (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  id={`tab-${id}`}
                  aria-selected={tab === id}
                  aria-controls={`tabpanel-${id}`}
                  className="tab"
                  onClick={() => setTab(id)}
                >
                  {t(`editor.tabs.${id}`)}
                  {id === 'issues' && issues.length ? (
                    <span
                      className={`tab__count tab__count--${errors ? 'error' : 'warning'}`}
                      data-testid="issue-count"
                    >
                      {errors ? errors : warnings}
                    </span>
                  ) : null}
                </button>
              ))}
            </div>
            <div
              role="tabpanel"
              id={`tabpanel-${tab}`}
              aria-labelledby={`tab-${tab}`}
              className="tabpanel"
            >
              {tab === 'step' ? <NodePanel store={store} issues={issues} /> : null}
              {tab === 'issues' ? (
                <IssuesPanel issues={issues} doc={doc} lang={lang} onFocus={focusIssue} />
              ) : null}
              {tab === 'settings' ? <SettingsPanel store={store} issues={issues} /> : null}
              {tab === 'history' ? (
                <VersionsPanel
                  brandSlug={flow.brand.slug}
                  flowId={flow.id}
                  versions={versions}
                  liveVersion={flow.liveVersion}
                  formatDate={formatDate}
                  onRestore={restore}
                  busy={busy}
                  canRestore={!readOnly}
                />
              ) : null}
              {tab === 'simulate' ? (
                <SimulatePanel
                  doc={doc}
                  errors={painted ? errors : 0}
                  context={context}
                  validateOptions={validateOptions}
                  resources={resources}
                  brand={flow.brand}
                  flowId={flow.id}
                  followers={simFollowers}
                  setFollowers={setSimFollowers}
                  highlight={highlight}
                  onShowIssues={() => setTab('issues')}
                  onFocusNode={focusNode}
                  readOnly={readOnly}
                />
              ) : null}
            </div>
          </aside>
        </div>
        <PublishDialog
          open={publishOpen}
          live={liveDocument}
          liveVersion={flow.liveVersion}
          draft={doc}
          warnings={issues.filter((i) => i.severity === 'warning')}
          lang={lang}
          busy={busy}
          serverError={publishError && !publishError.ok ? publishError.message : null}
          serverIssues={publishError && !publishError.ok ? (publishError.issues ?? []) : []}
          onConfirm={() => void confirmPublish()}
          onClose={() => setPublishOpen(false)}
        />
        <ImportDialog problem={importProblem} lang={lang} onClose={() => setImportProblem(null)} />
      </div>
    </EditorContext.Provider>
  );
}

function SaveIndicator({
  status,
  lang,
  readOnly,
}: {
  status: ReturnType<typeof useAutosave>['status'];
  lang: Language;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  if (readOnly) return null;
  return (
    <span
      className={`save-state save-state--${status.state}`}
      role="status"
      data-state={status.state}
    >
      {status.state === 'saved' ? t('editor.save.saved') : null}
      {status.state === 'dirty' ? t('editor.save.dirty') : null}
      {status.state === 'saving' ? t('editor.save.saving') : null}
      {status.state === 'error' ? (
        <span title={status.issues.map((i) => i.message[lang]).join('\n')}>
          {t('editor.save.failed', { reason: status.message })}
        </span>
      ) : null}
    </span>
  );
}
