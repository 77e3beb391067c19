/**
 * Properties over generated documents: validate never throws; compile accepts exactly what
 * validate passes; the content hash survives reordering and cosmetic edits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { FlowInvalidError, hasErrors } from './issues';
import { validFixtures } from '../test/fixtures/flows/fixtures';
import { validate } from './validate/index';

const SAMPLES: [string, unknown][] = [
  ['trigger.follow', {}],
  ['trigger.unfollow', undefined],
  ['trigger.qr_scan', { scenes: ['cup*'], who: 'new' }],
  ['trigger.keyword', { keywords: ['hi'], match: 'contains' }],
  ['trigger.birthday', { daysBefore: 3, at: '10:00' }],
  [
    'trigger.audience',
    {
      at: '2025-01-01T10:00:00Z',
      audience: {
        all: [{ fact: 'follower', path: '$.points', operator: 'greaterThan', value: 3 }],
      },
    },
  ],
  [
    'condition.rules',
    { rules: { any: [{ fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' }] } },
  ],
  ['condition.rules', { rules: { all: [{ fact: 'nope', operator: 'equal', value: 1 }] } }],
  [
    'split.random',
    {
      branches: [
        { port: 'a', percent: 50 },
        { port: 'b', percent: 50 },
      ],
    },
  ],
  [
    'split.random',
    {
      branches: [
        { port: 'a', percent: 70 },
        { port: 'b', percent: 50 },
      ],
    },
  ],
  ['wait.delay', { duration: '3d' }],
  ['wait.delay', { duration: 'soon' }],
  ['wait.until', { at: '09:30', weekdays: [1, 5] }],
  ['wait.event', { event: { type: 'purchase' }, timeout: '7d' }],
  ['flow.end', undefined],
  ['action.tag', { add: ['vip'] }],
  ['action.coupon', { pool: 'p' }],
  [
    'action.push',
    { channel: 'customer_service', message: { type: 'text', text: 'hello {{follower.city}}' } },
  ],
  ['action.push', { message: { type: 'text', text: '{{params.missing}}' } }],
  ['action.menu_swap', { menu: 'm' }],
  ['action.update_profile', { addPoints: 10 }],
  ['action.webhook', { url: 'https://example.com/hook', body: { a: 1 } }],
  ['action.fax', {}],
];
const PORTS = ['next', 'yes', 'no', 'a', 'b', 'matched', 'timeout', 'other'];

const arbFlow = fc
  .array(fc.constantFrom(...SAMPLES), { minLength: 1, maxLength: 9 })
  .chain((picked) =>
    fc
      .record({
        edges: fc.array(
          fc.record({
            from: fc.nat(picked.length),
            to: fc.nat(picked.length),
            port: fc.constantFrom(...PORTS),
          }),
          { maxLength: 14 },
        ),
        dupNode: fc.boolean(),
        reentry: fc.constantFrom('once', 'after_exit', 'always'),
      })
      .map(({ edges, dupNode, reentry }) => ({
        format: 'fanfare.flow/v1',
        name: 'generated',
        settings: { entry: { reentry } },
        nodes: picked.map(([kind, config], i) => ({
          id: dupNode && i === 1 ? 'n0' : `n${i}`,
          kind,
          label: `step ${i}`,
          ...(config === undefined ? {} : { config }),
        })),
        edges: edges.map((e, i) => ({
          id: `e${i}`,
          from: `n${e.from}`,
          port: e.port,
          to: `n${e.to}`,
        })),
      })),
  );

/** A trigger followed by a random chain of actions and waits, ending properly: always valid. */
const arbValidFlow = fc
  .record({
    trigger: fc.constantFrom(...SAMPLES.slice(0, 5)),
    steps: fc.array(fc.constantFrom(...[10, 12, 13, 15, 16, 19, 20, 21].map((i) => SAMPLES[i]!)), {
      maxLength: 12,
    }),
  })
  .map(({ trigger, steps }) => {
    const kinds = [trigger, ...steps, ['flow.end', undefined] as [string, unknown]];
    const nodes = kinds.map(([kind, config], i) => ({
      id: `n${i}`,
      kind,
      label: `L${i}`,
      position: { x: i * 10, y: 0 },
      ...(config === undefined ? {} : { config }),
    }));
    const edges: { id: string; from: string; port: string; to: string }[] = [];
    for (let i = 0; i < nodes.length - 1; i++) {
      const kind = nodes[i]!.kind;
      edges.push({ id: `e${i}`, from: `n${i}`, port: 'next', to: `n${i + 1}` });
      if (kind === 'wait.event') edges[edges.length - 1]!.port = 'matched';
      if (kind === 'wait.event')
        edges.push({ id: `t${i}`, from: `n${i}`, port: 'timeout', to: `n${nodes.length - 1}` });
    }
    return { format: 'fanfare.flow/v1', name: 'valid', nodes, edges };
  });

/** Rebuilds every object with its keys in a permuted order (driven by `seed`). */
function shuffleKeys(value: unknown, seed: number): unknown {
  let s = seed || 1;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const go = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(go);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v).sort(() => rnd() - 0.5);
    return Object.fromEntries(keys.map((k) => [k, go((v as Record<string, unknown>)[k])]));
  };
  return go(value);
}

describe('validate never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const issues = validate(v);
        expect(Array.isArray(issues)).toBe(true);
        expect(issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('on valid documents with a random subtree replaced by arbitrary JSON', () => {
    const docs = validFixtures().map((f) => f.doc);
    fc.assert(
      fc.property(
        fc.constantFrom(...docs),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue(),
        (doc, walk, junk) => {
          const copy = structuredClone(doc) as Record<string, unknown>;
          let parent: Record<string | number, unknown> = copy;
          let key: string | number = Object.keys(copy)[walk[0]! % Object.keys(copy).length]!;
          for (const step of walk.slice(1)) {
            const child: unknown = parent[key];
            if (child === null || typeof child !== 'object') break;
            const keys = Object.keys(child);
            if (!keys.length) break;
            parent = child as Record<string, unknown>;
            key = Array.isArray(child) ? step % child.length : keys[step % keys.length]!;
          }
          parent[key] = junk;
          const issues = validate(copy);
          expect(Array.isArray(issues)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('compile accepts exactly what validate passes', () => {
  it('on generated flows (valid and invalid)', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      // Random graphs are mostly invalid: mix in well-formed ones so both sides are exercised.
      fc.property(fc.oneof(arbFlow, arbValidFlow), (doc) => {
        const ok = !hasErrors(validate(doc));
        let compiled = false;
        try {
          compile(doc);
          compiled = true;
        } catch (e) {
          expect(e).toBeInstanceOf(FlowInvalidError);
        }
        expect(compiled).toBe(ok);
        if (ok) accepted++;
        else rejected++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(5);
    expect(rejected).toBeGreaterThan(5);
  });

  it('generated well-formed flows always compile', () => {
    fc.assert(
      fc.property(arbValidFlow, (doc) => {
        expect(validate(doc).filter((i) => i.severity === 'error')).toEqual([]);
        expect(compile(doc).steps).toHaveProperty('n0');
      }),
      { numRuns: 200 },
    );
  });
});

describe('the content hash', () => {
  const arbDoc = fc.oneof(fc.constantFrom(...validFixtures().map((f) => f.doc)), arbValidFlow);
  it('is stable under reordering of keys, nodes and edges and changes of positions and labels', () => {
    fc.assert(
      fc.property(
        arbDoc,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.string(),
        fc.integer(),
        (doc, seed, label, x) => {
          const original = compile(doc).hash;
          const d = structuredClone(doc) as { nodes: Record<string, unknown>[]; edges: unknown[] };
          const perm = (n: number) =>
            Array.from({ length: n }, (_, i) => i).sort((a, b) => ((a * seed + b) % 7) - 3);
          d.nodes = perm(d.nodes.length).map((i) => d.nodes[i]!);
          d.edges = perm(d.edges.length)
            .reverse()
            .map((i) => d.edges[i]!);
          for (const n of d.nodes) {
            n.label = label;
            n.position = { x, y: -x };
          }
          expect(compile(shuffleKeys(d, seed)).hash).toBe(original);
        },
      ),
      { numRuns: 150 },
    );
  });
});
