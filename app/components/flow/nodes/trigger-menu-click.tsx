import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { ListField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Config = { keys?: string[] };

function MenuClickNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.keys?.length
    ? t('editor.summary.menuKeys', { keys: list(c.keys) })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.menu_click" icon="📋" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <ListField
      path="keys"
      values={config?.keys}
      onChange={(v) => onChange(withField(config, 'keys', v))}
    />
  );
}

export const triggerMenuClick = defineNodeUi({
  kind: 'trigger.menu_click',
  icon: '📋',
  defaultConfig: () => ({ keys: [] }),
  Node: MenuClickNode,
  Panel,
});
