import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import {
  findEntries,
  journeyMatchers,
  matchesEventFilters,
  matchesHeard,
  whereVerdicts,
} from './match-event';
import { buildFacts } from './rules/facts';
import { validFixtures } from '../test/fixtures/flows/fixtures';

const plan = (name: string) => compile(validFixtures().find((f) => f.name === name)!.doc);
const facts = buildFacts({ follower: { openid: 'o' } });
const NOW = Date.parse('2025-06-18T12:00:00Z');

describe('event matching for the router', () => {
  it('a follow through a cup QR code enters the QR-scan trigger; a plain follow does not', async () => {
    const cup = plan('cup-qr-coupon-vip');
    expect(
      (await findEntries(cup, { type: 'follow', scene: 'cup_0042' }, facts, NOW)).map(
        (e) => e.nodeId,
      ),
    ).toEqual(['scan']);
    expect(await findEntries(cup, { type: 'follow' }, facts, NOW)).toEqual([]);
    expect(
      (await findEntries(cup, { type: 'qr_scan', scene: 'cup_1' }, facts, NOW)).map(
        (e) => e.nodeId,
      ),
    ).toEqual(['scan']);
    expect(await findEntries(cup, { type: 'qr_scan', scene: 'poster_1' }, facts, NOW)).toEqual([]);
  });

  it('filters by keyword mode, location radius, purchase amount and first follow', () => {
    expect(
      matchesEventFilters(
        { type: 'keyword', keywords: ['优惠'], match: 'contains' },
        { type: 'keyword', text: '有优惠吗' },
      ),
    ).toBe(true);
    expect(
      matchesEventFilters(
        { type: 'keyword', keywords: ['优惠'], match: 'exact' },
        { type: 'keyword', text: '有优惠吗' },
      ),
    ).toBe(false);
    expect(
      matchesEventFilters(
        { type: 'keyword', keywords: ['^\\d{6}$'], match: 'regex' },
        { type: 'keyword', text: '123456' },
      ),
    ).toBe(true);
    const near = {
      type: 'location' as const,
      center: { lat: 31.2243, lng: 121.4468 },
      radiusM: 800,
    };
    expect(
      matchesEventFilters(near, { type: 'location', location: { lat: 31.226, lng: 121.448 } }),
    ).toBe(true);
    expect(
      matchesEventFilters(near, { type: 'location', location: { lat: 31.3, lng: 121.448 } }),
    ).toBe(false);
    expect(
      matchesEventFilters({ type: 'purchase', minAmount: 100 }, { type: 'purchase', amount: 99 }),
    ).toBe(false);
    expect(
      matchesEventFilters(
        { type: 'follow', firstTimeOnly: true },
        { type: 'follow', firstTime: false },
      ),
    ).toBe(false);
    expect(
      matchesEventFilters({ type: 'qr_scan', who: 'existing' }, { type: 'follow', scene: 'x' }),
    ).toBe(false);
  });

  it('custom events apply their where-rules', async () => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'custom',
      nodes: [
        {
          id: 't',
          kind: 'trigger.event',
          config: {
            name: 'signup',
            where: { all: [{ fact: 'event', path: '$.plan', operator: 'equal', value: 'pro' }] },
          },
        },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [{ id: 'e', from: 't', to: 'end' }],
    };
    const p = compile(doc);
    const pro = { type: 'custom' as const, name: 'signup', payload: { plan: 'pro' } };
    expect(
      await findEntries(p, pro, buildFacts({ follower: { openid: 'o' }, event: pro }), NOW),
    ).toHaveLength(1);
    const free = { ...pro, payload: { plan: 'free' } };
    expect(
      await findEntries(p, free, buildFacts({ follower: { openid: 'o' }, event: free }), NOW),
    ).toHaveLength(0);
  });
});

describe("a custom event's where rules in exitOn, goal and wait.event (one matcher)", () => {
  const isPro = { all: [{ fact: 'event', path: '$.plan', operator: 'equal', value: 'pro' }] };
  const p = compile({
    format: 'fanfare.flow/v1',
    name: 'where everywhere',
    settings: {
      exitOn: [
        { type: 'custom', name: 'cancel', where: isPro },
        { type: 'custom', name: 'refund' },
      ],
      goal: { event: { type: 'custom', name: 'upgrade', where: isPro }, within: '7d' },
    },
    nodes: [
      { id: 't', kind: 'trigger.follow' },
      {
        id: 'w',
        kind: 'wait.event',
        config: { event: { type: 'custom', name: 'signup', where: isPro }, timeout: '1d' },
      },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'a', from: 't', to: 'w' },
      { id: 'b', from: 'w', port: 'matched', to: 'end' },
      { id: 'c', from: 'w', port: 'timeout', to: 'end' },
    ],
  });
  const event = (name: string, plan: string) => ({
    type: 'custom' as const,
    name,
    payload: { plan },
  });
  const verdicts = (e: ReturnType<typeof event>) =>
    whereVerdicts(p, e, buildFacts({ follower: { openid: 'o' }, event: e }), NOW);

  it('keys every matcher a journey listens to', () => {
    expect(journeyMatchers(p).map((m) => m.key)).toEqual([
      'exitOn:0',
      'exitOn:1',
      'goal',
      'step:w',
    ]);
  });

  it.each([
    ['cancel', 'pro', ['exitOn:0']],
    ['cancel', 'free', []],
    ['upgrade', 'pro', ['goal']],
    ['upgrade', 'free', []],
    ['signup', 'pro', ['step:w']],
    ['signup', 'free', []],
    // No where rules: nothing for the router to judge.
    ['refund', 'free', []],
  ])('the router judges %s (plan %s) → %j', async (name, plan, keys) => {
    expect(await verdicts(event(name, plan))).toEqual(keys);
  });

  const [cancel, refund, goal, wait] = journeyMatchers(p);
  it.each([
    ['an exit whose where rules held', cancel!, event('cancel', 'pro'), ['exitOn:0'], true],
    ['an exit whose where rules failed', cancel!, event('cancel', 'free'), [], false],
    ['an exit heard without verdicts', cancel!, event('cancel', 'pro'), undefined, false],
    ['a verdict for another matcher', cancel!, event('cancel', 'pro'), ['goal'], false],
    ['an exit without where rules', refund!, event('refund', 'free'), undefined, true],
    ['the goal', goal!, event('upgrade', 'pro'), ['goal'], true],
    ['the goal, another event name', goal!, event('cancel', 'pro'), ['goal'], false],
    ['the wait', wait!, event('signup', 'pro'), ['step:w'], true],
    ['the wait, rules failed', wait!, event('signup', 'free'), [], false],
  ])('the journey hears %s', (_, { key, matcher }, e, whereHolds, expected) => {
    expect(matchesHeard(matcher, key, { ...e, ...(whereHolds ? { whereHolds } : {}) })).toBe(
      expected,
    );
  });
});
