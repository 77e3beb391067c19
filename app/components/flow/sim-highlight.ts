/**
 * The simulated path on the canvas: the steps a test follower visited, the one they are at,
 * the connections they took. A small store of its own (not the editor's: no undo step, no
 * re-derived node list): each node and edge subscribes to its own mark, so a playback frame
 * re-renders only the nodes whose mark changed.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { NO_HIGHLIGHT, type Highlight } from './sim-model';

export type HighlightStore = StoreApi<Highlight>;

export function createHighlightStore(): HighlightStore {
  return createStore<Highlight>()(() => NO_HIGHLIGHT);
}

export const SimHighlightContext = createContext<HighlightStore | null>(null);

/** The store nobody writes to: a canvas outside the editor (the read-only viewer) has no path. */
const IDLE = createHighlightStore();

/** `current`, `visited` or null for a node. */
export function useNodeSimMark(nodeId: string): 'current' | 'visited' | null {
  const store = useContext(SimHighlightContext) ?? IDLE;
  return useStore(store, (s) =>
    s.current === nodeId ? 'current' : s.visited.has(nodeId) ? 'visited' : null,
  );
}

/** Whether the simulated follower took the connection. */
export function useEdgeSimTaken(edgeId: string): boolean {
  const store = useContext(SimHighlightContext) ?? IDLE;
  return useStore(store, (s) => s.edges.has(edgeId));
}
