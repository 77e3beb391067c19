import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { PushChannel, PushMessage } from '~/lib/engine';
import { SelectField, withField } from '../fields';
import { MessageComposer } from '../message-composer';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { message?: Partial<PushMessage>; channel?: PushChannel };
const CHANNELS: readonly PushChannel[] = ['auto', 'customer_service', 'template'];

function PushNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const m = c.message as Record<string, unknown> | undefined;
  const preview = m?.type === 'text' ? String(m.text ?? '') : m?.type ? t(`editor.composer.types.${m.type as 'news'}`) : '';
  const summary = preview.trim()
    ? t('editor.summary.push', { channel: t(`editor.channels.${c.channel ?? 'auto'}`), text: preview.length > 40 ? `${preview.slice(0, 40)}…` : preview })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="action.push" icon="✉️" title={t('editor.kinds.action.push.title')} summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return (
    <>
      <SelectField
        label={t('editor.fields.channel')}
        path="channel"
        value={config?.channel ?? 'auto'}
        options={CHANNELS.map((c) => ({ value: c, label: t(`editor.channels.${c}`) }))}
        hint={t(`editor.channelHints.${config?.channel ?? 'auto'}`)}
        onChange={(v) => onChange(withField(config, 'channel', v))}
      />
      <MessageComposer message={config?.message} onChange={(message) => onChange(withField(config, 'message', message))} />
    </>
  );
}

export const actionPush = defineNodeUi({
  kind: 'action.push',
  icon: '✉️',
  defaultConfig: () => ({ channel: 'auto', message: { type: 'text', text: '' } }),
  Node: PushNode,
  Panel,
});
