import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type Issue } from '../issues';
import { invalidFixture, validFixtures } from '../../test/fixtures/flows/fixtures';
import { validate } from './index';

const codes = (issues: Issue[]) => [...new Set(issues.map((i) => i.code))].sort();

describe('valid scenario fixtures', () => {
  const fixtures = validFixtures();
  it('covers the eight seed scenarios', () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      'birthday-gift',
      'cat-food-repurchase',
      'channel-qr-source',
      'cup-qr-coupon-vip',
      'dormant-reengagement',
      'golden-48h-welcome',
      'member-tier-menu-swap',
      'nearby-store-offer',
    ]);
  });
  it.each(fixtures)('$name produces no issue at all', ({ doc }) => {
    expect(validate(doc)).toEqual([]);
  });
});

describe('one invalid fixture per code', () => {
  it.each(ISSUE_CODES.map((code) => ({ code })))('$code', ({ code }) => {
    const { doc, context } = invalidFixture(code);
    const issues = validate(doc, context);
    const found = issues.filter((i) => i.code === code);
    expect(found.length).toBeGreaterThan(0);
    // The fixture exhibits exactly this problem: no other error (warnings may follow from it).
    const otherErrors = issues.filter((i) => i.severity === 'error' && i.code !== code);
    expect(otherErrors).toEqual([]);
    if (code.startsWith('W_')) expect(codes(issues)).toEqual([code]);
    for (const i of found) {
      expect(i.severity).toBe(code.startsWith('W_') ? 'warning' : 'error');
      expect(i.message.en.length).toBeGreaterThan(10);
      expect(i.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
    if (context) {
      // Brand checks only run with a brand context.
      expect(validate(doc).some((i) => i.code === code)).toBe(false);
    }
  });
});

interface TestNode {
  id: string;
  kind: string;
  label?: string;
  config?: unknown;
}
interface TestDoc {
  format: string;
  name: string;
  nodes: TestNode[];
  edges: { id: string; from: string; port: string; to: string }[];
  [key: string]: unknown;
}

describe('issue details', () => {
  const base = (): TestDoc => ({
    format: 'fanfare.flow/v1',
    name: 't',
    nodes: [
      { id: 't', kind: 'trigger.follow', label: 'New fan', config: {} },
      { id: 'w', kind: 'wait.delay', label: 'Wait a bit', config: { duration: '2h' } },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'e1', from: 't', port: 'next', to: 'w' },
      { id: 'e2', from: 'w', port: 'next', to: 'end' },
    ],
  });

  it('accepts a minimal hand-written document (no settings, positions, labels or ports)', () => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'minimal',
      nodes: [
        { id: 'a', kind: 'trigger.keyword', config: { keywords: ['hi'] } },
        { id: 'b', kind: 'flow.end' },
      ],
      edges: [{ id: 'x', from: 'a', to: 'b' }],
    };
    expect(validate(doc)).toEqual([]);
  });

  it('E_CONFIG names the node, its field and a JSON pointer', () => {
    const doc = base();
    doc.nodes[1]!.config = { duration: '2 days' };
    const [i] = validate(doc);
    expect(i).toMatchObject({
      code: 'E_CONFIG',
      nodeId: 'w',
      path: '/nodes/1/config/duration',
      severity: 'error',
    });
    expect(i!.message.en).toContain('"Wait a bit"');
    expect(i!.message['zh-CN']).toContain('「Wait a bit」');
  });

  it('unknown fields are E_FORMAT, never dropped — in nodes, edges and settings', () => {
    const a = base();
    (a.nodes[0] as unknown as Record<string, unknown>).colour = 'red';
    expect(validate(a)).toMatchObject([{ code: 'E_FORMAT', path: '/nodes/0' }]);
    const b = { ...base(), settings: { timezone: 'Asia/Shanghai', retries: 3 } };
    expect(validate(b)).toMatchObject([{ code: 'E_FORMAT', path: '/settings' }]);
    const c = base();
    c.nodes[1]!.config = { duration: '2h', jitter: '5m' };
    expect(validate(c)).toMatchObject([{ code: 'E_CONFIG', nodeId: 'w' }]);
  });

  it('E_FORMAT for a wrong format tag and for non-objects', () => {
    expect(validate({ ...base(), format: 'fanfare.flow/v2' })[0]).toMatchObject({
      code: 'E_FORMAT',
      path: '/format',
    });
    for (const junk of [null, 42, 'flow', [], {}]) {
      const issues = validate(junk);
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.code === 'E_FORMAT')).toBe(true);
    }
  });

  it('a loop through a wait node is fine, without one it is E_LOOP_WITHOUT_WAIT', () => {
    const doc = base();
    doc.nodes[2] = { id: 'tag', kind: 'action.tag', label: 'tag', config: { add: ['x'] } };
    doc.edges[1] = { id: 'e2', from: 'w', port: 'next', to: 'tag' };
    doc.edges.push({ id: 'e3', from: 'tag', port: 'next', to: 'w' });
    expect(codes(validate(doc))).toEqual([]);
    const self = base();
    self.edges.push({ id: 'e3', from: 'end', port: 'next', to: 'end' });
    // flow.end has no port: that is E_BAD_PORT, not a loop
    expect(codes(validate(self))).toEqual(['E_BAD_PORT']);
  });

  it('W_CS_WINDOW: a keyword reply reopens the window, a long wait or a sweep closes it', () => {
    const push = {
      id: 'p',
      kind: 'action.push',
      label: 'Hi',
      config: { channel: 'customer_service', message: { type: 'text', text: 'hi' } },
    };
    const doc = (trigger: object, wait: object | null) => ({
      format: 'fanfare.flow/v1',
      name: 'w',
      nodes: [
        { id: 't', label: 'T', ...trigger } as TestNode,
        ...(wait ? [{ id: 'w', label: 'W', ...wait }] : []),
        push,
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [
        ...(wait
          ? [
              { id: 'a', from: 't', port: 'next', to: 'w' },
              {
                id: 'b',
                from: 'w',
                port: 'matched' in wait ? 'next' : ((wait as { port?: string }).port ?? 'next'),
                to: 'p',
              },
            ]
          : [{ id: 'a', from: 't', port: 'next', to: 'p' }]),
        { id: 'c', from: 'p', port: 'next', to: 'end' },
      ],
    });
    const follow = { kind: 'trigger.follow', config: {} };
    expect(codes(validate(doc(follow, null)))).toEqual([]);
    expect(
      codes(validate(doc(follow, { kind: 'wait.delay', config: { duration: '47h' } }))),
    ).toEqual([]);
    expect(
      codes(validate(doc(follow, { kind: 'wait.delay', config: { duration: '2d' } }))),
    ).toEqual(['W_CS_WINDOW']);
    expect(
      codes(
        validate(doc({ kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } }, null)),
      ),
    ).toEqual(['W_CS_WINDOW']);
    const replied = doc({ kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } }, null);
    replied.nodes.splice(1, 0, {
      id: 'w',
      label: 'W',
      kind: 'wait.event',
      config: { event: { type: 'keyword' }, timeout: '1d' },
    });
    replied.edges = [
      { id: 'a', from: 't', port: 'next', to: 'w' },
      { id: 'b', from: 'w', port: 'matched', to: 'p' },
      { id: 'd', from: 'w', port: 'timeout', to: 'end' },
      { id: 'c', from: 'p', port: 'next', to: 'end' },
    ];
    expect(codes(validate(replied))).toEqual([]);
  });

  it('placeholders: unknown variables are E_CONFIG, {{coupon.*}} needs a coupon before', () => {
    const doc = base();
    doc.nodes[1] = {
      id: 'w',
      kind: 'action.push',
      label: 'Msg',
      config: { message: { type: 'text', text: 'Hi {{follower.nickname}}' } },
    };
    expect(validate(doc)).toMatchObject([
      { code: 'E_CONFIG', nodeId: 'w', path: '/nodes/1/config/message/text' },
    ]);
    doc.nodes[1]!.config = { message: { type: 'text', text: 'Code {{coupon.code}}' } };
    expect(codes(validate(doc))).toEqual(['E_CONFIG']);
    doc.nodes[1]!.config = {
      message: {
        type: 'text',
        text: 'Hi {{follower.city}} {{event.scene}} {{follower.attributes.pet}}',
      },
    };
    expect(validate(doc)).toEqual([]);
    doc.nodes[1]!.config = { message: { type: 'text', text: 'Hi {{#follower.city}}' } };
    expect(codes(validate(doc))).toEqual(['E_CONFIG']);
  });

  it('a declared parameter binds {{params.x}}', () => {
    const doc = { ...base(), parameters: [{ name: 'hello', kind: 'text', label: 'Greeting' }] };
    doc.nodes[1] = {
      id: 'w',
      kind: 'action.push',
      label: 'Msg',
      config: { message: { type: 'text', text: '{{params.hello}}' } },
    };
    expect(validate(doc)).toEqual([]);
  });

  it('brand context: known resources pass, per-follower tag budget counts one journey', () => {
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}`);
    const doc = base();
    doc.nodes[1] = { id: 'w', kind: 'action.tag', label: 'Many tags', config: { add: tags } };
    const brand = { tags, couponPools: [], menus: [], templates: [], accountTagCount: 21 };
    expect(validate(doc, brand)).toMatchObject([{ code: 'E_TAG_BUDGET', nodeId: 't' }]);
    doc.nodes[1]!.config = { add: tags.slice(0, 20) };
    expect(validate(doc, brand)).toEqual([]);
    doc.nodes[1]!.config = { add: [], remove: ['unknown-tag'] };
    expect(validate(doc, brand)).toMatchObject([
      { code: 'E_UNKNOWN_RESOURCE', path: '/nodes/1/config/remove/0' },
    ]);
  });
});
