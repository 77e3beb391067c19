import type { NodeProps } from '@xyflow/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field, TextField, useEditorContext, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { url?: string; body?: Record<string, unknown> };

function WebhookNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.url
    ? t('editor.summary.webhook', { url: c.url })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="action.webhook" icon="🔗" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  const { readOnly } = useEditorContext();
  const [text, setText] = useState(() =>
    config?.body ? JSON.stringify(config.body, null, 2) : '',
  );
  const [bad, setBad] = useState(false);
  return (
    <>
      <TextField
        path="url"
        value={config?.url}
        placeholder="https://"
        onChange={(v) => onChange(withField(config, 'url', v))}
      />
      <Field
        path="body"
        hint={
          bad
            ? t('editor.fields.bodyInvalid')
            : t('editor.fields.bodyHint', { example: '{{follower.openid}}' })
        }
      >
        {({ id, describedBy }) => (
          <textarea
            id={id}
            rows={5}
            className="mono"
            value={text}
            readOnly={readOnly}
            aria-describedby={describedBy}
            aria-invalid={bad}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value.trim() === '') {
                setBad(false);
                onChange(withField(config, 'body', undefined));
                return;
              }
              try {
                const parsed: unknown = JSON.parse(e.target.value);
                setBad(false);
                onChange(withField(config, 'body', parsed));
              } catch {
                setBad(true);
              }
            }}
          />
        )}
      </Field>
    </>
  );
}

export const actionWebhook = defineNodeUi({
  kind: 'action.webhook',
  icon: '🔗',
  defaultConfig: () => ({ url: '' }),
  Node: WebhookNode,
  Panel,
});
