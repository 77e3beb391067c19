import { describe, expect, it } from 'vitest';
import { renderMessage, renderText } from './render';
import type { FlowDraft } from './schema/document';
import { bindTemplate, findParams, makeTemplate } from './templates';
import { validFixtures } from '../test/fixtures/flows/fixtures';
import { validate } from './validate/index';
import { compile } from './compile';

const cup = () =>
  structuredClone(validFixtures().find((f) => f.name === 'cup-qr-coupon-vip')!.doc) as FlowDraft;
const brand = {
  tags: ['cup_fan', 'vip'],
  couponPools: ['cup-coupon'],
  menus: ['vip-menu'],
  templates: [],
};

describe('templates', () => {
  it('makeTemplate replaces every brand resource with a typed parameter', () => {
    const t = makeTemplate(cup());
    expect(t.parameters).toEqual([
      { name: 'qrScene1', kind: 'qrScene', label: 'cup*', default: 'cup*' },
      { name: 'tag1', kind: 'tag', label: 'cup_fan', default: 'cup_fan' },
      { name: 'tag2', kind: 'tag', label: 'vip', default: 'vip' },
      { name: 'couponPool1', kind: 'couponPool', label: 'cup-coupon', default: 'cup-coupon' },
      { name: 'menu1', kind: 'menu', label: 'vip-menu', default: 'vip-menu' },
    ]);
    expect(t.nodes[0]!.config).toEqual({ scenes: ['{{params.qrScene1}}'], who: 'both' });
    expect(t.nodes[2]!.config).toEqual({ pool: '{{params.couponPool1}}' });
    expect(
      findParams(t)
        .map((u) => u.name)
        .sort(),
    ).toEqual(['couponPool1', 'menu1', 'qrScene1', 'tag1', 'tag2']);
    expect(validate(t)).toEqual([]);
    // With its defaults, the template compiles to the original steps.
    expect(compile(t).steps).toEqual(compile(cup()).steps);
    expect(compile(t, { params: { couponPool1: 'other' } }).steps.coupon!.config).toEqual({
      pool: 'other',
    });
  });

  it('tags inside conditions become parameters too; no defaults on request', () => {
    const cat = structuredClone(
      validFixtures().find((f) => f.name === 'cat-food-repurchase')!.doc,
    ) as FlowDraft;
    const t = makeTemplate(cat, { keepDefaults: false });
    const rules = (t.nodes[1]!.config as { rules: { all: { value: unknown }[] } }).rules;
    expect(rules.all[1]!.value).toBe('{{params.tag1}}');
    expect(t.parameters!.every((p) => p.default === undefined)).toBe(true);
  });

  it('bindTemplate fills in values, drops the parameters, and validates against the brand', () => {
    const t = makeTemplate(cup(), { keepDefaults: false });
    const values = {
      qrScene1: 'sleeve_*',
      tag1: 'cup_fan',
      tag2: 'vip',
      couponPool1: 'cup-coupon',
      menu1: 'vip-menu',
    };
    const ok = bindTemplate(t, values, brand);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.doc.parameters).toBeUndefined();
    expect(ok.doc.nodes[0]!.config).toEqual({ scenes: ['sleeve_*'], who: 'both' });
    expect(findParams(ok.doc)).toEqual([]);

    const missing = bindTemplate(t, { ...values, menu1: '' }, brand);
    expect(missing.ok).toBe(false);
    expect(missing.issues.map((i) => i.code)).toContain('E_UNBOUND_PARAM');

    const wrongBrand = bindTemplate(t, { ...values, couponPool1: 'someone-elses-pool' }, brand);
    expect(wrongBrand.ok).toBe(false);
    expect(wrongBrand.issues.map((i) => i.code)).toEqual(['E_UNKNOWN_RESOURCE']);

    const badValue = bindTemplate(t, { ...values, tag1: 'x'.repeat(31) }, brand);
    expect(badValue.issues.map((i) => i.code)).toContain('E_CONFIG');

    expect(bindTemplate(t, { ...values, extra: 'x' }, brand).issues.map((i) => i.code)).toContain(
      'E_UNBOUND_PARAM',
    );
  });
});

describe('rendering', () => {
  const vars = {
    follower: { city: '上海', points: 120, attributes: { pet: 'cat' } },
    coupon: { code: 'A&B<1>', expiresAt: '2025-07-01' },
    event: { type: 'qr_scan', scene: 'store_1' },
  };
  it('fills follower, coupon and event variables without HTML escaping', () => {
    expect(
      renderText(
        '{{follower.city}} {{follower.points}}分 券码 {{coupon.code}} 至 {{coupon.expiresAt}} ({{event.scene}}, {{follower.attributes.pet}})',
        vars,
      ),
    ).toBe('上海 120分 券码 A&B<1> 至 2025-07-01 (store_1, cat)');
    expect(
      renderText('{{#coupon}}有券{{/coupon}}{{^follower.tier}}，普通会员{{/follower.tier}}', vars),
    ).toBe('有券，普通会员');
  });
  it('renders every string of a message', () => {
    const m = renderMessage(
      {
        type: 'template',
        templateId: 'T',
        data: { code: '{{coupon.code}}' },
        url: 'https://x.example/?s={{event.scene}}',
      },
      vars,
    );
    expect(m).toEqual({
      type: 'template',
      templateId: 'T',
      data: { code: 'A&B<1>' },
      url: 'https://x.example/?s=store_1',
    });
  });
});
