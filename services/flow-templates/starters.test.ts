import { describe, expect, it } from 'vitest';
import {
  bindTemplate,
  compile,
  FlowDraft,
  validateTemplate,
  type BrandContext,
} from '../../engine/index';
import { simulate } from '../../engine/simulate';
import { STARTER_NAMES, starterTemplates } from './starters';

/** A brand that has every resource a starter names (its parameters' defaults). */
function brandWithDefaults(doc: FlowDraft): BrandContext {
  const of = (kind: string) =>
    (doc.parameters ?? []).filter((p) => p.kind === kind && p.default).map((p) => p.default!);
  return {
    tags: of('tag'),
    couponPools: of('couponPool'),
    couponPoolsWithoutExpiry: [],
    menus: of('menu'),
    templates: of('template'),
  };
}

describe('starter templates', () => {
  const starters = starterTemplates();

  it('ship each starter in zh-CN and en', () => {
    expect(starters.map((s) => `${s.name}.${s.lang}`).sort()).toEqual(
      STARTER_NAMES.flatMap((n) => [`${n}.en`, `${n}.zh-CN`]).sort(),
    );
  });

  it.each(starters.map((s) => ({ id: `${s.name}.${s.lang}`, ...s })))(
    '$id: valid as a template and, bound, as a flow — no error, no warning',
    ({ document, lang }) => {
      const doc = FlowDraft.parse(document);
      const brand = brandWithDefaults(doc);
      expect(validateTemplate(doc, brand)).toEqual([]);
      const bound = bindTemplate(doc, {}, brand);
      expect(bound.ok && bound.issues).toEqual([]);
      if (bound.ok) expect(() => compile(bound.doc, { brand })).not.toThrow();
      // Every parameter is labelled in both languages.
      for (const p of doc.parameters ?? []) {
        expect(p.labels?.en).toBeTruthy();
        expect(p.labels?.['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      }
      if (lang === 'zh-CN') expect(doc.name).toMatch(/[\u4e00-\u9fff]/);
      else expect(doc.name).not.toMatch(/[\u4e00-\u9fff]/);
    },
  );

  it.each(starters.map((s) => ({ id: `${s.name}.${s.lang}`, ...s })))(
    '$id: runs in the simulator with its shipped scenario — every push sent, nothing failed',
    async ({ document, scenario }) => {
      const doc = FlowDraft.parse(document);
      const brand = brandWithDefaults(doc);
      const bound = bindTemplate(doc, {}, brand);
      if (!bound.ok) throw new Error('the starter does not bind');
      const plan = compile(bound.doc, { brand });
      const pools = Object.fromEntries(
        brand.couponPools.map((p) => [p, { kind: 'days' as const, days: 30 }]),
      );
      const result = await simulate(plan, scenario as never, { pools });
      expect(['completed', 'converted']).toContain(result.end.status);
      expect(result.trace.filter((s) => ['failed', 'skipped'].includes(s.outcome))).toEqual([]);
      const pushes = result.trace.filter((s) => s.kind === 'action.push' && s.port !== null);
      expect(pushes.length).toBeGreaterThan(0);
      expect(pushes.every((s) => s.outcome === 'sent')).toBe(true);
      expect(result.messages).toHaveLength(pushes.length);
      // Placeholders are rendered: a sample code, never a raw {{…}}.
      expect(JSON.stringify(result.messages)).not.toContain('{{');
    },
  );

  it('bind to another brand’s own resources', () => {
    const cup = FlowDraft.parse(
      starters.find((s) => s.name === 'cup-qr-coupon' && s.lang === 'en')!.document,
    );
    const brand = { tags: [], couponPools: ['b-pool'], menus: ['b-menu'], templates: [] };
    const bound = bindTemplate(
      cup,
      { pool: 'b-pool', vipMenu: 'b-menu', scene: 'b-cup*', fanTag: 'b_fan', vipTag: 'b_vip' },
      brand,
    );
    expect(bound.ok).toBe(true);
    if (bound.ok) expect(JSON.stringify(bound.doc)).not.toMatch(/cup-coupon|vip-menu/);
  });
});
