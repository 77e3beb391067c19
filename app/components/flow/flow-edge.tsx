/** A connection: a bezier path, plus an issue badge when validation has something to say. */
import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  type Edge,
  type EdgeProps,
} from '@xyflow/react';
import { memo } from 'react';
import { NodeBadgeView, type NodeBadge } from './node-shell';
import { useEdgeSimTaken } from './sim-highlight';

export type FlowEdgeData = { badge: NodeBadge | null; dropTarget: boolean };
export type FlowRfEdge = Edge<FlowEdgeData>;

function FlowEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
  markerEnd,
}: EdgeProps<FlowRfEdge>) {
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const taken = useEdgeSimTaken(id);
  const severity = data?.badge ? (data.badge.errors ? 'error' : 'warning') : null;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`flow-edge${selected ? ' flow-edge--selected' : ''}${data?.dropTarget ? ' flow-edge--drop' : ''}${severity ? ` flow-edge--${severity}` : ''}${taken ? ' flow-edge--sim' : ''}`}
        interactionWidth={24}
      />
      {data?.badge ? (
        <EdgeLabelRenderer>
          <div
            className="flow-edge__badge"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            data-edge-id={id}
          >
            <NodeBadgeView badge={data.badge} />
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const FlowEdge = memo(FlowEdgeView);
export const edgeTypes = { flow: FlowEdge };
