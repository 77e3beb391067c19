import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { Field, FieldIssues, useEditorContext, useIssuesAt } from '../fields';
import { useFieldLabel } from '../labels';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Branch = { port?: string; percent?: number };
type Config = { branches?: Branch[] };

function SplitNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary =
    (c.branches ?? []).map((b) => `${b.port ?? '?'} ${b.percent ?? 0}%`).join(' / ') ||
    t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="split.random" icon="🎲" summary={summary} />;
}

const nextName = (branches: Branch[]) => {
  for (let i = 0; i < 26; i++) {
    const name = String.fromCharCode(65 + i);
    if (!branches.some((b) => b.port === name)) return name;
  }
  return `b${branches.length + 1}`;
};

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const branches = config?.branches ?? [];
  const total = branches.reduce((s, b) => s + (b.percent ?? 0), 0);
  const set = (i: number, patch: Branch) =>
    onChange({ ...config, branches: branches.map((b, j) => (j === i ? { ...b, ...patch } : b)) });
  const groupIssues = useIssuesAt('branches').filter((i) => i.path?.endsWith('/branches'));
  const label = useFieldLabel('branches');
  return (
    <div className="field">
      <span className="field__label">{label}</span>
      {branches.map((b, i) => (
        <div key={i} className="branch-row">
          <Field path={`branches/${i}/port`}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="text"
                value={b.port ?? ''}
                readOnly={readOnly}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) => set(i, { port: e.target.value })}
              />
            )}
          </Field>
          <Field path={`branches/${i}/percent`}>
            {({ id, describedBy, invalid }) => (
              <input
                id={id}
                type="number"
                min={0}
                max={100}
                value={b.percent ?? ''}
                readOnly={readOnly}
                aria-describedby={describedBy}
                aria-invalid={invalid}
                onChange={(e) =>
                  set(i, { percent: e.target.value === '' ? 0 : Number(e.target.value) })
                }
              />
            )}
          </Field>
          {readOnly || branches.length <= 2 ? null : (
            <button
              type="button"
              className="button button--secondary button--small"
              aria-label={t('editor.fields.removeBranch', { name: b.port ?? '' })}
              onClick={() => onChange({ ...config, branches: branches.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          )}
        </div>
      ))}
      <p className="field__hint">{t('editor.fields.percentTotal', { total })}</p>
      <FieldIssues issues={groupIssues} />
      {readOnly || branches.length >= 10 ? null : (
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() =>
            onChange({
              ...config,
              branches: [...branches, { port: nextName(branches), percent: 0 }],
            })
          }
        >
          {t('editor.fields.addBranch')}
        </button>
      )}
    </div>
  );
}

export const splitRandom = defineNodeUi({
  kind: 'split.random',
  icon: '🎲',
  defaultConfig: () => ({
    branches: [
      { port: 'A', percent: 50 },
      { port: 'B', percent: 50 },
    ],
  }),
  Node: SplitNode,
  Panel,
});
