import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NumberField, TextField, TimeField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { category?: string; cycleDays?: number; daysBefore?: number; at?: string };

function RepurchaseNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = t('editor.summary.repurchase', {
    category: c.category || t('editor.summary.anyCategory'),
    days: c.daysBefore ?? 0,
    at: c.at ?? '?',
  });
  return <NodeShell {...props} kind="trigger.repurchase_due" icon="🔁" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        path="category"
        value={config?.category}
        onChange={(v) => onChange(withField(config, 'category', v || undefined))}
      />
      <NumberField
        path="cycleDays"
        value={config?.cycleDays}
        min={1}
        hint={t('editor.fields.cycleDaysHint')}
        onChange={(v) => onChange(withField(config, 'cycleDays', v))}
      />
      <NumberField
        path="daysBefore"
        value={config?.daysBefore}
        min={0}
        onChange={(v) => onChange(withField(config, 'daysBefore', v))}
      />
      <TimeField
        path="at"
        value={config?.at}
        onChange={(v) => onChange(withField(config, 'at', v))}
      />
    </>
  );
}

export const triggerRepurchaseDue = defineNodeUi({
  kind: 'trigger.repurchase_due',
  icon: '🔁',
  defaultConfig: () => ({ daysBefore: 3, at: '20:00' }),
  Node: RepurchaseNode,
  Panel,
});
