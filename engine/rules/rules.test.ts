import { describe, expect, it } from 'vitest';
import type { RuleCondition } from '../schema/rules';
import { evaluateRules } from './evaluate';
import {
  buildEventFact,
  buildFacts,
  buildFollowerFact,
  buildJourneyFact,
  type FollowerRecord,
} from './facts';

const NOW = Date.parse('2025-06-18T12:00:00Z');
const DAY = 86_400_000;

const follower: FollowerRecord = {
  openid: 'o1',
  subscribed: true,
  subscribedAt: new Date(NOW - 40 * DAY),
  tags: ['vip', 'cat_owner'],
  gender: 'female',
  city: '上海',
  points: 120,
  totalSpent: '5230.50',
  orderCount: 7,
  lastPurchaseAt: new Date(NOW - 10 * DAY).toISOString(),
  lastInteractionAt: null,
  attributes: { pet: 'cat', visits: 3 },
};
const facts = buildFacts({
  follower,
  event: {
    type: 'location',
    location: { lat: 31.2243, lng: 121.4468 },
    payload: { scene: 'store_jingan', amount: 88 },
  },
  journey: {
    enteredAt: new Date(NOW - DAY),
    coupon: { code: 'C-1', expiresAt: new Date(NOW + 30 * DAY) },
  },
});
const leaf = (
  fact: 'follower' | 'event' | 'journey',
  path: string,
  operator: string,
  value: unknown,
) => ({ fact, path, operator, value }) as RuleCondition;
const check = (c: RuleCondition, now: number | Date = NOW) => evaluateRules(c, facts, now);

describe('custom operators', () => {
  it.each([
    ['hasTag vip', leaf('follower', '$.tags', 'hasTag', 'vip'), true],
    ['hasTag gold', leaf('follower', '$.tags', 'hasTag', 'gold'), false],
    ['lacksTag gold', leaf('follower', '$.tags', 'lacksTag', 'gold'), true],
    ['lacksTag vip', leaf('follower', '$.tags', 'lacksTag', 'vip'), false],
    ['bought ≥ 7 days ago', leaf('follower', '$.lastPurchaseAt', 'daysAgoAtLeast', 7), true],
    ['bought ≥ 11 days ago', leaf('follower', '$.lastPurchaseAt', 'daysAgoAtLeast', 11), false],
    [
      'bought ≤ 10 days ago (boundary)',
      leaf('follower', '$.lastPurchaseAt', 'daysAgoAtMost', 10),
      true,
    ],
    ['bought ≤ 9 days ago', leaf('follower', '$.lastPurchaseAt', 'daysAgoAtMost', 9), false],
    [
      'never interacted: daysAgoAtLeast is false',
      leaf('follower', '$.lastInteractionAt', 'daysAgoAtLeast', 30),
      false,
    ],
    [
      'within 1 km of the store',
      leaf('event', '$.location', 'withinRadius', { lat: 31.23, lng: 121.45 }),
      false,
    ],
    [
      'within 1 km of the store (with radius)',
      leaf('event', '$.location', 'withinRadius', { lat: 31.23, lng: 121.45, radiusM: 1000 }),
      true,
    ],
    [
      'within 100 m',
      leaf('event', '$.location', 'withinRadius', { lat: 31.23, lng: 121.45, radiusM: 100 }),
      false,
    ],
    ['scene matches ^store_', leaf('event', '$.scene', 'matches', '^store_'), true],
    ['scene matches ^poster_', leaf('event', '$.scene', 'matches', '^poster_'), false],
  ])('%s', async (_name, rule, expected) => {
    expect(await check({ all: [rule] })).toBe(expected);
  });
});

describe('json-rules-engine semantics through the adapter', () => {
  it('all / any / not and a bare leaf', async () => {
    const vip = leaf('follower', '$.tags', 'hasTag', 'vip');
    const gold = leaf('follower', '$.tier', 'equal', 'gold');
    expect(await check({ all: [vip, gold] })).toBe(false);
    expect(await check({ any: [vip, gold] })).toBe(true);
    expect(await check({ not: gold })).toBe(true);
    expect(await check(vip)).toBe(true);
    expect(await check({ all: [] })).toBe(true);
    // json-rules-engine's own choice, mirrored in SQL; validation refuses empty groups.
    expect(await check({ any: [] })).toBe(true);
  });

  it('numbers from numeric strings, attributes, event payload and journey', async () => {
    expect(await check(leaf('follower', '$.totalSpent', 'greaterThanInclusive', 5230.5))).toBe(
      true,
    );
    expect(await check(leaf('follower', '$.attributes.pet', 'equal', 'cat'))).toBe(true);
    expect(await check(leaf('follower', '$.attributes.visits', 'lessThan', 5))).toBe(true);
    expect(await check(leaf('event', '$.amount', 'greaterThan', 50))).toBe(true);
    expect(await check(leaf('journey', '$.coupon.code', 'equal', 'C-1'))).toBe(true);
  });

  it('missing paths are "no value": positives false, negations true, equal null true', async () => {
    expect(await check(leaf('follower', '$.attributes.size', 'equal', 'L'))).toBe(false);
    expect(await check(leaf('follower', '$.attributes.size', 'notEqual', 'L'))).toBe(true);
    expect(await check(leaf('follower', '$.attributes.size', 'equal', null))).toBe(true);
    expect(await check(leaf('follower', '$.province', 'equal', null))).toBe(true);
    expect(await check(leaf('follower', '$.attributes.size', 'greaterThan', 0))).toBe(false);
    expect(await check(leaf('follower', '$.attributes.size', 'lessThan', 0))).toBe(false);
    expect(await check(leaf('event', '$.nothing.deeper', 'in', ['a']))).toBe(false);
    expect(await check(leaf('event', '$.nothing.deeper', 'notIn', ['a']))).toBe(true);
  });

  it('never coerces types: 120 is not "120"', async () => {
    expect(await check(leaf('follower', '$.points', 'equal', 120))).toBe(true);
    expect(await check(leaf('follower', '$.points', 'equal', '120'))).toBe(false);
    expect(await check(leaf('follower', '$.city', 'greaterThan', 1))).toBe(false);
  });

  it('an unknown fact is rejected (allowUndefinedFacts: false)', async () => {
    await expect(
      evaluateRules(
        { all: [{ fact: 'weather', operator: 'equal', value: 'sunny' } as never] },
        facts,
        NOW,
      ),
    ).rejects.toThrow(/Undefined fact/);
  });

  it('"now" is injected: the same facts flip with the clock', async () => {
    const rule = leaf('follower', '$.lastPurchaseAt', 'daysAgoAtLeast', 14);
    expect(await check(rule, NOW)).toBe(false);
    expect(await check(rule, NOW + 5 * DAY)).toBe(true);
    expect(await check(rule, new Date(NOW + 5 * DAY))).toBe(true);
  });
});

describe('facts from plain records', () => {
  it('the follower fact is JSON with defaults', () => {
    const f = buildFollowerFact({ openid: 'x' });
    expect(f).toEqual({
      openid: 'x',
      subscribed: false,
      subscribedAt: null,
      firstSubscribedAt: null,
      subscribeScene: null,
      qrScene: null,
      tags: [],
      gender: null,
      province: null,
      city: null,
      birthday: null,
      tier: null,
      points: 0,
      totalSpent: 0,
      orderCount: 0,
      lastPurchaseAt: null,
      lastInteractionAt: null,
      attributes: {},
    });
    expect(buildFollowerFact(follower).totalSpent).toBe(5230.5);
    expect(buildFollowerFact(follower).subscribedAt).toBe(new Date(NOW - 40 * DAY).toISOString());
  });
  it('event payload is flattened, typed fields win; journey dates become ISO', () => {
    expect(
      buildEventFact({
        type: 'custom',
        name: 'x',
        payload: { name: 'shadowed', n: 1 },
        occurredAt: NOW,
      }),
    ).toEqual({
      type: 'custom',
      name: 'x',
      n: 1,
      occurredAt: new Date(NOW).toISOString(),
    });
    expect(buildJourneyFact({ enteredAt: NOW, coupon: { code: 'A' } })).toEqual({
      enteredAt: new Date(NOW).toISOString(),
      coupon: { code: 'A', expiresAt: null },
    });
  });
});
