import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NumberField, TimeField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { daysBefore?: number; at?: string };

function BirthdayNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = t('editor.summary.birthday', { days: c.daysBefore ?? 0, at: c.at ?? '?' });
  return <NodeShell {...props} kind="trigger.birthday" icon="🎂" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <NumberField
        path="daysBefore"
        value={config?.daysBefore}
        min={0}
        max={30}
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

export const triggerBirthday = defineNodeUi({
  kind: 'trigger.birthday',
  icon: '🎂',
  defaultConfig: () => ({ daysBefore: 0, at: '10:00' }),
  Node: BirthdayNode,
  Panel,
});
