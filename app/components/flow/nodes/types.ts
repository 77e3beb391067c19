/**
 * What every node kind provides to the editor, one file per kind (./<kind>.tsx): its icon,
 * the config a new node starts with, its canvas component and its config form.
 */
import type { NodeProps } from '@xyflow/react';
import type { ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeKind } from '~/lib/engine';
import { useKindTitle } from '../labels';
import type { FlowRfNode } from '../node-shell';

export interface PanelProps<C> {
  /** The node's config as the draft holds it: possibly incomplete or invalid. */
  config: Partial<C> | undefined;
  onChange(next: Partial<C>): void;
}

export interface NodeUi<K extends NodeKind = NodeKind> {
  kind: K;
  icon: string;
  /** Config of a freshly dropped node; undefined for kinds without settings. */
  defaultConfig(): unknown;
  Node: ComponentType<NodeProps<FlowRfNode>>;
  /** The config form; null when the kind has nothing to configure. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Panel: ComponentType<PanelProps<any>> | null;
}

export function defineNodeUi<K extends NodeKind>(ui: NodeUi<K>): NodeUi<K> {
  return ui;
}

/** The name of a kind (the engine's, as messages use it) and its one-line help. */
export function useKindText(kind: NodeKind): { title: string; help: string } {
  const { t } = useTranslation();
  const title = useKindTitle();
  return { title: title(kind), help: t(`editor.kinds.${kind}.help`) };
}

/** Config of a node as a loose record (it may be anything while being edited). */
export function configOf<C>(data: { node: { config?: unknown } }): Partial<C> {
  const c = data.node.config;
  return (c && typeof c === 'object' && !Array.isArray(c) ? c : {}) as Partial<C>;
}

export const list = (values: readonly unknown[] | undefined): string =>
  (values ?? []).filter((v) => typeof v === 'string' && v).join(', ');
