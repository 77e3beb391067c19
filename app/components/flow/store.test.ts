import { describe, expect, it } from 'vitest';
import { FORMAT, type FlowDraft } from '../../lib/engine';
import { copySelection, createEditorStore, deleteSelection, newNodeId, pasteClip } from './store';

const empty: FlowDraft = { format: FORMAT, name: 'f', nodes: [], edges: [] };
const node = (id: string, kind = 'action.tag') => ({
  id,
  kind,
  position: { x: 0, y: 0 },
  config: { add: ['vip'], remove: [] },
});

describe('the editor store', () => {
  it('applies engine ops, one undo step per dispatch', () => {
    const store = createEditorStore(empty);
    const { dispatch } = store.getState();
    dispatch({ type: 'add_node', node: node('n1', 'trigger.follow') });
    dispatch([
      { type: 'add_node', node: node('n2') },
      { type: 'connect', edge: { from: 'n1', port: 'next', to: 'n2' } },
    ]);
    expect(store.getState().doc.edges).toHaveLength(1);
    store.temporal.getState().undo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['n1']);
    expect(store.getState().doc.edges).toHaveLength(0);
    store.temporal.getState().redo();
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('merges a burst of edits to one field into one step; selection is not history', () => {
    const store = createEditorStore(empty);
    const { dispatch } = store.getState();
    dispatch({ type: 'add_node', node: node('n1') });
    for (const label of ['W', 'We', 'Wel'])
      dispatch({ type: 'update_label', nodeId: 'n1', label }, { coalesce: 'label:n1' });
    store.getState().select(['n1']);
    expect(store.temporal.getState().pastStates).toHaveLength(2);
    store.temporal.getState().undo();
    expect(store.getState().doc.nodes[0]!.label).toBeUndefined();
  });

  it('refuses an op the engine refuses, and changes nothing', () => {
    const store = createEditorStore(empty);
    expect(store.getState().dispatch({ type: 'delete_node', nodeId: 'nope' })).toBe(false);
    expect(store.getState().lastError).toBe('E_OP_UNKNOWN_NODE');
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('copies, pastes with fresh ids and selects the copy; deletes the selection', () => {
    const store = createEditorStore(empty);
    store.getState().dispatch([
      { type: 'add_node', node: node('n1', 'trigger.follow') },
      { type: 'add_node', node: node('n2') },
      { type: 'connect', edge: { id: 'e1', from: 'n1', port: 'next', to: 'n2' } },
    ]);
    store.getState().select(['n1', 'n2']);
    const clip = copySelection(store.getState())!;
    const pasted = pasteClip(store, clip);
    expect(pasted).toHaveLength(2);
    expect(new Set(pasted).has('n1')).toBe(false);
    expect(store.getState().doc.edges).toHaveLength(2);
    expect([...store.getState().selectedNodes]).toEqual(pasted);
    deleteSelection(store);
    expect(store.getState().doc.nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(store.getState().doc.edges).toHaveLength(1);
  });

  it('names new nodes n<k>, skipping ids in use', () => {
    expect(newNodeId({ ...empty, nodes: [node('n2')] })).toBe('n3');
    expect(
      newNodeId({
        ...empty,
        nodes: [node('n1')],
        edges: [{ id: 'n2', from: 'n1', port: 'next', to: 'n1' }],
      }),
    ).toBe('n3');
  });
});
