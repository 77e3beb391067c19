import { describe, expect, it } from 'vitest';
import { validFixtures } from '../test/fixtures/flows/fixtures';
import type { FlowDraft } from './schema/document';
import { templateCandidates } from './template-candidates';
import { exportTemplate } from './templates';

const fixture = (name: string) =>
  structuredClone(validFixtures().find((f) => f.name === name)!.doc) as FlowDraft;

describe('templateCandidates', () => {
  it('lists the brand resources as parameters already, then the push texts', () => {
    const c = templateCandidates(fixture('cup-qr-coupon-vip'));
    const rows = c.map((r) => [r.path, r.kind, r.resource, r.name, r.value['zh-CN']]);
    expect(rows).toEqual([
      ['scan.scenes.0', 'qrScene', true, 'qrScene1', 'cup*'],
      ['tag.add.0', 'tag', true, 'tag1', 'cup_fan'],
      ['tag.add.1', 'tag', true, 'tag2', 'vip'],
      ['coupon.pool', 'couponPool', true, 'couponPool1', 'cup-coupon'],
      ['menu.menu', 'menu', true, 'menu1', 'vip-menu'],
      [
        'push.message.text',
        'text',
        false,
        'text1',
        '欢迎成为 VIP！你的专属券码：{{coupon.code}}，有效期至 {{coupon.expiresAt}}。',
      ],
    ]);
    const push = c.find((r) => r.path === 'push.message.text')!;
    expect(push.step['zh-CN']).toBe('「发送领券消息」（推送消息）');
    expect(push.field['zh-CN']).toContain('消息内容');
    expect(c.some((r) => r.path.startsWith('settings.'))).toBe(false);
  });

  it('names a wait step’s timeout in the engine’s words, and every candidate exports', () => {
    for (const f of validFixtures()) {
      const doc = f.doc as FlowDraft;
      const c = templateCandidates(doc);
      const chosen = c.map((r) => ({ path: r.path, name: r.name }));
      const result = exportTemplate(doc, chosen);
      expect(result.ok ? [] : result.issues.filter((i) => i.severity === 'error'), f.name).toEqual(
        [],
      );
      if (!result.ok) continue;
      const names = new Set((result.doc.parameters ?? []).map((p) => p.name));
      for (const r of c) expect(names.has(r.name), `${f.name} ${r.path}`).toBe(true);
    }
    const golden = templateCandidates(fixture('golden-48h-welcome'));
    const timeout = golden.find((r) => r.kind === 'duration' && r.field['zh-CN'] === '最多等待');
    expect(timeout?.value['zh-CN']).toBe('47 小时');
  });

  it('skips values that already are parameters, and an unparsable document', () => {
    const t = exportTemplate(fixture('cup-qr-coupon-vip'), [
      { path: 'push.message.text', name: 'welcome' },
    ]);
    expect(t.ok).toBe(true);
    if (!t.ok) return;
    const c = templateCandidates(t.doc);
    expect(c.some((r) => r.path === 'push.message.text')).toBe(false);
    expect(c.some((r) => r.resource)).toBe(false);
    expect(templateCandidates({ nodes: 'no' })).toEqual([]);
  });
});
