/**
 * Auto-layout with elkjs: layered, top to bottom (a journey reads downwards, like the page),
 * each step's exits along its bottom edge in their declared order so "yes" stays left of
 * "no". Returns new positions; the caller applies them as move operations.
 */
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { FlowDraft } from '~/lib/engine';
import { isTrigger, portsOf } from './kinds';

export type Size = { width: number; height: number };
const DEFAULT_SIZE: Size = { width: 220, height: 80 };

export async function layoutPositions(
  doc: FlowDraft,
  sizeOf: (id: string) => Size | undefined,
): Promise<Map<string, { x: number; y: number }>> {
  // Loaded on first use: the layout engine is large and most visits never need it.
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const elk = new ELK();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.spacing.nodeNode': '48',
      'elk.layered.spacing.nodeNodeBetweenLayers': '64',
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
          ...(isTrigger(n.kind)
            ? []
            : [{ id: `${n.id}::in`, layoutOptions: { 'elk.port.side': 'NORTH' } }]),
          // Port indexes run clockwise, so right to left along the bottom: the first port
          // gets the highest index to sit leftmost.
          ...out.map((p, i) => ({
            id: `${n.id}::${p}`,
            layoutOptions: {
              'elk.port.side': 'SOUTH',
              'elk.port.index': String(out.length - 1 - i),
            },
          })),
        ],
      };
    }),
    edges: doc.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to)
      .filter(
        (e) =>
          portsOf(doc.nodes.find((n) => n.id === e.from)!).includes(e.port) &&
          !isTrigger(doc.nodes.find((n) => n.id === e.to)!.kind),
      )
      .map((e) => ({ id: e.id, sources: [`${e.from}::${e.port}`], targets: [`${e.to}::in`] })),
  };
  const result = await elk.layout(graph);
  return new Map(
    (result.children ?? []).map((c) => [
      c.id,
      { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) },
    ]),
  );
}

/** The smallest zoom a fitted view may use: below it step titles are no longer readable. */
export const READABLE_ZOOM = 0.75;

export type Bounds = { x: number; y: number; width: number; height: number };

/** The box around laid-out steps (null when there are none). */
export function boundsOf(
  positions: ReadonlyMap<string, { x: number; y: number }>,
  sizeOf: (id: string) => Size | undefined,
): Bounds | null {
  if (positions.size === 0) return null;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [id, p] of positions) {
    const size = sizeOf(id) ?? DEFAULT_SIZE;
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + size.width);
    y1 = Math.max(y1, p.y + size.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
export type Viewport = { x: number; y: number; zoom: number };

/**
 * The view after a layout: the whole flow when it fits at a readable zoom (at most 1),
 * otherwise the readable zoom with the flow's top — where journeys start — in view and
 * centred across, the rest a scroll away.
 */
export function readableViewport(
  bounds: Bounds,
  pane: { width: number; height: number },
  padding = 40,
): Viewport {
  const fit = Math.min(
    (pane.width - 2 * padding) / bounds.width,
    (pane.height - 2 * padding) / bounds.height,
  );
  const zoom = Math.min(1, Math.max(READABLE_ZOOM, fit));
  const width = bounds.width * zoom;
  const height = bounds.height * zoom;
  const x =
    width <= pane.width - 2 * padding
      ? (pane.width - width) / 2 - bounds.x * zoom
      : padding - bounds.x * zoom;
  const y =
    height <= pane.height - 2 * padding
      ? (pane.height - height) / 2 - bounds.y * zoom
      : padding - bounds.y * zoom;
  return { x, y, zoom };
}
