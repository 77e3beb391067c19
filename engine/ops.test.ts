import { describe, expect, it } from 'vitest';
import { applyOp, applyOps, FlowOp, FlowOpError } from './ops';
import type { FlowDraft } from './schema/document';
import { validate } from './validate/index';

const doc = (): FlowDraft => ({
  format: 'fanfare.flow/v1',
  name: 'ops',
  nodes: [
    { id: 't', kind: 'trigger.follow', label: 'Follow', position: { x: 0, y: 0 }, config: {} },
    {
      id: 'p',
      kind: 'action.push',
      label: 'Hi',
      position: { x: 200, y: 0 },
      config: { message: { type: 'text', text: 'hi' } },
    },
    { id: 'end', kind: 'flow.end', label: 'End', position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: 't', port: 'next', to: 'p' },
    { id: 'e2', from: 'p', port: 'next', to: 'end' },
  ],
});

const counter = () => {
  let i = 0;
  return (kind: 'node' | 'edge') => `${kind}-${++i}`;
};

describe('edit operations', () => {
  it('are pure: the input document is untouched', () => {
    const d = doc();
    const before = JSON.stringify(d);
    applyOp(d, { type: 'delete_node', nodeId: 'p' });
    applyOp(d, { type: 'move_node', nodeId: 't', position: { x: 5, y: 5 } });
    expect(JSON.stringify(d)).toBe(before);
  });

  it('delete_node removes the node with its edges', () => {
    const d = applyOp(doc(), { type: 'delete_node', nodeId: 'p' });
    expect(d.nodes.map((n) => n.id)).toEqual(['t', 'end']);
    expect(d.edges).toEqual([]);
  });

  it('add, move, relabel, update config', () => {
    let d = applyOp(doc(), {
      type: 'add_node',
      node: { id: 'w', kind: 'wait.delay', config: { duration: '1d' } },
    });
    d = applyOp(d, { type: 'move_node', nodeId: 'w', position: { x: 7, y: 8 } });
    d = applyOp(d, { type: 'update_label', nodeId: 'w', label: '等一天' });
    d = applyOp(d, { type: 'update_config', nodeId: 'w', config: { duration: '2d' } });
    expect(d.nodes.find((n) => n.id === 'w')).toEqual({
      id: 'w',
      kind: 'wait.delay',
      label: '等一天',
      position: { x: 7, y: 8 },
      config: { duration: '2d' },
    });
    expect(() => applyOp(d, { type: 'add_node', node: { id: 'w', kind: 'flow.end' } })).toThrow(
      FlowOpError,
    );
  });

  it('connect replaces what an exit led to (one edge per port); disconnect removes', () => {
    let d = applyOp(
      doc(),
      { type: 'connect', edge: { from: 't', port: 'next', to: 'end' } },
      { newId: counter() },
    );
    expect(d.edges).toEqual([
      { id: 'e2', from: 'p', port: 'next', to: 'end' },
      { id: 'edge-1', from: 't', port: 'next', to: 'end' },
    ]);
    d = applyOp(d, { type: 'disconnect', edgeId: 'e2' });
    expect(d.edges.map((e) => e.id)).toEqual(['edge-1']);
    expect(() => applyOp(d, { type: 'disconnect', edgeId: 'nope' })).toThrow(
      expect.objectContaining({ code: 'E_OP_UNKNOWN_EDGE' }),
    );
    expect(() =>
      applyOp(d, { type: 'connect', edge: { from: 't', port: 'next', to: 'ghost' } }),
    ).toThrow(expect.objectContaining({ code: 'E_OP_UNKNOWN_NODE' }));
  });

  it('insert_on_edge splices a node in, continuing from its first port', () => {
    const d = applyOp(
      doc(),
      {
        type: 'insert_on_edge',
        edgeId: 'e1',
        node: {
          id: 'c',
          kind: 'condition.rules',
          config: {
            rules: {
              all: [{ fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' }],
            },
          },
        },
      },
      { newId: counter() },
    );
    expect(d.edges).toEqual([
      { id: 'e1', from: 't', port: 'next', to: 'c' },
      { id: 'e2', from: 'p', port: 'next', to: 'end' },
      { id: 'edge-1', from: 'c', port: 'yes', to: 'p' },
    ]);
    expect(validate(d).map((i) => i.code)).toEqual(['W_OPEN_PORT']);
  });

  it('paste copies a subgraph with fresh ids, dropping links to outside nodes', () => {
    const src = doc();
    const d = applyOp(
      src,
      { type: 'paste', nodes: src.nodes.slice(1), edges: src.edges, offset: { x: 0, y: 100 } },
      { newId: counter() },
    );
    expect(d.nodes.slice(3)).toEqual([
      { ...src.nodes[1], id: 'node-1', position: { x: 200, y: 100 } },
      { ...src.nodes[2], id: 'node-2', position: { x: 400, y: 100 } },
    ]);
    expect(d.edges.slice(2)).toEqual([
      { id: 'edge-3', from: 'node-1', port: 'next', to: 'node-2' },
    ]);
    // The default generator is deterministic and avoids taken ids.
    const again = applyOp(d, { type: 'paste', nodes: src.nodes.slice(2), edges: [] });
    expect(new Set(again.nodes.map((n) => n.id)).size).toBe(again.nodes.length);
  });

  it('update_settings merges, undefined removes', () => {
    let d = applyOp(doc(), {
      type: 'update_settings',
      settings: { timezone: 'Asia/Tokyo', quietHours: { from: '22:00', to: '08:00' } },
    });
    d = applyOp(d, { type: 'update_settings', settings: { timezone: undefined } });
    expect(d.settings).toEqual({ quietHours: { from: '22:00', to: '08:00' } });
  });

  it('ops are a zod schema too (the server re-parses them), and compose', () => {
    expect(FlowOp.safeParse({ type: 'delete_node', nodeId: 'p', extra: 1 }).success).toBe(false);
    const ops = [
      FlowOp.parse({ type: 'delete_node', nodeId: 'p' }),
      FlowOp.parse({ type: 'connect', edge: { id: 'x', from: 't', to: 'end' } }),
    ];
    const d = applyOps(doc(), ops);
    expect(d.edges).toEqual([{ id: 'x', from: 't', port: 'next', to: 'end' }]);
    expect(validate(d)).toEqual([]);
  });
});
