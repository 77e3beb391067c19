import { describe, expect, it } from 'vitest';
import { TEMPLATE_ISSUE_CODES } from './issues';
import type { FlowDraft } from './schema/document';
import { bindTemplate, exportTemplate, validateTemplate } from './templates';
import { diffFlows } from './diff';
import { compile } from './compile';
import { validFixtures } from '../test/fixtures/flows/fixtures';

const cup = () =>
  structuredClone(validFixtures().find((f) => f.name === 'cup-qr-coupon-vip')!.doc) as FlowDraft;
const codes = (issues: { code: string }[]) => issues.map((i) => i.code).sort();

describe('exportTemplate', () => {
  it('names the chosen parameters and leaves no brand resource named directly', () => {
    const r = exportTemplate(cup(), [
      { path: 'coupon.pool', name: 'pool' },
      { path: 'scan.scenes.0', name: 'scene' },
      { path: 'push.message.text', name: 'welcome' },
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.issues).toEqual([]);
    const names = r.doc.parameters!.map((p) => `${p.name}:${p.kind}`);
    expect(names).toEqual(
      expect.arrayContaining(['pool:couponPool', 'scene:qrScene', 'welcome:text']),
    );
    expect(r.doc.nodes[2]!.config).toEqual({ pool: '{{params.pool}}' });
    expect(r.doc.nodes[0]!.config).toEqual({ scenes: ['{{params.scene}}'], who: 'both' });
    // With its defaults it is the original flow.
    expect(compile(r.doc).steps).toEqual(compile(cup()).steps);
  });

  it('refuses a path that names nothing', () => {
    const r = exportTemplate(cup(), [{ path: 'nowhere.pool', name: 'pool' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.unknownPaths).toEqual(['nowhere.pool']);
  });
});

describe('validateTemplate', () => {
  it('every template code, in both languages', () => {
    const t = cup();
    t.parameters = [
      { name: 'wait', kind: 'duration', default: 'two days' },
      { name: 'unused', kind: 'text', default: 'x' },
    ];
    const issues = validateTemplate(t);
    expect(new Set(codes(issues))).toEqual(new Set(TEMPLATE_ISSUE_CODES));
    for (const i of issues) {
      expect(i.message.en.length).toBeGreaterThan(10);
      expect(i.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
    const direct = issues.filter((i) => i.code === 'E_TEMPLATE_RESOURCE');
    expect(direct.map((i) => i.path).sort()).toEqual(
      [
        '/nodes/0/config/scenes/0',
        '/nodes/1/config/add/0',
        '/nodes/1/config/add/1',
        '/nodes/2/config/pool',
        '/nodes/4/config/menu',
      ].sort(),
    );
    expect(direct.find((i) => i.nodeId === 'coupon')!.message.en).toContain('"cup-coupon"');
  });

  it('undeclared {{params.x}} is E_UNBOUND_PARAM', () => {
    const t = exportTemplate(cup()) as { ok: true; doc: FlowDraft };
    t.doc.nodes[3]!.config = {
      channel: 'customer_service',
      message: { type: 'text', text: '{{params.nope}}' },
    };
    expect(codes(validateTemplate(t.doc))).toContain('E_UNBOUND_PARAM');
  });

  it('duration and number parameters fill typed fields', () => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'wait',
      parameters: [
        { name: 'window', kind: 'duration', labels: { en: 'Wait', 'zh-CN': '等待' } },
        { name: 'amount', kind: 'number', default: '99' },
      ],
      nodes: [
        { id: 't', kind: 'trigger.purchase', config: { minAmount: '{{params.amount}}' } },
        { id: 'w', kind: 'wait.delay', config: { duration: '{{params.window}}' } },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [
        { id: 'a', from: 't', to: 'w' },
        { id: 'b', from: 'w', to: 'end' },
      ],
    };
    expect(validateTemplate(doc)).toEqual([]);
    const bound = bindTemplate(doc, { window: '48h' });
    expect(bound.ok).toBe(true);
    if (!bound.ok) return;
    expect(bound.doc.nodes[0]!.config).toEqual({ minAmount: 99 });
    expect(bound.doc.nodes[1]!.config).toEqual({ duration: '48h' });
    const bad = structuredClone(doc);
    bad.parameters[1]!.default = 'lots';
    expect(codes(validateTemplate(bad))).toContain('E_PARAM_DEFAULT');
  });
});

describe('diffFlows between template versions', () => {
  it('names the changed text', () => {
    const a = exportTemplate(cup()) as { ok: true; doc: FlowDraft };
    const b = structuredClone(a.doc);
    (b.nodes[3]!.config as { message: { text: string } }).message.text =
      '新的欢迎语 {{coupon.code}}';
    const diff = diffFlows(a.doc, b);
    expect(diff.changed).toEqual(['push']);
    const change = diff.stepChanges.push![0]!;
    expect(change.after.en).toContain('新的欢迎语');
    expect(change.label.en.length).toBeGreaterThan(0);
  });
});
