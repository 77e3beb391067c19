import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NumberField, TextField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { category?: string; minAmount?: number };

function PurchaseNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = [
    c.category
      ? t('editor.summary.category', { category: c.category })
      : t('editor.summary.anyPurchase'),
    c.minAmount !== undefined ? t('editor.summary.minAmount', { amount: c.minAmount }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return <NodeShell {...props} kind="trigger.purchase" icon="🛒" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <TextField
        path="category"
        value={config?.category}
        onChange={(v) => onChange(withField(config, 'category', v || undefined))}
      />
      <NumberField
        path="minAmount"
        value={config?.minAmount}
        min={0}
        step={0.01}
        onChange={(v) => onChange(withField(config, 'minAmount', v))}
      />
    </>
  );
}

export const triggerPurchase = defineNodeUi({
  kind: 'trigger.purchase',
  icon: '🛒',
  defaultConfig: () => ({}),
  Node: PurchaseNode,
  Panel,
});
