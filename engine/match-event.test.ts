import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { findEntries, matchesEventFilters } from './match-event';
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
