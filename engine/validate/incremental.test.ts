/**
 * The incremental validator (./incremental.ts) gives exactly what `validate()` gives, after
 * every one of many random edits (bench/flow-edits.ts) to a generated flow, with and without
 * a brand. No timing here: the editor benchmark measures it (bench/README.md#editor).
 */
import { describe, expect, it } from 'vitest';
import { generateFlow } from '../../bench/compile';
import { randomEdit, random } from '../../bench/flow-edits';
import { createIncrementalValidator, validate, type BrandContext } from './index';

const brand: BrandContext = {
  tags: ['seg1', 't1'],
  couponPools: ['pool0', 'pool1'],
  menus: [],
  templates: ['news'],
};

describe('incremental validation', () => {
  for (const [name, context] of [
    ['without a brand', undefined],
    ['with a brand', brand],
  ] as const) {
    it(`equals the full validation after each of 150 random edits, ${name}`, () => {
      const rand = random(name.length * 7919);
      const incremental = createIncrementalValidator();
      let doc: unknown = generateFlow(40);
      expect(incremental(doc, context)).toEqual(validate(doc, context));
      const kinds = new Set<string>();
      for (let i = 0; i < 150; i++) {
        const edit = randomEdit(doc, rand);
        doc = edit.doc;
        kinds.add(edit.kind);
        expect(incremental(doc, context), `after edit ${i} (${edit.kind})`).toEqual(
          validate(doc, context),
        );
      }
      expect(kinds.size).toBe(8);
    }, 60_000);
  }

  it('takes the full path for a node that does not parse, and agrees again after', () => {
    const incremental = createIncrementalValidator();
    const doc = generateFlow(30) as { nodes: unknown[] };
    const broken = { ...doc, nodes: [...doc.nodes, { id: '', kind: 'x', extra: 1 }] };
    expect(incremental(broken)).toEqual(validate(broken));
    const bad = { ...doc, nodes: [...doc.nodes, { id: 'z', kind: 'flow.end', label: 'a\u0000' }] };
    expect(incremental(bad)).toEqual(validate(bad));
    expect(incremental(doc)).toEqual(validate(doc));
    expect(incremental({ nope: true })).toEqual(validate({ nope: true }));
  });
});
