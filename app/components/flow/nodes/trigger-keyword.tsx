import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { KeywordFields, type KeywordValue } from '../keyword-fields';
import { useOptionText } from '../labels';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Config = KeywordValue;

function KeywordNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const option = useOptionText('trigger.keyword');
  const c = configOf<Config>(props.data);
  const summary = c.keywords?.length
    ? t('editor.summary.keywords', {
        keywords: list(c.keywords),
        match: option('match', c.match ?? 'exact'),
      })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.keyword" icon="💬" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return <KeywordFields base="" value={config} onChange={onChange} />;
}

export const triggerKeyword = defineNodeUi({
  kind: 'trigger.keyword',
  icon: '💬',
  defaultConfig: () => ({ keywords: [], match: 'exact' }),
  Node: KeywordNode,
  Panel,
});
