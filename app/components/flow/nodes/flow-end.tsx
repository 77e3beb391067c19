import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { defineNodeUi } from './types';

function EndNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  return <NodeShell {...props} kind="flow.end" icon="🏁" title={t('editor.kinds.flow.end.title')} summary={t('editor.summary.end')} />;
}

export const flowEnd = defineNodeUi({ kind: 'flow.end', icon: '🏁', defaultConfig: () => undefined, Node: EndNode, Panel: null });
