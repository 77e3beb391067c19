/**
 * The editor's state: the FlowDraft (the single source of truth; React Flow only draws it),
 * changed exclusively through the engine's pure operations, with undo/redo from zundo over
 * the document alone. Selection, measured sizes and in-flight drag positions are view state:
 * never part of the history.
 */
import { temporal, type TemporalState } from 'zundo';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  applyOp,
  FlowOpError,
  type DraftNode,
  type Edge,
  type FlowDraft,
  type FlowOp,
} from '../../lib/engine';

/** Edits the engine has no operation for: the document's own name and description. */
export type MetaOp = { type: 'update_meta'; name?: string; description?: string };
export type EditorOp = FlowOp | MetaOp;

export function applyEditorOp(doc: FlowDraft, op: EditorOp): FlowDraft {
  if (op.type !== 'update_meta') return applyOp(doc, op);
  const next: FlowDraft = { ...doc };
  if (op.name !== undefined) next.name = op.name;
  if (op.description !== undefined) {
    if (op.description === '') delete next.description;
    else next.description = op.description;
  }
  return next;
}

export interface Clip {
  nodes: DraftNode[];
  edges: Edge[];
}

export interface EditorState {
  doc: FlowDraft;
  selectedNodes: ReadonlySet<string>;
  selectedEdges: ReadonlySet<string>;
  /** Positions while a drag is in flight; committed as one move op when it ends. */
  dragging: ReadonlyMap<string, { x: number; y: number }>;
  /** Why the last op was refused (FlowOpError code), for a message; null when it applied. */
  lastError: string | null;
  /**
   * Applies ops in order as ONE undo step. `coalesce` merges a burst of edits to the same
   * thing (typing in a field) into the step that started it. Returns false if refused.
   */
  dispatch(ops: EditorOp | readonly EditorOp[], options?: { coalesce?: string }): boolean;
  /** Replaces the whole document (import, restore): one undo step. */
  replace(doc: FlowDraft): void;
  select(nodes: Iterable<string>, edges?: Iterable<string>): void;
  setDragging(positions: ReadonlyMap<string, { x: number; y: number }>): void;
}

export type EditorStore = StoreApi<EditorState> & {
  temporal: StoreApi<TemporalState<{ doc: FlowDraft }>>;
};

const COALESCE_MS = 1_000;

export function createEditorStore(initial: FlowDraft): EditorStore {
  let lastCoalesce: { key: string; at: number } | null = null;
  const store = createStore<EditorState>()(
    temporal(
      (set, get) => ({
        doc: initial,
        selectedNodes: new Set(),
        selectedEdges: new Set(),
        dragging: new Map(),
        lastError: null,
        dispatch(ops, options) {
          const list = (Array.isArray(ops) ? ops : [ops]) as EditorOp[];
          let doc = get().doc;
          try {
            for (const op of list) doc = applyEditorOp(doc, op);
          } catch (error) {
            if (error instanceof FlowOpError) {
              set({ lastError: error.code });
              return false;
            }
            throw error;
          }
          if (doc === get().doc) return true;
          const now = Date.now();
          const key = options?.coalesce;
          const merge =
            key !== undefined && lastCoalesce?.key === key && now - lastCoalesce.at < COALESCE_MS;
          lastCoalesce = key !== undefined ? { key, at: now } : null;
          const history = (store as EditorStore).temporal.getState();
          if (merge) history.pause();
          // Drop selections of things that no longer exist (keeping the same sets otherwise).
          const { selectedNodes, selectedEdges } = get();
          const nodeIds = new Set(doc.nodes.map((n) => n.id));
          const edgeIds = new Set(doc.edges.map((e) => e.id));
          const keptNodes = [...selectedNodes].filter((id) => nodeIds.has(id));
          const keptEdges = [...selectedEdges].filter((id) => edgeIds.has(id));
          set({
            doc,
            lastError: null,
            selectedNodes:
              keptNodes.length === selectedNodes.size ? selectedNodes : new Set(keptNodes),
            selectedEdges:
              keptEdges.length === selectedEdges.size ? selectedEdges : new Set(keptEdges),
          });
          if (merge) history.resume();
          return true;
        },
        replace(doc) {
          lastCoalesce = null;
          set({
            doc,
            selectedNodes: new Set(),
            selectedEdges: new Set(),
            dragging: new Map(),
            lastError: null,
          });
        },
        select(nodes, edges = []) {
          set({ selectedNodes: new Set(nodes), selectedEdges: new Set(edges) });
        },
        setDragging(positions) {
          set({ dragging: positions });
        },
      }),
      {
        partialize: (state) => ({ doc: state.doc }),
        // Only document changes are undo steps (selection and drags are not).
        equality: (a, b) => a.doc === b.doc,
        limit: 200,
      },
    ),
  ) as EditorStore;
  return store;
}

/** The first free `n<k>` id (short and stable: nodes are keyed by id, never by label). */
export function newNodeId(doc: FlowDraft, taken: ReadonlySet<string> = new Set()): string {
  const ids = new Set([...doc.nodes.map((n) => n.id), ...doc.edges.map((e) => e.id), ...taken]);
  let k = doc.nodes.length + 1;
  while (ids.has(`n${k}`)) k++;
  return `n${k}`;
}

/** The selected nodes and the connections between them, ready to paste. */
export function copySelection(state: Pick<EditorState, 'doc' | 'selectedNodes'>): Clip | null {
  const nodes = state.doc.nodes.filter((n) => state.selectedNodes.has(n.id));
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((n) => n.id));
  const edges = state.doc.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  return { nodes: structuredClone(nodes), edges: structuredClone(edges) };
}

/** Pastes a clip (one undo step) and selects what was pasted. */
export function pasteClip(store: EditorStore, clip: Clip, offset = { x: 40, y: 40 }): string[] {
  const before = new Set(store.getState().doc.nodes.map((n) => n.id));
  const ok = store
    .getState()
    .dispatch({ type: 'paste', nodes: clip.nodes, edges: clip.edges, offset });
  if (!ok) return [];
  const pasted = store
    .getState()
    .doc.nodes.filter((n) => !before.has(n.id))
    .map((n) => n.id);
  store.getState().select(pasted);
  return pasted;
}

/** Deletes the selected nodes (with their connections) and connections: one undo step. */
export function deleteSelection(store: EditorStore): void {
  const { doc, selectedNodes, selectedEdges } = store.getState();
  const ops: FlowOp[] = [];
  for (const id of selectedEdges) {
    const edge = doc.edges.find((e) => e.id === id);
    if (edge && !selectedNodes.has(edge.from) && !selectedNodes.has(edge.to))
      ops.push({ type: 'disconnect', edgeId: id });
  }
  for (const id of selectedNodes) ops.push({ type: 'delete_node', nodeId: id });
  if (ops.length) store.getState().dispatch(ops);
}
