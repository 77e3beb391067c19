/**
 * Random single edits to a flow document, made as the editor's immutable store makes them:
 * the edited node or edge is a new object, every other one keeps its identity. Used by
 * engine/validate/incremental.test.ts (incremental = full after each edit) and by the editor
 * benchmark (time of one incremental validation after an edit).
 */
interface Doc {
  nodes: {
    id: string;
    kind: string;
    label?: string;
    position?: { x: number; y: number };
    config?: unknown;
  }[];
  edges: { id: string; from: string; port: string; to: string }[];
  [key: string]: unknown;
}

export type EditKind =
  | 'move'
  | 'label'
  | 'param'
  | 'break-config'
  | 'add-node'
  | 'remove-node'
  | 'add-edge'
  | 'remove-edge';

const KINDS: EditKind[] = [
  'move',
  'label',
  'param',
  'break-config',
  'add-node',
  'remove-node',
  'add-edge',
  'remove-edge',
];

/** A small deterministic generator (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NEW_NODES: { kind: string; config?: unknown }[] = [
  { kind: 'action.tag', config: { add: ['fresh'], remove: [] } },
  { kind: 'wait.delay', config: { duration: '2h' } },
  {
    kind: 'action.push',
    config: { channel: 'auto', message: { type: 'text', text: 'Hello {{follower.nickname}}' } },
  },
  { kind: 'action.coupon', config: { pool: 'pool9' } },
  { kind: 'flow.end' },
  { kind: 'trigger.unfollow', config: {} },
];

/** One random edit; returns the new document and what was done. */
export function randomEdit(doc: unknown, rand: () => number): { doc: unknown; kind: EditKind } {
  const d = doc as Doc;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const kind = pick(KINDS);
  const at = Math.floor(rand() * Math.max(1, d.nodes.length));
  const replaceNode = (f: (n: Doc['nodes'][number]) => Doc['nodes'][number]): Doc => ({
    ...d,
    nodes: d.nodes.map((n, i) => (i === at ? f(n) : n)),
  });
  switch (kind) {
    case 'move':
      if (!d.nodes.length) break;
      return {
        kind,
        doc: replaceNode((n) => ({ ...n, position: { x: rand() * 5000, y: rand() * 5000 } })),
      };
    case 'label':
      if (!d.nodes.length) break;
      return {
        kind,
        doc: replaceNode((n) => ({ ...n, label: `step ${Math.floor(rand() * 99)}` })),
      };
    case 'param': {
      if (!d.nodes.length) break;
      const values: unknown[] = ['1h', 'pool1', 'seg2', 'Hi {{coupon.code}}', '{{params.x}}', 3];
      return {
        kind,
        doc: replaceNode((n) => {
          const config = (typeof n.config === 'object' && n.config ? n.config : {}) as Record<
            string,
            unknown
          >;
          const keys = Object.keys(config);
          const key = keys.length ? pick(keys) : 'duration';
          const value =
            key === 'add'
              ? [pick(['t1', 'new', '{{event.scene}}'])]
              : key === 'pool'
                ? pick(['pool1', 'nope'])
                : pick(values);
          return { ...n, config: { ...config, [key]: value } };
        }),
      };
    }
    case 'break-config':
      if (!d.nodes.length) break;
      return { kind, doc: replaceNode((n) => ({ ...n, config: { bogus: true } })) };
    case 'add-node': {
      const made = pick(NEW_NODES);
      const id = `n${Math.floor(rand() * 1e9).toString(36)}`;
      const node = {
        id,
        kind: made.kind,
        label: `new ${made.kind}`,
        position: { x: rand() * 5000, y: rand() * 5000 },
        ...(made.config ? { config: made.config } : {}),
      };
      const nodes = [...d.nodes];
      nodes.splice(Math.floor(rand() * (nodes.length + 1)), 0, node);
      const from = d.nodes.length ? pick(d.nodes).id : id;
      return {
        kind,
        doc: { ...d, nodes, edges: [...d.edges, { id: `e-${id}`, from, port: 'next', to: id }] },
      };
    }
    case 'remove-node': {
      if (!d.nodes.length) break;
      const gone = d.nodes[at]!.id;
      const removeEdges = rand() < 0.7;
      return {
        kind,
        doc: {
          ...d,
          nodes: d.nodes.filter((_, i) => i !== at),
          edges: removeEdges ? d.edges.filter((e) => e.from !== gone && e.to !== gone) : d.edges,
        },
      };
    }
    case 'add-edge': {
      if (!d.nodes.length) break;
      const from = pick(d.nodes);
      const to = pick(d.nodes);
      const port = pick(['next', 'yes', 'no', 'timeout', 'bogus']);
      const id = `e${Math.floor(rand() * 1e9).toString(36)}`;
      return { kind, doc: { ...d, edges: [...d.edges, { id, from: from.id, port, to: to.id }] } };
    }
    case 'remove-edge': {
      if (!d.edges.length) break;
      const i = Math.floor(rand() * d.edges.length);
      return { kind, doc: { ...d, edges: d.edges.filter((_, j) => j !== i) } };
    }
  }
  return { kind: 'move', doc: { ...d } };
}
