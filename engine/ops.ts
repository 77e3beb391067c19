/**
 * Edits as pure operations `(doc, op) → doc`, shared by the editor (undo/redo, live
 * validation) and the server (which re-parses the op and replays it). Ops work on the draft
 * shape: a half-configured node is still a node. Ids come from an injectable generator.
 */
import { z } from 'zod';
import { isNodeKind, specOf } from './nodes/index';
import { DraftNode, Edge, Position, Settings, type FlowDraft } from './schema/document';

export const FlowOp = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('add_node'), node: DraftNode }),
  z.strictObject({ type: z.literal('move_node'), nodeId: z.string(), position: Position }),
  z.strictObject({ type: z.literal('delete_node'), nodeId: z.string() }),
  z.strictObject({
    type: z.literal('connect'),
    edge: Edge.extend({ id: z.string().min(1).optional() }),
  }),
  z.strictObject({ type: z.literal('disconnect'), edgeId: z.string() }),
  z.strictObject({
    type: z.literal('insert_on_edge'),
    edgeId: z.string(),
    node: DraftNode,
    /** The new node's exit that continues to the old target (default: its first port). */
    port: z.string().optional(),
  }),
  z.strictObject({
    type: z.literal('paste'),
    nodes: z.array(DraftNode),
    edges: z.array(Edge),
    offset: Position.optional(),
  }),
  z.strictObject({ type: z.literal('update_config'), nodeId: z.string(), config: z.unknown() }),
  z.strictObject({ type: z.literal('update_label'), nodeId: z.string(), label: z.string() }),
  z.strictObject({ type: z.literal('update_settings'), settings: Settings.partial() }),
]);
export type FlowOp = z.input<typeof FlowOp>;

export type OpErrorCode = 'E_OP_UNKNOWN_NODE' | 'E_OP_UNKNOWN_EDGE' | 'E_OP_DUPLICATE_ID';
export class FlowOpError extends Error {
  constructor(
    readonly code: OpErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlowOpError';
  }
}

export interface OpOptions {
  /** Fresh ids (paste, insert, connect without id). Default: the first free `n<k>` / `e<k>`. */
  newId?: (kind: 'node' | 'edge', taken: ReadonlySet<string>) => string;
}

function defaultNewId(kind: 'node' | 'edge', taken: ReadonlySet<string>): string {
  const prefix = kind === 'node' ? 'n' : 'e';
  let k = taken.size + 1;
  while (taken.has(`${prefix}${k}`)) k++;
  return `${prefix}${k}`;
}

/** The port a node continues from by default: its first one, when its kind says. */
function firstPort(node: DraftNode): string | null {
  if (!isNodeKind(node.kind)) return 'next';
  const spec = specOf(node.kind);
  const parsed = spec.config.safeParse(node.config ?? {});
  const ports = parsed.success
    ? spec.ports(parsed.data)
    : node.kind === 'split.random'
      ? []
      : spec.ports(undefined);
  return ports[0] ?? null;
}

export function applyOp(doc: FlowDraft, op: FlowOp, options: OpOptions = {}): FlowDraft {
  const newId = options.newId ?? defaultNewId;
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const needNode = (id: string) => {
    if (!nodeIds.has(id))
      throw new FlowOpError('E_OP_UNKNOWN_NODE', `no node "${id}" in this flow`);
  };
  const mapNode = (id: string, f: (n: DraftNode) => DraftNode): FlowDraft => {
    needNode(id);
    return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? f(n) : n)) };
  };

  switch (op.type) {
    case 'add_node': {
      if (nodeIds.has(op.node.id))
        throw new FlowOpError('E_OP_DUPLICATE_ID', `a node "${op.node.id}" already exists`);
      return { ...doc, nodes: [...doc.nodes, op.node] };
    }
    case 'move_node':
      return mapNode(op.nodeId, (n) => ({ ...n, position: op.position }));
    case 'update_config':
      return mapNode(op.nodeId, (n) => ({ ...n, config: op.config }));
    case 'update_label':
      return mapNode(op.nodeId, (n) => ({ ...n, label: op.label }));
    case 'delete_node':
      needNode(op.nodeId);
      return {
        ...doc,
        nodes: doc.nodes.filter((n) => n.id !== op.nodeId),
        edges: doc.edges.filter((e) => e.from !== op.nodeId && e.to !== op.nodeId),
      };
    case 'connect': {
      const port = op.edge.port ?? 'next';
      needNode(op.edge.from);
      needNode(op.edge.to);
      const id = op.edge.id ?? newId('edge', new Set([...nodeIds, ...edgeIds]));
      if (edgeIds.has(id))
        throw new FlowOpError('E_OP_DUPLICATE_ID', `a connection "${id}" already exists`);
      // One edge per output port: connecting an exit replaces what it led to.
      const kept = doc.edges.filter((e) => !(e.from === op.edge.from && e.port === port));
      return { ...doc, edges: [...kept, { id, from: op.edge.from, port, to: op.edge.to }] };
    }
    case 'disconnect':
      if (!edgeIds.has(op.edgeId))
        throw new FlowOpError('E_OP_UNKNOWN_EDGE', `no connection "${op.edgeId}" in this flow`);
      return { ...doc, edges: doc.edges.filter((e) => e.id !== op.edgeId) };
    case 'insert_on_edge': {
      const edge = doc.edges.find((e) => e.id === op.edgeId);
      if (!edge)
        throw new FlowOpError('E_OP_UNKNOWN_EDGE', `no connection "${op.edgeId}" in this flow`);
      if (nodeIds.has(op.node.id))
        throw new FlowOpError('E_OP_DUPLICATE_ID', `a node "${op.node.id}" already exists`);
      const port = op.port ?? firstPort(op.node);
      const edges = doc.edges.map((e) => (e.id === edge.id ? { ...e, to: op.node.id } : e));
      if (port !== null) {
        edges.push({
          id: newId('edge', new Set([...nodeIds, ...edgeIds, op.node.id])),
          from: op.node.id,
          port,
          to: edge.to,
        });
      }
      return { ...doc, nodes: [...doc.nodes, op.node], edges };
    }
    case 'paste':
      return paste(
        doc,
        op.nodes,
        op.edges.map((e) => Edge.parse(e)),
        op.offset ?? { x: 40, y: 40 },
        newId,
        nodeIds,
        edgeIds,
      );
    case 'update_settings': {
      const settings: Record<string, unknown> = { ...(doc.settings ?? {}) };
      for (const [k, v] of Object.entries(op.settings)) {
        if (v === undefined) delete settings[k];
        else settings[k] = v;
      }
      return { ...doc, settings };
    }
  }
}

/** Pastes a copied subgraph with fresh ids; connections to nodes outside the copy are dropped. */
function paste(
  doc: FlowDraft,
  nodes: DraftNode[],
  edges: Edge[],
  offset: { x: number; y: number },
  newId: NonNullable<OpOptions['newId']>,
  nodeIds: Set<string>,
  edgeIds: Set<string>,
): FlowDraft {
  const taken = new Set([...nodeIds, ...edgeIds]);
  const ids = new Map<string, string>();
  const pasted = nodes.map((n) => {
    const id = newId('node', taken);
    taken.add(id);
    ids.set(n.id, id);
    const position = n.position
      ? { x: n.position.x + offset.x, y: n.position.y + offset.y }
      : undefined;
    return { ...n, id, ...(position ? { position } : {}) };
  });
  const links = edges
    .filter((e) => ids.has(e.from) && ids.has(e.to))
    .map((e) => {
      const id = newId('edge', taken);
      taken.add(id);
      return { id, from: ids.get(e.from)!, port: e.port, to: ids.get(e.to)! };
    });
  return { ...doc, nodes: [...doc.nodes, ...pasted], edges: [...doc.edges, ...links] };
}

/** Applies several ops in order (an undo step in the editor). */
export function applyOps(doc: FlowDraft, ops: readonly FlowOp[], options?: OpOptions): FlowDraft {
  return ops.reduce((d, op) => applyOp(d, op, options), doc);
}
