/**
 * The frame every node kind draws itself in: icon, title (its label, else the kind's name),
 * a one-line summary of its config, an issue badge, and labelled handles — one input on top
 * (triggers have none) and one output per port along the bottom, as a journey reads downwards.
 */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DraftNode, NodeKind } from '~/lib/engine';
import { isTrigger } from './kinds';
import { NodeStatsLine } from './node-stats';
import { useNodeSimMark } from './sim-highlight';
import { useKindTitle, usePortLabel } from './labels';

export interface NodeBadge {
  errors: number;
  warnings: number;
  /** The first issue's sentence, in the UI language (tooltip). */
  first: string | null;
}

export type FlowNodeData = {
  node: DraftNode;
  /** Output ports, in order (computed once per change of the node, not per render). */
  ports: readonly string[];
  badge: NodeBadge | null;
  /** Ports that already have a connection (one edge per port). */
  usedPorts: readonly string[];
};
export type FlowRfNode = Node<FlowNodeData>;

export function NodeBadgeView({ badge }: { badge: NodeBadge | null }) {
  const { t } = useTranslation();
  if (!badge || badge.errors + badge.warnings === 0) return null;
  const severity = badge.errors ? 'error' : 'warning';
  const label = badge.errors
    ? t('editor.issues.nodeErrors', { n: badge.errors })
    : t('editor.issues.nodeWarnings', { n: badge.warnings });
  return (
    <span
      className={`node-badge node-badge--${severity}`}
      title={badge.first ?? label}
      aria-label={label}
      data-severity={severity}
    >
      {badge.errors || badge.warnings}
    </span>
  );
}

interface ShellProps extends NodeProps<FlowRfNode> {
  kind: NodeKind | string;
  icon: string;
  /** Default: the kind's name. */
  title?: string;
  summary: ReactNode;
}

function Shell({ id, data, selected, kind, icon, title: explicitTitle, summary }: ShellProps) {
  const { t } = useTranslation();
  const portLabel = usePortLabel();
  const kindTitle = useKindTitle();
  const title = explicitTitle ?? kindTitle(kind);
  const ports = data.ports;
  const showPortNames = ports.length > 1 || (ports.length === 1 && ports[0] !== 'next');
  const label = data.node.label?.trim();
  const sim = useNodeSimMark(id);
  return (
    <div
      className={`flow-node flow-node--${kind.split('.')[0]}${selected ? ' flow-node--selected' : ''}${data.badge?.errors ? ' flow-node--invalid' : ''}${sim ? ` flow-node--sim-${sim}` : ''}`}
      data-kind={kind}
      data-node-id={id}
      data-sim={sim ?? undefined}
    >
      {isTrigger(kind) ? null : (
        <Handle
          type="target"
          position={Position.Top}
          id="in"
          className="flow-handle flow-handle--in"
          isConnectableStart={false}
          aria-label={t('editor.node.input')}
        />
      )}
      <div className="flow-node__head">
        <span className="flow-node__icon" aria-hidden="true">
          {icon}
        </span>
        <span className="flow-node__title">{label || title}</span>
        <NodeBadgeView badge={data.badge} />
      </div>
      {label ? <div className="flow-node__kind">{title}</div> : null}
      <div className="flow-node__summary">{summary}</div>
      <NodeStatsLine nodeId={id} kind={kind} />
      {ports.length ? (
        <ul className={`flow-node__ports${showPortNames ? '' : ' flow-node__ports--single'}`}>
          {ports.map((port) => (
            <li key={port} className="flow-node__port">
              {showPortNames ? (
                <span className="flow-node__port-name">{portLabel(port)}</span>
              ) : null}
              <Handle
                type="source"
                position={Position.Bottom}
                id={port}
                className={`flow-handle flow-handle--out${data.usedPorts.includes(port) ? ' flow-handle--used' : ''}`}
                isConnectableEnd={false}
                aria-label={t('editor.node.output', { port: portLabel(port) })}
              />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export const NodeShell = memo(Shell);
