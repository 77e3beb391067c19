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
  const summary = c.duration ? t('editor.summary.delay', { duration: duration(c.duration) }) : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="wait.delay" icon="⏳" title={t('editor.kinds.wait.delay.title')} summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return <DurationField label={t('editor.fields.duration')} path="duration" value={config?.duration} onChange={(duration) => onChange({ ...config, duration })} />;
}

export const waitDelay = defineNodeUi({ kind: 'wait.delay', icon: '⏳', defaultConfig: () => ({ duration: '1d' }), Node: DelayNode, Panel });
