import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowDoc, FlowDraft, validate, type FieldChange } from './engine';
import { blankDraft, diffFlows } from './flow-draft';

const fixture = FlowDraft.parse(
  JSON.parse(
    readFileSync(
      new URL('../../test/fixtures/flows/valid/cup-qr-coupon-vip.json', import.meta.url),
      'utf8',
    ),
  ),
);

describe('blankDraft', () => {
  it('is a well-formed draft whose only problem is having no trigger', () => {
    const draft = blankDraft('新流程', 'Asia/Shanghai');
    expect(FlowDraft.safeParse(draft).success).toBe(true);
    expect(validate(draft).map((i) => i.code)).toEqual(['E_NO_TRIGGER']);
  });
});

describe('diffFlows', () => {
  it('sees nothing between a draft and its published (defaults applied) form', () => {
    const published = FlowDraft.parse(FlowDoc.parse(fixture));
    expect(diffFlows(published, fixture).empty).toBe(true);
  });

  it('names added, removed and changed steps by id, connections and settings', () => {
    const next: FlowDraft = {
      ...fixture,
      settings: { ...fixture.settings, quietHours: { from: '22:00', to: '08:00' } },
      nodes: [
        ...fixture.nodes
          .filter((n) => n.id !== 'menu')
          .map((n) =>
            n.id === 'push'
              ? { ...n, label: 'new text' }
              : n.id === 'scan'
                ? { ...n, position: { x: 9, y: 9 } }
                : n,
          ),
        { id: 'wait', kind: 'wait.delay', config: { duration: '1d' } },
      ],
      edges: [
        ...fixture.edges.filter((e) => e.from !== 'menu' && e.to !== 'menu'),
        { id: 'e9', from: 'push', port: 'next', to: 'wait' },
      ],
    };
    const diff = diffFlows(fixture, next);
    expect(diff).toMatchObject({
      added: ['wait'],
      removed: ['menu'],
      changed: ['push'],
      settings: ['quietHours'],
      empty: false,
    });
    expect(diff.connectionsAdded).toEqual(['push.next → wait']);
    expect(diff.connectionsRemoved.sort()).toEqual(['menu.next → end', 'push.next → menu']);
  });

  it('says what changed in each step and in the settings, field by field in both languages', () => {
    const base: FlowDraft = {
      ...fixture,
      nodes: [
        ...fixture.nodes,
        {
          id: 'wait',
          kind: 'wait.event',
          label: '等回复',
          config: { event: { type: 'keyword', keywords: ['券'] }, timeout: '48h' },
        },
      ],
    };
    const next: FlowDraft = {
      ...base,
      settings: { ...base.settings, entry: { reentry: 'always' } },
      nodes: base.nodes.map((n) =>
        n.id === 'wait'
          ? {
              ...n,
              config: {
                event: { type: 'keyword', keywords: ['券'], match: 'contains' },
                timeout: '1m',
              },
            }
          : n.id === 'push'
            ? { ...n, label: '欢迎语' }
            : n,
      ),
    };
    const diff = diffFlows(base, next);
    const lines = (changes: FieldChange[], lang: 'en' | 'zh-CN') =>
      changes.map((c) => `${c.label[lang]}: ${c.before[lang]} → ${c.after[lang]}`);
    expect(lines(diff.stepChanges.wait!, 'zh-CN')).toEqual([
      '等待的事件 › 匹配方式: 完全匹配 → 包含',
      '最多等待: 48 小时 → 1 分钟',
    ]);
    expect(lines(diff.stepChanges.wait!, 'en')).toEqual([
      'Wait for › Matching: exact → contains',
      'Wait at most: 48 hours → 1 minute',
    ]);
    expect(lines(diff.stepChanges.push!, 'zh-CN')).toEqual([
      `名称: ${fixture.nodes.find((n) => n.id === 'push')!.label ?? '（未设置）'} → 欢迎语`,
    ]);
    expect(lines(diff.settingChanges, 'zh-CN')).toEqual([
      `重复进入: 每位粉丝只进入一次 → 每次都进入（每个事件一段旅程）`,
    ]);
  });
});
