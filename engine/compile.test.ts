import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { FlowInvalidError } from './issues';
import { invalidFixture, validFixtures } from '../test/fixtures/flows/fixtures';

// Fixtures are edited freely in these tests: a loose JSON type keeps that readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const fixture = (name: string): Json =>
  structuredClone(validFixtures().find((f) => f.name === name)!.doc);

describe('compile', () => {
  it('resolves every port of every step to the next node id', () => {
    const plan = compile(fixture('golden-48h-welcome'));
    expect(Object.keys(plan.steps).sort()).toEqual([
      'coupon',
      'end1',
      'end2',
      'follow',
      'hello',
      'send',
      'silent',
      'wait',
    ]);
    expect(plan.steps.wait).toMatchObject({
      kind: 'wait.event',
      next: { matched: 'coupon', timeout: 'silent' },
    });
    expect(plan.steps.wait!.config).toMatchObject({ timeout: '47h', timeoutMs: 47 * 3_600_000 });
    expect(plan.steps.end1!.next).toEqual({});
    expect(plan.steps.follow!.next).toEqual({ next: 'hello' });
  });

  it('an open port compiles to null (a warning does not block)', () => {
    const plan = compile(invalidFixture('W_OPEN_PORT').doc);
    expect(plan.steps.c!.next).toEqual({ yes: 'end', no: null });
  });

  it('indexes triggers: events by type (QR scans also under follow), date sweeps, broadcasts', () => {
    const cup = compile(fixture('cup-qr-coupon-vip'));
    expect(cup.triggers.events.qr_scan).toEqual([
      {
        kind: 'event',
        nodeId: 'scan',
        eventTypes: ['qr_scan', 'follow'],
        matcher: { type: 'qr_scan', scenes: ['cup*'], who: 'both' },
      },
    ]);
    expect(cup.triggers.events.follow?.map((e) => e.nodeId)).toEqual(['scan']);
    const bday = compile(fixture('birthday-gift'));
    expect(bday.triggers.dates).toEqual([
      {
        kind: 'date',
        nodeId: 'bday',
        schedule: 'birthday',
        daysBefore: 3,
        at: '10:00',
        atMinutes: 600,
      },
    ]);
    expect(bday.triggers.events).toEqual({});
    const dormant = compile(fixture('dormant-reengagement'));
    expect(dormant.triggers.broadcasts).toHaveLength(1);
    expect(dormant.triggers.broadcasts[0]).toMatchObject({
      nodeId: 'aud',
      at: '2025-07-01T10:00:00+08:00',
    });
    const nearby = compile(fixture('nearby-store-offer'));
    expect(nearby.triggers.events.location?.[0]).toMatchObject({ cooldownMs: 7 * 86_400_000 });
  });

  it('carries the settings, with defaults and resolved durations', () => {
    const plan = compile(fixture('cat-food-repurchase'));
    expect(plan.settings).toEqual({
      timezone: 'Asia/Shanghai',
      reentry: 'always',
      quietHours: null,
      frequencyCap: { max: 1, per: '3d', perMs: 3 * 86_400_000 },
      exitOn: [],
      goal: {
        event: { type: 'purchase', category: 'cat-food' },
        within: '10d',
        withinMs: 10 * 86_400_000,
      },
    });
    const bare = fixture('cat-food-repurchase');
    delete bare.settings;
    expect(compile(bare, { timezone: 'Europe/Paris' }).settings).toMatchObject({
      timezone: 'Europe/Paris',
      reentry: 'after_exit',
      exitOn: [],
    });
  });

  // A flow that does not choose its re-entry: date triggers come round again, so they default
  // to after_exit (once would greet each follower on one birthday only); the rest to once.
  it.each([
    { name: 'birthday-gift', reentry: 'after_exit' },
    { name: 'cat-food-repurchase', reentry: 'after_exit' },
    { name: 'dormant-reengagement', reentry: 'once' },
    { name: 'golden-48h-welcome', reentry: 'once' },
    { name: 'channel-qr-source', reentry: 'once' },
  ])('without a choice, $name re-enters $reentry', ({ name, reentry }) => {
    const doc = fixture(name);
    delete (doc.settings as { entry?: unknown }).entry;
    expect(compile(doc).settings.reentry).toBe(reentry);
    (doc.settings as { entry?: unknown }).entry = { reentry: 'once' };
    expect(compile(doc).settings.reentry).toBe('once');
  });

  it('is JSON-serialisable as is', () => {
    for (const { doc } of validFixtures()) {
      const plan = compile(doc);
      expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
      expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('throws FlowInvalidError with the issues for a document with errors', () => {
    const { doc } = invalidFixture('E_LOOP_WITHOUT_WAIT');
    expect(() => compile(doc)).toThrow(FlowInvalidError);
    try {
      compile(doc);
    } catch (e) {
      expect((e as FlowInvalidError).issues.map((i) => i.code)).toContain('E_LOOP_WITHOUT_WAIT');
      expect((e as FlowInvalidError).code).toBe('E_FLOW_INVALID');
    }
  });

  it('the hash ignores labels, positions, name and edge ids but not behaviour', () => {
    const a = fixture('cup-qr-coupon-vip');
    const b = fixture('cup-qr-coupon-vip');
    b.name = 'renamed';
    b.nodes[0].label = 'other label';
    b.nodes[1].position = { x: 999, y: -5 };
    b.edges[0].id = 'zz';
    expect(compile(b).hash).toBe(compile(a).hash);
    const c = fixture('cup-qr-coupon-vip');
    c.nodes[2].config.pool = 'other-pool';
    expect(compile(c).hash).not.toBe(compile(a).hash);
    const d = fixture('cup-qr-coupon-vip');
    d.settings.entry = { reentry: 'always' };
    expect(compile(d).hash).not.toBe(compile(a).hash);
  });

  it('binds declared parameters (explicit value, else default) into the steps', () => {
    const doc = fixture('cup-qr-coupon-vip');
    doc.parameters = [{ name: 'pool', kind: 'couponPool', label: '券池', default: 'default-pool' }];
    doc.nodes[2].config.pool = '{{params.pool}}';
    expect((compile(doc).steps.coupon!.config as { pool: string }).pool).toBe('default-pool');
    const plan = compile(doc, { params: { pool: 'brand-pool' } });
    expect((plan.steps.coupon!.config as { pool: string }).pool).toBe('brand-pool');
    expect(plan.parameters).toEqual([{ name: 'pool', kind: 'couponPool', value: 'brand-pool' }]);
  });
});
