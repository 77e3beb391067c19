import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { MenuPicker } from '../resource-pickers';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { menu?: string };

function MenuSwapNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.menu
    ? t('editor.summary.menu', { menu: c.menu })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="action.menu_swap" icon="📱" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <MenuPicker
      path="menu"
      value={config?.menu}
      onChange={(menu) => onChange({ ...config, menu })}
    />
  );
}

export const actionMenuSwap = defineNodeUi({
  kind: 'action.menu_swap',
  icon: '📱',
  defaultConfig: () => ({ menu: '' }),
  Node: MenuSwapNode,
  Panel,
});
