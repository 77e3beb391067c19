import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';
import { defineNodeUi } from './types';

function UnfollowNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  return (
    <NodeShell
      {...props}
      kind="trigger.unfollow"
      icon="➖"
      summary={t('editor.summary.unfollow')}
    />
  );
}

export const triggerUnfollow = defineNodeUi({
  kind: 'trigger.unfollow',
  icon: '➖',
  defaultConfig: () => undefined,
  Node: UnfollowNode,
  Panel: null,
});
