import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { defineNodeUi } from './types';

function EndNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  return <NodeShell {...props} kind="flow.end" icon="🏁" summary={t('editor.summary.end')} />;
}

export const flowEnd = defineNodeUi({
  kind: 'flow.end',
  icon: '🏁',
  defaultConfig: () => undefined,
  Node: EndNode,
  Panel: null,
});
