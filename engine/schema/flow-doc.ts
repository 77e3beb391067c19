/**
 * The fully typed document: every node a discriminated union member on `kind`, with the
 * config schema of its kind. `validate` reports problems node by node; once it passes, this
 * schema parses the document and applies the config defaults.
 */
import { z } from 'zod';
import { NODE_KINDS, nodeSpecs, type NodeConfig, type NodeKind } from '../nodes/index';
import { flowDocFields, NodeId, Position } from './document';
import { storableCheck } from './storable';

export type FlowNodeOf<K extends NodeKind> = {
  id: string;
  kind: K;
  label?: string;
  position?: Position;
  config: NodeConfig<K>;
};
export type FlowNode = { [K in NodeKind]: FlowNodeOf<K> }[NodeKind];

function nodeSchema(kind: NodeKind) {
  return z.strictObject({
    id: NodeId,
    kind: z.literal(kind),
    label: z.string().optional(),
    position: Position.optional(),
    // Kinds without settings (flow.end, trigger.unfollow) may omit `config`.
    config: z.preprocess((v) => (v === undefined ? {} : v), nodeSpecs[kind].config as z.ZodType),
  });
}

const nodeSchemas = NODE_KINDS.map(nodeSchema) as unknown as [
  ReturnType<typeof nodeSchema>,
  ...ReturnType<typeof nodeSchema>[],
];

// The union is assembled from the registry, so its static type is declared rather than inferred.
export const FlowNode = z.discriminatedUnion('kind', nodeSchemas) as unknown as z.ZodType<FlowNode>;

export const FlowDoc = z
  .strictObject({ ...flowDocFields, nodes: z.array(FlowNode) })
  .check(storableCheck());
export type FlowDoc = Omit<z.infer<typeof FlowDoc>, 'nodes'> & { nodes: FlowNode[] };
