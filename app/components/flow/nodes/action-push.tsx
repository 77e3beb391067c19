import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { PushChannel, PushMessage } from '~/lib/engine';
import { CheckboxField, SelectField, withField } from '../fields';
import { useOptionText } from '../labels';
import { MessageComposer, TemplateBody } from '../message-composer';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = {
  message?: Partial<PushMessage>;
  channel?: PushChannel;
  fallback?: Record<string, unknown>;
};

const blankFallback = () => ({ type: 'template', templateId: '', data: {} });

function PushNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const option = useOptionText('action.push');
  const c = configOf<Config>(props.data);
  const m = c.message as Record<string, unknown> | undefined;
  const preview =
    m?.type === 'text'
      ? String(m.text ?? '')
      : m?.type
        ? option('message/type', String(m.type))
        : '';
  const summary = preview.trim()
    ? t('editor.summary.push', {
        channel: option('channel', c.channel ?? 'auto'),
        text: preview.length > 40 ? `${preview.slice(0, 40)}…` : preview,
      })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="action.push" icon="✉️" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const channel = config?.channel ?? 'auto';
  // A template fallback serves only an automatic push of customer-service content.
  const canFallBack = channel === 'auto' && config?.message?.type !== 'template';
  return (
    <>
      <SelectField
        path="channel"
        value={channel}
        hint={t(`editor.channelHints.${channel}`)}
        onChange={(v) =>
          onChange(
            withField(
              withField(config, 'channel', v),
              'fallback',
              v === 'auto' ? config?.fallback : undefined,
            ),
          )
        }
      />
      <MessageComposer
        message={config?.message}
        onChange={(message) =>
          onChange(
            withField(
              withField(config, 'message', message),
              'fallback',
              message.type === 'template' ? undefined : config?.fallback,
            ),
          )
        }
      />
      {canFallBack ? (
        <fieldset className="subform">
          <CheckboxField
            path="fallback"
            checked={config?.fallback !== undefined}
            onChange={(on) =>
              onChange(withField(config, 'fallback', on ? blankFallback() : undefined))
            }
          />
          <p className="field__hint">{t('editor.fallbackHint')}</p>
          {config?.fallback ? (
            <TemplateBody
              base="fallback"
              message={config.fallback}
              onChange={(fallback) => onChange(withField(config, 'fallback', fallback))}
            />
          ) : null}
        </fieldset>
      ) : null}
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
