/**
 * The config panel of the selected node: its label, its kind's form (issues shown on the
 * field they concern, by JSON path) and the graph issues that concern it.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { isNodeKind, type Issue } from '~/lib/engine';
import { FieldIssues, IssuesAtContext, TextField, useEditorContext } from './fields';
import { LabelScopeContext } from './labels';
import { nodeUi } from './nodes/index';
import { useKindText } from './nodes/types';
import type { EditorStore } from './store';

/** Issues under `prefix` (a JSON pointer), keyed by the rest of their path. */
export function issuesUnder(issues: readonly Issue[], prefix: string): Map<string, Issue[]> {
  const out = new Map<string, Issue[]>();
  for (const issue of issues) {
    if (issue.path === undefined) continue;
    let rel: string;
    if (issue.path === prefix) rel = '';
    else if (prefix === '' || issue.path.startsWith(`${prefix}/`))
      rel = issue.path.slice(prefix.length + 1);
    else continue;
    out.set(rel, [...(out.get(rel) ?? []), issue]);
  }
  return out;
}

function KindHeader({ kind }: { kind: string }) {
  const { t } = useTranslation();
  if (!isNodeKind(kind)) {
    return (
      <header className="panel__head">
        <h2>{t('editor.unknownKind.title')}</h2>
        <p className="muted">{t('editor.unknownKind.summary', { kind })}</p>
      </header>
    );
  }
  return <KnownKindHeader kind={kind} />;
}

function KnownKindHeader({ kind }: { kind: Parameters<typeof useKindText>[0] }) {
  const { title, help } = useKindText(kind);
  return (
    <header className="panel__head">
      <h2>
        <span aria-hidden="true">{nodeUi[kind].icon}</span> {title}
      </h2>
      <p className="muted">{help}</p>
    </header>
  );
}

export function NodePanel({ store, issues }: { store: EditorStore; issues: readonly Issue[] }) {
  const { t } = useTranslation();
  const { lang, readOnly } = useEditorContext();
  const doc = useStore(store, (s) => s.doc);
  const selected = useStore(store, (s) => s.selectedNodes);
  const id = selected.size === 1 ? [...selected][0]! : null;
  const index = id ? doc.nodes.findIndex((n) => n.id === id) : -1;
  const node = index >= 0 ? doc.nodes[index]! : null;
  const prefix = `/nodes/${index}/config`;
  const byPath = useMemo(() => issuesUnder(issues, prefix), [issues, prefix]);

  if (!node) {
    return (
      <div className="panel panel--empty">
        <p>
          {selected.size > 1
            ? t('editor.panel.many', { n: selected.size })
            : t('editor.panel.none')}
        </p>
      </div>
    );
  }
  const ui = isNodeKind(node.kind) ? nodeUi[node.kind] : null;
  const dispatch = store.getState().dispatch;
  const configRoot = byPath.get('') ?? [];
  const others = issues.filter(
    (i) => i.nodeId === node.id && !(i.path === prefix || i.path?.startsWith(`${prefix}/`)),
  );
  return (
    <div className="panel" data-node-id={node.id} data-kind={node.kind}>
      <KindHeader kind={node.kind} />
      <TextField
        label={t('editor.panel.label')}
        path="__label"
        value={node.label}
        placeholder={t('editor.panel.labelPlaceholder')}
        onChange={(label) =>
          dispatch(
            { type: 'update_label', nodeId: node.id, label },
            { coalesce: `label:${node.id}` },
          )
        }
      />
      <IssuesAtContext.Provider value={byPath}>
        <LabelScopeContext.Provider value={node.kind}>
          <FieldIssues issues={configRoot} />
          {ui?.Panel ? (
            <ui.Panel
              key={node.id}
              config={node.config as object | undefined}
              onChange={(config: unknown) =>
                dispatch(
                  { type: 'update_config', nodeId: node.id, config },
                  { coalesce: `config:${node.id}` },
                )
              }
            />
          ) : (
            <p className="muted">{t('editor.panel.nothingToConfigure')}</p>
          )}
        </LabelScopeContext.Provider>
      </IssuesAtContext.Provider>
      {others.length ? (
        <section className="panel__issues" aria-label={t('editor.panel.stepIssues')}>
          <ul>
            {others.map((issue, i) => (
              <li key={i} className={`field__issue field__issue--${issue.severity}`}>
                {issue.message[lang]}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="panel__meta muted">
        {t('editor.panel.id')} <code>{node.id}</code>
      </p>
      {readOnly ? null : (
        <div className="panel__actions">
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => dispatch({ type: 'delete_node', nodeId: node.id })}
          >
            {t('editor.panel.delete')}
          </button>
        </div>
      )}
    </div>
  );
}
