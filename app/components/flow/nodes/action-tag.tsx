import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { TagListPicker } from '../resource-pickers';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Config = { add?: string[]; remove?: string[] };

function TagNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const parts = [
    c.add?.length ? t('editor.summary.tagAdd', { tags: list(c.add) }) : null,
    c.remove?.length ? t('editor.summary.tagRemove', { tags: list(c.remove) }) : null,
  ].filter(Boolean);
  return (
    <NodeShell
      {...props}
      kind="action.tag"
      icon="🏷️"
      summary={parts.join(' · ') || t('editor.summary.notConfigured')}
    />
  );
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <TagListPicker
        path="add"
        values={config?.add}
        onChange={(v) => onChange(withField(config, 'add', v))}
      />
      <TagListPicker
        path="remove"
        values={config?.remove}
        onChange={(v) => onChange(withField(config, 'remove', v))}
      />
    </>
  );
}

export const actionTag = defineNodeUi({
  kind: 'action.tag',
  icon: '🏷️',
  defaultConfig: () => ({ add: [], remove: [] }),
  Node: TagNode,
  Panel,
});
