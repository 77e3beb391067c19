/**
 * Auto-layout with elkjs (layered, left to right, ports in their declared order so "yes"
 * stays above "no"). Returns new positions; the caller applies them as move operations.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { FlowDraft } from '~/lib/engine';
import { isTrigger, portsOf } from './kinds';

export type Size = { width: number; height: number };
const DEFAULT_SIZE: Size = { width: 220, height: 80 };

export async function layoutPositions(doc: FlowDraft, sizeOf: (id: string) => Size | undefined): Promise<Map<string, { x: number; y: number }>> {
  // Loaded on first use: the layout engine is large and most visits never need it.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '40',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: doc.nodes.map((n) => {
      const size = sizeOf(n.id) ?? DEFAULT_SIZE;
      const out = portsOf(n);
      return {
        id: n.id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_ORDER' },
        ports: [
          ...(isTrigger(n.kind) ? [] : [{ id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'WEST' } }]),
          ...out.map((p, i) => ({ id: `${n.id}::${p}`, layoutOptions: { 'elk.port.side': 'EAST', 'elk.port.index': String(i) } })),
        ],
      };
    }),
    edges: doc.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .filter((e) => portsOf(doc.nodes.find((n) => n.id === e.from)!).includes(e.port) && !isTrigger(doc.nodes.find((n) => n.id === e.to)!.kind))
      .map((e) => ({ id: e.id, sources: [`${e.from}::${e.port}`], targets: [`${e.to}::in`] })),
  };
  const result = await elk.layout(graph);
  return new Map((result.children ?? []).map((c) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]));
}
