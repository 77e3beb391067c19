import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { RuleCondition } from '~/lib/engine';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { RuleBuilder } from '../rule-builder';
import { configOf, defineNodeUi, type PanelProps } from './types';

type Config = { rules?: RuleCondition };

/** How many leaf conditions a tree has (for the summary line). */
function countLeaves(c: unknown): number {
  if (!c || typeof c !== 'object') return 0;
  if ('fact' in c) return 1;
  if ('not' in c) return countLeaves((c as { not: unknown }).not);
  const list = ('all' in c ? (c as { all: unknown }).all : (c as { any?: unknown }).any) ?? [];
  return Array.isArray(list) ? list.reduce((n: number, x) => n + countLeaves(x), 0) : 0;
}

function ConditionNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  const c = configOf<Config>(props.data);
  const n = countLeaves(c.rules);
  const summary = n
    ? t(c.rules && 'any' in c.rules ? 'editor.summary.rulesAny' : 'editor.summary.rulesAll', { n })
    : t('editor.summary.notConfigured');
  return <NodeShell {...props} kind="condition.rules" icon="🔀" summary={summary} />;
}

function Panel({ config, onChange }: PanelProps<Config>) {
  return (
    <RuleBuilder
      path="rules"
      value={config?.rules}
      estimate
      onChange={(rules) => onChange({ ...config, rules })}
    />
  );
}

export const conditionRules = defineNodeUi({
  kind: 'condition.rules',
  icon: '🔀',
  defaultConfig: () => ({ rules: { all: [] } }),
  Node: ConditionNode,
  Panel,
});
