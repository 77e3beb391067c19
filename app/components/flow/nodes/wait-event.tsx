import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { EventMatcher } from '~/lib/engine';
import { EventMatcherField } from '../event-matcher-field';
import { DurationField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { useDurationText } from '../use-duration-text';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { event?: EventMatcher; timeout?: string };

function WaitEventNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const c = configOf<Config>(props.data);
  const summary = c.event?.type
    ? t('editor.summary.waitEvent', { event: t(`editor.event.types.${c.event.type}`), timeout: c.timeout ? duration(c.timeout) : '?' })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="wait.event" icon="⏱️" title={t('editor.kinds.wait.event.title')} summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return (
    <>
      <EventMatcherField label={t('editor.fields.waitFor')} path="event" value={config?.event} onChange={(v) => onChange(withField(config, 'event', v))} />
      <DurationField label={t('editor.fields.timeout')} path="timeout" value={config?.timeout} onChange={(v) => onChange(withField(config, 'timeout', v))} />
    </>
  );
}

export const waitEvent = defineNodeUi({
  kind: 'wait.event',
  icon: '⏱️',
  defaultConfig: () => ({ event: { type: 'purchase' }, timeout: '3d' }),
  Node: WaitEventNode,
  Panel,
});
