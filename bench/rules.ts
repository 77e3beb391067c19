/**
 * `npm run bench -- rules` (docs/quality.md: for information).
 *
 * Ours: `evaluateRules` — json-rules-engine with our operator table, one engine per call, as
 * the condition activity and the router use it — over 1,000 realistic follower facts (built
 * with `buildFacts` from follower records and a QR-scan event). Baseline: the same predicate
 * hand-written as a plain JS function over the same facts. Both must agree on every follower
 * (checked first). Evaluations/s over a fixed time budget and count, after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import {
  buildFacts,
  evaluateRules,
  type Facts,
  type FollowerRecord,
  type RuleCondition,
} from '../engine/index';
import type { BenchResult } from './run';
import { round } from './support';
import { SHORT } from './knobs';

const FOLLOWERS = 1000;
const BUDGET_MS = SHORT ? 500 : 3000;
const MAX_EVALUATIONS = 500_000;
const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-22T02:30:00Z');

/** "Subscribed VIPs or big spenders in the Yangtze delta who bought within 90 days, scanning in a store." */
const rules = {
  all: [
    { fact: 'follower', path: '$.subscribed', operator: 'equal', value: true },
    {
      any: [
        { fact: 'follower', path: '$.tags', operator: 'hasTag', value: 'vip' },
        { fact: 'follower', path: '$.totalSpent', operator: 'greaterThanInclusive', value: 500 },
      ],
    },
    { fact: 'follower', path: '$.city', operator: 'in', value: ['上海', '杭州', '苏州'] },
    { fact: 'follower', path: '$.lastPurchaseAt', operator: 'daysAgoAtMost', value: 90 },
    { fact: 'event', path: '$.scene', operator: 'matches', value: '^store_' },
  ],
} as RuleCondition;

const CITIES = ['上海', '杭州', '苏州', '北京', '广州', '深圳', '成都', null];
const TAGS = ['vip', 'cup_fan', 'new', 'cat_owner', 'dog_owner', 'menu:vip-menu', 'lapsed'];

/** Deterministic pseudo-random (mulberry32), so every run sees the same followers. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function followerFacts(): Facts[] {
  const r = rng(20261122);
  return Array.from({ length: FOLLOWERS }, (_, i) => {
    const tags = TAGS.filter(() => r() < 0.25);
    const follower: FollowerRecord = {
      openid: `o_rules_${i}`,
      subscribed: r() < 0.9,
      subscribedAt: new Date(NOW - Math.floor(r() * 700) * DAY_MS),
      subscribeScene: 'ADD_SCENE_QR_CODE',
      qrScene: `store_${i % 40}`,
      tags,
      gender: r() < 0.5 ? 'female' : 'male',
      province: null,
      city: CITIES[Math.floor(r() * CITIES.length)]!,
      birthday: `0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
      tier: r() < 0.2 ? 'gold' : null,
      points: Math.floor(r() * 5000),
      totalSpent: (r() * 1200).toFixed(2),
      orderCount: Math.floor(r() * 30),
      lastPurchaseAt: r() < 0.8 ? new Date(NOW - Math.floor(r() * 200) * DAY_MS) : null,
      lastInteractionAt: new Date(NOW - Math.floor(r() * 30) * DAY_MS),
      attributes: { pet: r() < 0.5 ? 'cat' : 'dog' },
    };
    const scene = r() < 0.7 ? `store_${i % 40}` : `poster_${i % 7}`;
    return buildFacts({
      follower,
      event: {
        type: 'qr_scan',
        scene,
        newFollower: false,
        payload: { ticket: `gQ_${scene}` },
        occurredAt: new Date(NOW),
      },
    });
  });
}

/** The same predicate, by hand. */
function plain(facts: Facts, now: number): boolean {
  const f = facts.follower;
  const e = facts.event as { scene?: unknown };
  const last = f.lastPurchaseAt ? Date.parse(f.lastPurchaseAt) : NaN;
  return (
    f.subscribed === true &&
    (f.tags.includes('vip') || f.totalSpent >= 500) &&
    (f.city === '上海' || f.city === '杭州' || f.city === '苏州') &&
    Number.isFinite(last) &&
    now - last <= 90 * DAY_MS &&
    typeof e.scene === 'string' &&
    /^store_/.test(e.scene)
  );
}

/** Evaluations/s cycling over `all`, within BUDGET_MS and MAX_EVALUATIONS, after one warm-up pass. */
async function measureAsync(all: Facts[], fn: (facts: Facts) => Promise<boolean>) {
  for (const facts of all) await fn(facts);
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < BUDGET_MS && n < MAX_EVALUATIONS) {
    for (let k = 0; k < 100; k++) await fn(all[n++ % all.length]!);
    elapsed = performance.now() - t0;
  }
  return { perSec: (n / elapsed) * 1000, evaluations: n };
}

/** The same for a synchronous predicate (no await: a plain function is called plainly). */
function measureSync(all: Facts[], fn: (facts: Facts) => boolean) {
  let sink = 0;
  for (const facts of all) if (fn(facts)) sink++;
  let n = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < BUDGET_MS && n < MAX_EVALUATIONS * 100) {
    for (let k = 0; k < 1000; k++) if (fn(all[n++ % all.length]!)) sink++;
    elapsed = performance.now() - t0;
  }
  if (sink < 0) throw new Error('unreachable'); // keeps the calls observable
  return { perSec: (n / elapsed) * 1000, evaluations: n };
}

export default async function bench(): Promise<BenchResult> {
  const all = followerFacts();
  let agree = 0;
  let matches = 0;
  for (const facts of all) {
    const a = await evaluateRules(rules, facts, NOW);
    const b = plain(facts, NOW);
    if (a !== b)
      throw new Error(`engine and plain JS disagree on ${facts.follower.openid}: ${a} vs ${b}`);
    agree++;
    if (a) matches++;
  }
  const ours = await measureAsync(all, (facts) => evaluateRules(rules, facts, NOW));
  const baseline = measureSync(all, (facts) => plain(facts, NOW));
  return {
    scenario: 'rules',
    n: FOLLOWERS,
    ours: {
      evaluationsPerSec: round(ours.perSec, 0),
      usPerEvaluation: round(1e6 / ours.perSec, 2),
      evaluations: ours.evaluations,
      matchingFollowers: matches,
      agreeing: agree,
    },
    baseline: {
      evaluationsPerSec: round(baseline.perSec, 0),
      usPerEvaluation: round(1e6 / baseline.perSec, 4),
      evaluations: baseline.evaluations,
    },
    ratio: round(ours.perSec / baseline.perSec, 5),
    unit: 'evaluations/s',
    target: 'for information',
  };
}
