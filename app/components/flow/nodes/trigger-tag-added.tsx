import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { TagPicker } from '../resource-pickers';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { tag?: string };

function TagAddedNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.tag
    ? t('editor.summary.tagAdded', { tag: c.tag })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.tag_added" icon="🔖" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <TagPicker
      path="tag"
      value={config?.tag}
      onChange={(v) => onChange(withField(config, 'tag', v))}
    />
  );
}

export const triggerTagAdded = defineNodeUi({
  kind: 'trigger.tag_added',
  icon: '🔖',
  defaultConfig: () => ({ tag: '' }),
  Node: TagAddedNode,
  Panel,
});
