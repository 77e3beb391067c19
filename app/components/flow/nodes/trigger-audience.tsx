import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { RuleCondition } from '~/lib/engine';
import { Field, useEditorContext, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { RuleBuilder } from '../rule-builder';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { at?: string; audience?: RuleCondition };

function AudienceNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.at
    ? t('editor.summary.audience', { at: c.at.replace('T', ' ') })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.audience" icon="📣" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  return (
    <>
      <Field path="at" hint={t('editor.fields.sendAtHint')}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="datetime-local"
            value={(config?.at ?? '').slice(0, 16)}
            aria-describedby={describedBy}
            aria-invalid={invalid}
            readOnly={readOnly}
            onChange={(e) => onChange(withField(config, 'at', e.target.value))}
          />
        )}
      </Field>
      <RuleBuilder
        path="audience"
        value={config?.audience}
        followerFactsOnly
        estimate
        onChange={(v) => onChange(withField(config, 'audience', v))}
      />
    </>
  );
}

export const triggerAudience = defineNodeUi({
  kind: 'trigger.audience',
  icon: '📣',
  defaultConfig: () => ({ at: '', audience: { all: [] } }),
  Node: AudienceNode,
  Panel,
});
