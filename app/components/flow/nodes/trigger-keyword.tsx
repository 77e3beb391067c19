import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { ListField, SelectField, withField } from '../fields';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { configOf, defineNodeUi, list, type PanelProps } from './types';

type Match = 'exact' | 'contains' | 'regex';
type Config = { keywords?: string[]; match?: Match };
const MATCHES: readonly Match[] = ['exact', 'contains', 'regex'];

function KeywordNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const summary = c.keywords?.length
    ? t('editor.summary.keywords', { keywords: list(c.keywords), match: t(`editor.match.${c.match ?? 'exact'}`) })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="trigger.keyword" icon="💬" title={t('editor.kinds.trigger.keyword.title')} summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  const { t } = useTranslation();
  return (
    <>
      <ListField label={t('editor.fields.keywords')} path="keywords" values={config?.keywords} onChange={(v) => onChange(withField(config, 'keywords', v))} />
      <SelectField
        label={t('editor.fields.match')}
        path="match"
        value={config?.match ?? 'exact'}
        options={MATCHES.map((m) => ({ value: m, label: t(`editor.match.${m}`) }))}
        onChange={(v) => onChange(withField(config, 'match', v))}
      />
    </>
  );
}

export const triggerKeyword = defineNodeUi({
  kind: 'trigger.keyword',
  icon: '💬',
  defaultConfig: () => ({ keywords: [], match: 'exact' }),
  Node: KeywordNode,
  Panel,
});
