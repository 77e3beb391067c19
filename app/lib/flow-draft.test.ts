import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowDoc, FlowDraft, validate } from './engine';
import { blankDraft, diffFlows } from './flow-draft';

const fixture = FlowDraft.parse(JSON.parse(readFileSync(new URL('../../test/fixtures/flows/valid/cup-qr-coupon-vip.json', import.meta.url), 'utf8')));

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
        ...fixture.nodes.filter((n) => n.id !== 'menu').map((n) => (n.id === 'push' ? { ...n, label: 'new text' } : n.id === 'scan' ? { ...n, position: { x: 9, y: 9 } } : n)),
        { id: 'wait', kind: 'wait.delay', config: { duration: '1d' } },
      ],
      edges: [...fixture.edges.filter((e) => e.from !== 'menu' && e.to !== 'menu'), { id: 'e9', from: 'push', port: 'next', to: 'wait' }],
    };
    const diff = diffFlows(fixture, next);
    expect(diff).toMatchObject({ added: ['wait'], removed: ['menu'], changed: ['push'], settings: ['quietHours'], empty: false });
    expect(diff.connectionsAdded).toEqual(['push.next → wait']);
    expect(diff.connectionsRemoved.sort()).toEqual(['menu.next → end', 'push.next → menu']);
  });
});
