/**
 * What the canvas needs to know about node kinds beyond the engine's catalog: the palette
 * groups, and the output ports of a node even while its config is half filled in.
 */
import { isNodeKind, NODE_KINDS, specOf, type DraftNode, type NodeKind } from '../../lib/engine';

export type PaletteGroup = 'trigger' | 'logic' | 'action';
export const PALETTE_GROUPS: readonly PaletteGroup[] = ['trigger', 'logic', 'action'];

export function groupOf(kind: NodeKind): PaletteGroup {
  return specOf(kind).category;
}

export const kindsIn = (group: PaletteGroup): NodeKind[] =>
  NODE_KINDS.filter((k) => groupOf(k) === group);

export function isTrigger(kind: string): boolean {
  return isNodeKind(kind) && groupOf(kind) === 'trigger';
}

/** Output ports, in order. A split's branches are read from its config even when invalid. */
export function portsOf(node: Pick<DraftNode, 'kind' | 'config'>): string[] {
  if (!isNodeKind(node.kind)) return [];
  const spec = specOf(node.kind);
  const parsed = spec.config.safeParse(node.config ?? {});
  if (parsed.success) return [...spec.ports(parsed.data)];
  if (node.kind === 'split.random') {
    const branches = (node.config as { branches?: unknown } | undefined)?.branches;
    if (!Array.isArray(branches)) return [];
    const names = branches
      .map((b) => (b && typeof b === 'object' ? (b as { port?: unknown }).port : undefined))
      .filter((p): p is string => typeof p === 'string' && p.length > 0);
    return [...new Set(names)];
  }
  return [...spec.ports(undefined)];
}
