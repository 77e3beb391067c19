import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type Issue } from '../issues';
import { invalidFixture, validFixtures } from '../../test/fixtures/flows/fixtures';
import { validate } from './index';

/** Follow → one push with this config. */
const line1 = (config: unknown) => ({
  format: 'fanfare.flow/v1',
  name: 'one push',
  nodes: [
    { id: 't', label: 'T', kind: 'trigger.follow', config: {} },
    { id: 'p', label: 'P', kind: 'action.push', config },
  ],
  edges: [{ id: 'e', from: 't', port: 'next', to: 'p' }],
});

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

  describe('W_CS_WINDOW follows the real customer-service quota along every path', () => {
    type Step = { kind: string; config?: unknown; id?: string };
    /** trigger → steps… in a line; returns the document. */
    const line = (trigger: Step, ...steps: Step[]) => {
      const nodes = [trigger, ...steps].map((s, i) => ({
        id: s.id ?? `n${i}`,
        label: `step ${i}`,
        kind: s.kind,
        ...(s.config ? { config: s.config } : {}),
      }));
      return {
        format: 'fanfare.flow/v1',
        name: 'quota',
        nodes: nodes as TestNode[],
        edges: nodes
          .slice(1)
          .map((n, i) => ({ id: `e${i}`, from: nodes[i]!.id, port: 'next', to: n.id })),
      };
    };
    const follow: Step = { kind: 'trigger.follow', config: {} };
    const keyword: Step = { kind: 'trigger.keyword', config: { keywords: ['好'] } };
    const purchase: Step = { kind: 'trigger.purchase', config: {} };
    const wait = (duration: string): Step => ({ kind: 'wait.delay', config: { duration } });
    const text = { type: 'text', text: 'hi' };
    const fallback = { type: 'template', templateId: 'notice', data: { thing1: 'hi' } };
    const cs: Step = {
      kind: 'action.push',
      config: { channel: 'customer_service', message: text },
    };
    const auto: Step = { kind: 'action.push', config: { channel: 'auto', message: text } };
    const autoFb: Step = {
      kind: 'action.push',
      config: { channel: 'auto', message: text, fallback },
    };
    const warned = (doc: unknown) =>
      validate(doc)
        .filter((i) => i.code === 'W_CS_WINDOW')
        .map((i) => i.nodeId);

    it('follow → wait 10 m → customer-service push warns, and says what to do', () => {
      const issues = validate(line(follow, wait('10m'), cs)).filter(
        (i) => i.code === 'W_CS_WINDOW',
      );
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ nodeId: 'n2', path: '/nodes/2/config/channel' });
      expect(issues[0]!.message.en).toMatch(/1 minute/);
      expect(issues[0]!.message.en).toMatch(/template fallback/);
      expect(issues[0]!.message.en).toMatch(/before the wait/);
      expect(issues[0]!.message.en).toMatch(/reply/);
      expect(issues[0]!.message['zh-CN']).toMatch(/备用模板消息/);
      expect(issues[0]!.message['zh-CN']).toMatch(/1 分钟/);
    });

    it('a follow opens 3 messages within a minute: the 4th, or any after a 1-minute wait, warns', () => {
      expect(warned(line(follow, cs))).toEqual([]);
      expect(warned(line(follow, cs, cs, cs))).toEqual([]);
      expect(warned(line(follow, cs, cs, cs, cs))).toEqual(['n4']);
      expect(warned(line(follow, wait('1m'), cs))).toEqual(['n2']);
      // a template push spends nothing
      const tpl: Step = {
        kind: 'action.push',
        config: { channel: 'template', message: fallback },
      };
      expect(warned(line(follow, cs, tpl, cs, cs))).toEqual([]);
      // QR scans and menu clicks are the same
      const scan: Step = { kind: 'trigger.qr_scan', config: {} };
      expect(warned(line(scan, wait('1m'), cs))).toEqual(['n2']);
      const click: Step = { kind: 'trigger.menu_click', config: { keys: ['K'] } };
      expect(warned(line(click, cs, cs, cs, cs))).toEqual(['n4']);
    });

    it('a keyword opens 5 messages within 48 hours', () => {
      expect(warned(line(keyword, wait('2h'), cs))).toEqual([]);
      expect(warned(line(keyword, wait('47h'), cs, cs, cs, cs, cs))).toEqual([]);
      expect(warned(line(keyword, cs, cs, cs, cs, cs, cs))).toEqual(['n6']);
      expect(warned(line(keyword, wait('2d'), cs))).toEqual(['n2']);
      expect(warned(line(keyword, wait('24h'), wait('24h'), cs))).toEqual(['n3']);
    });

    it('an audience broadcast: an auto text or image push goes out by mass send, anything else warns', () => {
      const audience: Step = {
        kind: 'trigger.audience',
        config: {
          at: '2026-12-01T10:00:00',
          audience: {
            all: [{ fact: 'follower', path: '$.tier', operator: 'equal', value: 'gold' }],
          },
        },
      };
      const image: Step = {
        kind: 'action.push',
        config: { channel: 'auto', message: { type: 'image', mediaId: 'MEDIA' } },
      };
      const news: Step = {
        kind: 'action.push',
        config: {
          channel: 'auto',
          message: { type: 'news', articles: [{ title: 't', url: 'https://example.com/a' }] },
        },
      };
      expect(warned(line(audience, auto))).toEqual([]);
      expect(warned(line(audience, wait('1d'), image))).toEqual([]);
      expect(warned(line(audience, cs))).toEqual(['n1']);
      expect(warned(line(audience, news))).toEqual(['n1']);
    });

    it('an auto push without a fallback warns the same way, naming the missing fallback', () => {
      const [never] = validate(line(purchase, auto)).filter((i) => i.code === 'W_CS_WINDOW');
      expect(never).toMatchObject({ nodeId: 'n1', path: '/nodes/1/config/fallback' });
      expect(never!.message.en).toMatch(/can never go out as a customer-service message/);
      expect(never!.message.en).toMatch(/Template fallback/);
      expect(never!.message['zh-CN']).toMatch(/永远无法/);
      expect(warned(line(follow, wait('1h'), auto))).toEqual(['n2']);
      expect(warned(line(follow, auto, auto, auto))).toEqual([]);
      expect(warned(line(follow, auto, auto, auto, auto))).toEqual(['n4']);
    });

    it('with a template fallback nothing is reported', () => {
      expect(warned(line(purchase, autoFb))).toEqual([]);
      expect(warned(line(follow, autoFb, autoFb, autoFb, autoFb))).toEqual([]);
      expect(warned(line(follow, wait('10m'), autoFb))).toEqual([]);
    });

    it('sweeps, purchases and custom events open no quota', () => {
      const triggers: Step[] = [
        { kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } },
        purchase,
        { kind: 'trigger.event', config: { name: 'signup' } },
      ];
      for (const t of triggers) expect(warned(line(t, cs))).toEqual(['n1']);
    });

    it('a keyword awaited by wait.event opens 5 / 48 h on its matched port; its timeout does not', () => {
      const doc = line(
        { kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } },
        {
          id: 'w',
          kind: 'wait.event',
          config: { event: { type: 'keyword', keywords: ['好'] }, timeout: '1d' },
        },
      );
      doc.nodes.push(
        { id: 'yes', label: 'yes', kind: 'action.push', config: cs.config } as TestNode,
        { id: 'no', label: 'no', kind: 'action.push', config: cs.config } as TestNode,
      );
      doc.edges = [
        { id: 'a', from: 'n0', port: 'next', to: 'w' },
        { id: 'b', from: 'w', port: 'matched', to: 'yes' },
        { id: 'c', from: 'w', port: 'timeout', to: 'no' },
      ];
      expect(warned(doc)).toEqual(['no']);
      expect(codes(validate(doc))).toEqual(['W_CS_WINDOW']);
    });

    it('two paths: the worst one counts (a push reached late on one branch warns)', () => {
      const doc = line(follow, { id: 's', kind: 'split.random', config: { branches: [] } });
      doc.nodes = [
        doc.nodes[0]!,
        {
          id: 's',
          label: 's',
          kind: 'split.random',
          config: {
            branches: [
              { port: 'a', percent: 50 },
              { port: 'b', percent: 50 },
            ],
          },
        } as TestNode,
        { id: 'w', label: 'w', kind: 'wait.delay', config: { duration: '5m' } } as TestNode,
        { id: 'p', label: 'p', kind: 'action.push', config: cs.config } as TestNode,
      ];
      doc.edges = [
        { id: 'a', from: 'n0', port: 'next', to: 's' },
        { id: 'b', from: 's', port: 'a', to: 'p' },
        { id: 'c', from: 's', port: 'b', to: 'w' },
        { id: 'd', from: 'w', port: 'next', to: 'p' },
      ];
      expect(warned(doc)).toEqual(['p']);
      expect(codes(validate(doc))).toEqual(['W_CS_WINDOW']);
    });
  });

  it('a news message carries one article (E_CONFIG)', () => {
    const article = { title: 'A', url: 'https://example.com/a' };
    const doc = line1({
      channel: 'customer_service',
      message: { type: 'news', articles: [article] },
    });
    expect(validate(doc)).toEqual([]);
    const two = line1({
      channel: 'customer_service',
      message: { type: 'news', articles: [article, { ...article, title: 'B' }] },
    });
    const issues = validate(two);
    expect(codes(issues)).toEqual(['E_CONFIG']);
    expect(issues[0]!.message.en).toMatch(/one article/);
    expect(issues[0]!.message['zh-CN']).toMatch(/一篇/);
  });

  it('a fallback only goes with the automatic channel and a non-template message (E_CONFIG)', () => {
    const fallback = { type: 'template', templateId: 'notice', data: { thing1: 'x' } };
    const text = { type: 'text', text: 'hi' };
    expect(validate(line1({ channel: 'auto', message: text, fallback }))).toEqual([]);
    expect(
      codes(validate(line1({ channel: 'customer_service', message: text, fallback }))),
    ).toEqual(['E_CONFIG']);
    expect(codes(validate(line1({ channel: 'auto', message: fallback, fallback })))).toEqual([
      'E_CONFIG',
    ]);
    // its placeholders are checked like the message's
    const bad = { ...fallback, data: { thing1: '{{follower.nickname}}' } };
    expect(validate(line1({ channel: 'auto', message: text, fallback: bad }))).toMatchObject([
      { code: 'E_CONFIG', path: '/nodes/1/config/fallback/data/thing1' },
    ]);
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

describe('tags a flow adds itself (publishing on a brand that has no tags yet)', () => {
  const noTags = { tags: [], couponPools: [], menus: [], templates: [] };
  const lacks = (tag: string) => ({
    all: [{ fact: 'follower', path: '$.tags', operator: 'lacksTag', value: tag }],
  });
  /** scan → lacksTag cup-vip? → tag add [added]; settings as given. */
  const flow = (added: string[], settings: Record<string, unknown> = {}, condTag = 'cup-vip') => ({
    format: 'fanfare.flow/v1',
    name: 'cup vip',
    settings,
    nodes: [
      { id: 'scan', kind: 'trigger.qr_scan', label: 'Scan', config: { scenes: ['cup-*'] } },
      {
        id: 'new',
        kind: 'condition.rules',
        label: 'Not VIP yet',
        config: { rules: lacks(condTag) },
      },
      { id: 'tag', kind: 'action.tag', label: 'Make VIP', config: { add: added } },
      { id: 'end', kind: 'flow.end', label: 'End' },
    ],
    edges: [
      { id: 'a', from: 'scan', port: 'next', to: 'new' },
      { id: 'b', from: 'new', port: 'yes', to: 'tag' },
      { id: 'c', from: 'new', port: 'no', to: 'end' },
      { id: 'd', from: 'tag', port: 'next', to: 'end' },
    ],
  });
  const goalTag = { goal: { event: { type: 'tag_added', tag: 'cup-vip' }, within: '7d' } };
  const exitTag = { exitOn: [{ type: 'tag_added', tag: 'cup-vip' }] };
  const whereTag = {
    exitOn: [{ type: 'custom', name: 'order', where: lacks('cup-vip') }],
  };

  it.each([
    ['a condition on a tag the flow adds', flow(['cup-vip']), []],
    ['a condition on a tag nobody adds', flow(['other']), ['E_UNKNOWN_RESOURCE']],
    ['a goal on a tag the flow adds', flow(['cup-vip'], goalTag), []],
    ['a goal on a tag nobody adds', flow(['x'], goalTag, 'x'), ['E_UNKNOWN_RESOURCE']],
    ['an exit on a tag the flow adds', flow(['cup-vip'], exitTag), []],
    ['an exit rule on a tag the flow adds', flow(['cup-vip'], whereTag), []],
    ['an exit rule on a tag nobody adds', flow(['x'], whereTag, 'x'), ['E_UNKNOWN_RESOURCE']],
    // A placeholder tag's values are unknown: it makes no literal tag known.
    [
      'a condition next to a placeholder tag',
      flow(['{{event.scene}}']),
      ['E_UNKNOWN_RESOURCE', 'W_TAG_BUDGET'],
    ],
  ])('%s', (_, doc, expected) => {
    expect(codes(validate(doc, noTags))).toEqual(expected);
  });

  it('the acceptance flow: lacksTag cup-vip → add cup-vip and src_{{event.scene}}', () => {
    const issues = validate(flow(['cup-vip', 'src_{{event.scene}}']), noTags);
    expect(issues).toMatchObject([
      { code: 'W_TAG_BUDGET', severity: 'warning', nodeId: 'tag', path: '/nodes/2/config/add/1' },
    ]);
    expect(issues[0]!.message.en).toContain('src_{{event.scene}}');
    expect(issues[0]!.message.en).toContain('room for 99 more');
    expect(issues[0]!.message['zh-CN']).toContain('还可新建 99 个标签');
    // Without a brand there is no budget to speak of.
    expect(validate(flow(['cup-vip', 'src_{{event.scene}}']))).toEqual([]);
  });
});

describe('tag names (WeChat: non-empty, at most 30 bytes, not reserved)', () => {
  const withTag = (add: string[]) => ({
    format: 'fanfare.flow/v1',
    name: 't',
    nodes: [
      { id: 't', kind: 'trigger.follow', label: 'New fan', config: {} },
      { id: 'tag', kind: 'action.tag', label: 'Tag', config: { add } },
      { id: 'end', kind: 'flow.end', label: 'End' },
    ],
    edges: [
      { id: 'a', from: 't', port: 'next', to: 'tag' },
      { id: 'b', from: 'tag', port: 'next', to: 'end' },
    ],
  });
  it.each([
    ['src_store', []],
    ['十个汉字十个汉字十个', []],
    ['十个汉字十个汉字十个字', ['E_CONFIG']],
    ['src_{{event.scene}}', []],
    // The literal part alone is already too long: every rendering would be refused.
    ['a_very_long_source_prefix_name_{{event.scene}}', ['E_CONFIG']],
    ['{{params.tag}}', ['E_UNBOUND_PARAM']],
    ['menu:vip', ['E_CONFIG']],
    ['menu:{{event.scene}}', ['E_CONFIG']],
    ['星标组', ['E_CONFIG']],
    ['  ', ['E_CONFIG']],
  ])('%s', (tag, expected) => {
    expect(codes(validate(withTag([tag])))).toEqual(expected);
  });
});

describe('W_OPEN_PORT: only a branch that silently goes nowhere', () => {
  const CONDITION = {
    rules: { all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: '北京' }] },
  };
  const SPLIT = {
    branches: [
      { port: 'A', percent: 50 },
      { port: 'B', percent: 50 },
    ],
  };
  // The step under test follows a trigger; `linked` ports lead to an end, the rest stay open.
  it.each([
    { kind: 'action.tag', config: { add: ['x'] }, linked: [], open: [] },
    {
      kind: 'action.push',
      config: { message: { type: 'text', text: 'hi' } },
      linked: [],
      open: [],
    },
    { kind: 'action.coupon', config: { pool: 'p' }, linked: [], open: [] },
    { kind: 'condition.rules', config: CONDITION, linked: ['yes'], open: ['no'] },
    { kind: 'condition.rules', config: CONDITION, linked: [], open: ['yes', 'no'] },
    { kind: 'split.random', config: SPLIT, linked: ['A'], open: ['B'] },
    { kind: 'wait.delay', config: { duration: '1d' }, linked: [], open: ['next'] },
    { kind: 'wait.until', config: { at: '09:00' }, linked: [], open: ['next'] },
    {
      kind: 'wait.event',
      config: { event: { type: 'purchase' }, timeout: '1d' },
      linked: ['matched'],
      open: ['timeout'],
    },
  ])('$kind with $linked linked warns for $open', ({ kind, config, linked, open }) => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'open ports',
      nodes: [
        { id: 't', kind: 'trigger.follow' },
        { id: 's', kind, config },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [
        { id: 'a', from: 't', to: 's' },
        ...linked.map((port) => ({ id: `to-${port}`, from: 's', port, to: 'end' })),
      ],
    };
    const issues = validate(doc);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const warned = issues.filter((i) => i.code === 'W_OPEN_PORT');
    expect(warned).toHaveLength(open.length);
    for (const i of warned) expect(i).toMatchObject({ nodeId: 's', path: '/nodes/1' });
  });

  it('a trigger with nothing after it is not an open branch either', () => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'lone trigger',
      nodes: [{ id: 't', kind: 'trigger.follow' }],
      edges: [],
    };
    expect(validate(doc)).toEqual([]);
  });
});

describe('a keyword matcher: the trigger’s match modes, and at least one keyword', () => {
  const waitFor = (event: unknown) => ({
    format: 'fanfare.flow/v1',
    name: 'keyword',
    nodes: [
      { id: 't', kind: 'trigger.follow' },
      { id: 'w', kind: 'wait.event', config: { event, timeout: '1d' } },
      { id: 'end', kind: 'flow.end' },
    ],
    edges: [
      { id: 'a', from: 't', to: 'w' },
      { id: 'b', from: 'w', port: 'matched', to: 'end' },
      { id: 'c', from: 'w', port: 'timeout', to: 'end' },
    ],
  });
  it.each([
    { event: { type: 'keyword', keywords: ['券'] }, issue: null },
    { event: { type: 'keyword', keywords: ['券'], match: 'contains' }, issue: null },
    { event: { type: 'keyword', keywords: ['^VIP\\d+$'], match: 'regex' }, issue: null },
    { event: { type: 'keyword' }, issue: '/nodes/1/config/event/keywords' },
    { event: { type: 'keyword', keywords: [] }, issue: '/nodes/1/config/event/keywords' },
    { event: { type: 'keyword', keywords: [' '] }, issue: '/nodes/1/config/event/keywords/0' },
    {
      event: { type: 'keyword', keywords: ['('], match: 'regex' },
      issue: '/nodes/1/config/event/keywords/0',
    },
    {
      event: { type: 'keyword', keywords: ['券'], match: 'fuzzy' },
      issue: '/nodes/1/config/event/match',
    },
  ])('$event → $issue', ({ event, issue }) => {
    const issues = validate(waitFor(event));
    if (issue === null) expect(issues).toEqual([]);
    else expect(issues).toMatchObject([{ code: 'E_CONFIG', nodeId: 'w', path: issue }]);
  });

  it('the same in exit events and the goal', () => {
    const doc = {
      ...waitFor({ type: 'purchase' }),
      settings: {
        exitOn: [{ type: 'keyword' }],
        goal: { event: { type: 'keyword', keywords: [] }, within: '1d' },
      },
    };
    expect(
      validate(doc)
        .map((i) => i.path)
        .sort(),
    ).toEqual(['/settings/exitOn/0/keywords', '/settings/goal/event/keywords']);
  });
});

describe('an empty duration is an error on its field', () => {
  it.each([
    { duration: '', en: 'needs a number' },
    { duration: 'h', en: 'needs a number' },
    { duration: 'd', en: 'needs a number' },
    { duration: '0h', en: 'should be a duration' },
    { duration: '48x', en: 'should be a duration' },
  ])('"$duration"', ({ duration, en }) => {
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'wait',
      nodes: [
        { id: 't', kind: 'trigger.follow' },
        { id: 'w', kind: 'wait.delay', config: { duration } },
        { id: 'end', kind: 'flow.end' },
      ],
      edges: [
        { id: 'a', from: 't', to: 'w' },
        { id: 'b', from: 'w', to: 'end' },
      ],
    };
    const [issue, ...rest] = validate(doc);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ code: 'E_CONFIG', path: '/nodes/1/config/duration' });
    expect(issue!.message.en).toContain(`"Wait for" ${en}`);
  });
});
