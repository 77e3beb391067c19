import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { DurationField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { useDurationText } from '../use-duration-text';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { duration?: string };

function DelayNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const c = configOf<Config>(props.data);
  const text = duration(c.duration);
  const summary = text
    ? t('editor.summary.delay', { duration: text })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="wait.delay" icon="⏳" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <DurationField
      path="duration"
      value={config?.duration}
      onChange={(duration) => onChange({ ...config, duration })}
    />
  );
}

export const waitDelay = defineNodeUi({
  kind: 'wait.delay',
  icon: '⏳',
  defaultConfig: () => ({ duration: '1d' }),
  Node: DelayNode,
  Panel,
});
