/**
 * The editor's live validation after one edit (docs/quality.md, the editor scenario): random
 * single edits (bench/flow-edits.ts) to a generated flow, each validated by the editor's
 * incremental validator (engine/validate/incremental.ts) and, for comparison, by the full
 * `validate()`. Measured in Node: the same engine code the browser runs, without the page.
 */
import { createIncrementalValidator, validate, type BrandContext } from '../engine/validate';
import { generateFlow } from './compile';
import { random, randomEdit } from './flow-edits';

const BRAND: BrandContext = {
  tags: ['seg1', 't1'],
  couponPools: ['pool0', 'pool1'],
  menus: [],
  templates: ['news'],
};

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const round = (x: number) => Math.round(x * 100) / 100;

export interface IncrementalTimes {
  nodes: number;
  edits: number;
  incrementalP50Ms: number;
  incrementalP95Ms: number;
  fullP50Ms: number;
  fullP95Ms: number;
}

export function measureIncrementalValidate(nodes: number, edits: number): IncrementalTimes {
  const rand = random(42);
  const base = generateFlow(nodes);
  const incremental = createIncrementalValidator();
  // Warm-up: the JIT, and the first (whole) validation the editor does on opening.
  for (let i = 0; i < 20; i++) validate(base, BRAND);
  incremental(base, BRAND);
  const inc: number[] = [];
  const full: number[] = [];
  // Each edit is made to the flow as opened and then undone (untimed), so that the flow stays
  // the realistic one rather than collecting hundreds of random breakages. The two
  // validators run in separate loops: neither pays for the other's garbage.
  const docs = Array.from({ length: edits }, () => randomEdit(base, rand).doc);
  for (const doc of docs) {
    const t0 = performance.now();
    incremental(doc, BRAND);
    inc.push(performance.now() - t0);
    incremental(base, BRAND);
  }
  for (const doc of docs) {
    const t0 = performance.now();
    validate(doc, BRAND);
    full.push(performance.now() - t0);
  }
  return {
    nodes,
    edits,
    incrementalP50Ms: round(percentile(inc, 0.5)),
    incrementalP95Ms: round(percentile(inc, 0.95)),
    fullP50Ms: round(percentile(full, 0.5)),
    fullP95Ms: round(percentile(full, 0.95)),
  };
}
