import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { RuleCondition } from '~/lib/engine';
import { TextField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { RuleBuilder } from '../rule-builder';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { name?: string; where?: RuleCondition };

function EventNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.name
    ? t('editor.summary.customEvent', { name: c.name })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.event" icon="⚡" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <TextField
        path="name"
        value={config?.name}
        onChange={(v) => onChange(withField(config, 'name', v))}
      />
      <RuleBuilder
        path="where"
        value={config?.where}
        onChange={(v) =>
          onChange(withField(config, 'where', 'all' in v && v.all.length === 0 ? undefined : v))
        }
      />
    </>
  );
}

export const triggerEvent = defineNodeUi({
  kind: 'trigger.event',
  icon: '⚡',
  defaultConfig: () => ({ name: '' }),
  Node: EventNode,
  Panel,
});
