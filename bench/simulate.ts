/**
 * `npm run bench -- simulate`: a 7-day scenario through a 50-node flow on the simulator
 * (engine/simulate), against running the same steps directly — the same engine calls for
 * the path the simulation took (rules, rendering, the quota), with no step machine, virtual
 * clock or explanations. Target (docs/quality.md): a simulation well under a second —
 * median < 100 ms; the ratio (direct / simulated) is for information.
 */
import { performance } from 'node:perf_hooks';
import { compile } from '../engine/index';
import { couponVars, renderMessage } from '../engine/render';
import { evaluateRules } from '../engine/rules/evaluate';
import { buildFacts } from '../engine/rules/facts';
import { openQuota, takeQuota } from '../engine/quota';
import type { PushMessage } from '../engine/schema/message';
import type { RuleCondition } from '../engine/schema/rules';
import { simulate, type ScenarioInput } from '../engine/simulate';
import { generateFlow } from './compile';
import { SHORT } from './knobs';
import type { BenchResult } from './run';

const TARGET_MS = 100;
const WARMUP = 5;
const RUNS = SHORT ? 10 : 50;
const NODES = 50;

/** A week of a fan: follows via a store QR, writes now and then, buys, writes again. */
const scenario: ScenarioInput = {
  follower: { tags: ['seg0', 'seg2', 'seg4'], points: 3, city: '上海' },
  start: '2026-11-30T10:00:00+08:00',
  events: [
    { at: '+0m', type: 'qr_scan', scene: 'store_12', newFollower: true },
    { at: '+2h', type: 'keyword', text: '咖啡' },
    { at: '+1d', type: 'keyword', text: '优惠' },
    { at: '+2d', type: 'purchase', amount: 38, category: 'coffee' },
    { at: '+3d', type: 'menu_click', key: 'MENU' },
    { at: '+5d', type: 'keyword', text: '会员' },
  ],
  until: '+7d',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 100) / 100;

export default async function bench(): Promise<BenchResult> {
  const plan = compile(generateFlow(NODES));
  const first = await simulate(plan, scenario);
  const path = first.trace.filter((s) => s.port !== null && s.outcome !== 'entered');
  if (path.length < 10) throw new Error(`the scenario walked only ${path.length} steps`);

  /** The same work, straight: each step of the path with the engine's own functions. */
  async function direct(): Promise<void> {
    const start = Date.parse(scenario.start);
    let quota = openQuota(null, 'event', start);
    const follower = { openid: 'o', tags: ['seg0', 'seg2', 'seg4'], points: 3, city: '上海' };
    const event = { type: 'qr_scan' as const, scene: 'store_12' };
    const coupon = { code: 'SAMPLE-0001', expiresOn: null };
    for (const s of path) {
      const config = plan.steps[s.nodeId]!.config as Record<string, unknown>;
      const at = Date.parse(s.at);
      if (s.kind === 'condition.rules')
        await evaluateRules(config.rules as RuleCondition, buildFacts({ follower, event }), at);
      else if (s.kind === 'action.push') {
        renderMessage(config.message as PushMessage, { follower, coupon: couponVars(coupon) });
        const taken = takeQuota(quota, at);
        if (taken.ok) quota = taken.quota;
      }
    }
  }

  const ours: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // Alternate the two, so the machine's load mid-run biases neither.
    const t0 = performance.now();
    await simulate(plan, scenario);
    const t1 = performance.now();
    await direct();
    const t2 = performance.now();
    if (i < WARMUP) continue;
    ours.push(t1 - t0);
    base.push(t2 - t1);
  }
  const oursMs = median(ours);
  const baseMs = median(base);
  return {
    scenario: 'simulate',
    n: NODES,
    ours: {
      medianMs: round(oursMs),
      maxMs: round(Math.max(...ours)),
      steps: path.length,
      messages: first.messages.length,
    },
    baseline: { medianMs: round(baseMs) },
    ratio: round(baseMs / oursMs),
    unit: 'ms per 7-day simulation',
    target: `median < ${TARGET_MS} ms`,
    pass: oursMs < TARGET_MS,
  };
}
