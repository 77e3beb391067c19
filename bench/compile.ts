/**
 * `npm run bench -- compile`: validate + compile a generated 1,000-node flow (docs/quality.md:
 * target < 50 ms). Reports the median of several timed runs after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { compile, hasErrors, validate } from '../engine/index';
import type { BenchResult } from './run';
import { SHORT } from './knobs';

const TARGET_MS = 50;
const WARMUP = 5;
const RUNS = SHORT ? 7 : 21;

/**
 * A realistic shape: two triggers, then blocks of condition → (tag + push | coupon + push)
 * → wait, repeated, with rules, placeholders and all the graph checks exercised.
 */
export function generateFlow(size: number): unknown {
  const nodes: {
    id: string;
    kind: string;
    label: string;
    position: { x: number; y: number };
    config?: unknown;
  }[] = [];
  const edges: { id: string; from: string; port: string; to: string }[] = [];
  const add = (id: string, kind: string, config?: unknown) =>
    nodes.push({
      id,
      kind,
      label: `${kind} ${id}`,
      position: { x: nodes.length * 10, y: 0 },
      ...(config ? { config } : {}),
    });
  const link = (from: string, port: string, to: string) =>
    edges.push({ id: `e${edges.length}`, from, port, to });

  add('scan', 'trigger.qr_scan', { scenes: ['store_*', 'cup'], who: 'both' });
  add('follow', 'trigger.follow', { firstTimeOnly: true });
  let previous = 'scan';
  link('follow', 'next', 'b0-if');
  let block = 0;
  while (nodes.length + 7 <= size) {
    const b = `b${block}`;
    add(`${b}-if`, 'condition.rules', {
      rules: {
        all: [
          { fact: 'follower', path: '$.tags', operator: 'hasTag', value: `seg${block % 10}` },
          {
            any: [
              { fact: 'follower', path: '$.points', operator: 'greaterThan', value: block },
              { fact: 'event', path: '$.scene', operator: 'matches', value: '^store_' },
            ],
          },
        ],
      },
    });
    add(`${b}-tag`, 'action.tag', { add: [`t${block % 15}`], remove: [] });
    add(`${b}-push1`, 'action.push', {
      channel: 'auto',
      message: { type: 'text', text: `Hi {{follower.city}}, block ${block}` },
      // after a wait the customer-service quota is closed (W_CS_WINDOW without a fallback)
      fallback: { type: 'template', templateId: 'news', data: { thing1: `block ${block}` } },
    });
    add(`${b}-coupon`, 'action.coupon', { pool: `pool${block % 5}` });
    add(`${b}-push2`, 'action.push', {
      channel: 'auto',
      message: { type: 'text', text: 'Your code {{coupon.code}}' },
      fallback: { type: 'template', templateId: 'news', data: { thing1: '{{coupon.code}}' } },
    });
    add(`${b}-wait`, 'wait.delay', { duration: `${(block % 5) + 1}h` });
    link(previous, 'next', `${b}-if`);
    link(`${b}-if`, 'yes', `${b}-tag`);
    link(`${b}-tag`, 'next', `${b}-push1`);
    link(`${b}-push1`, 'next', `${b}-wait`);
    link(`${b}-if`, 'no', `${b}-coupon`);
    link(`${b}-coupon`, 'next', `${b}-push2`);
    link(`${b}-push2`, 'next', `${b}-wait`);
    previous = `${b}-wait`;
    block++;
  }
  while (nodes.length < size - 1) {
    const id = `pad${nodes.length}`;
    add(id, 'action.update_profile', { addPoints: 1 });
    link(previous, 'next', id);
    previous = id;
  }
  add('end', 'flow.end');
  link(previous, 'next', 'end');
  return {
    format: 'fanfare.flow/v1',
    name: `generated ${size}`,
    settings: {
      timezone: 'Asia/Shanghai',
      entry: { reentry: 'always' },
      frequencyCap: { max: 3, per: '1d' },
      exitOn: [{ type: 'unfollow' }],
    },
    nodes,
    edges,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const round = (x: number) => Math.round(x * 100) / 100;

export default async function bench(): Promise<BenchResult> {
  const n = 1000;
  const doc = generateFlow(n);
  const issues = validate(doc);
  if (hasErrors(issues))
    throw new Error(
      `generated flow is invalid: ${issues.find((i) => i.severity === 'error')?.message.en}`,
    );
  const total: number[] = [];
  const validateMs: number[] = [];
  const compileMs: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = performance.now();
    validate(doc);
    const t1 = performance.now();
    compile(doc);
    const t2 = performance.now();
    if (i < WARMUP) continue;
    validateMs.push(t1 - t0);
    compileMs.push(t2 - t1);
    total.push(t2 - t0);
  }
  const medianMs = median(total);
  return {
    scenario: 'compile',
    n,
    ours: {
      medianMs: round(medianMs),
      minMs: round(Math.min(...total)),
      maxMs: round(Math.max(...total)),
      validateMedianMs: round(median(validateMs)),
      compileMedianMs: round(median(compileMs)),
      runs: RUNS,
      issues: issues.length,
    },
    baseline: null,
    ratio: null,
    unit: 'ms',
    target: `< ${TARGET_MS} ms`,
    pass: medianMs < TARGET_MS,
  };
}
