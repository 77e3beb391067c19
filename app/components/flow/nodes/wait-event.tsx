import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { EventMatcher } from '~/lib/engine';
import { EventMatcherField } from '../event-matcher-field';
import { DurationField, withField } from '../fields';
import { useOptionText } from '../labels';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { useDurationText } from '../use-duration-text';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { event?: EventMatcher; timeout?: string };

function WaitEventNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const duration = useDurationText();
  const option = useOptionText('wait.event');
  const c = configOf<Config>(props.data);
  const timeout = duration(c.timeout);
  const event = c.event?.type ? option('event/type', c.event.type) : null;
  // An incomplete time limit is not shown as if it were one ("at most h").
  const summary = !event
    ? t('editor.summary.notConfigured')
    : timeout
      ? t('editor.summary.waitEvent', { event, timeout })
      : t('editor.summary.waitEventNoTimeout', { event });
  return <NodeShell {...props} kind="wait.event" icon="⏱️" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <>
      <EventMatcherField
        path="event"
        value={config?.event}
        onChange={(v) => onChange(withField(config, 'event', v))}
      />
      <DurationField
        path="timeout"
        value={config?.timeout}
        onChange={(v) => onChange(withField(config, 'timeout', v))}
      />
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
