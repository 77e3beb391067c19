import type { NodeProps } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { NodeShell, type FlowRfNode } from '../node-shell';

/** A node whose kind is not in the catalog: drawn so it can be seen, fixed or deleted. */
export function UnknownNode(props: NodeProps<FlowRfNode>) {
  const { t } = useTranslation();
  return (
    <NodeShell
      {...props}
      kind={props.data.node.kind}
      icon="❓"
      title={t('editor.unknownKind.title')}
      summary={t('editor.unknownKind.summary', { kind: props.data.node.kind })}
    />
  );
}
