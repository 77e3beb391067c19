import { describe, expect, it } from 'vitest';
import { FlowDoc } from '../schema/flow-doc';
import { validFixtures } from '../../test/fixtures/flows/fixtures';
import { validate } from '../validate/index';
import { NODE_KINDS, nodeSpecs, type NodeKind } from './index';

/** One valid config per kind: a new kind does not compile until it has a sample here too. */
const SAMPLE: Record<NodeKind, unknown> = {
  'trigger.follow': { scenes: ['cup*'], firstTimeOnly: true },
  'trigger.unfollow': {},
  'trigger.qr_scan': { scenes: ['store_1'], who: 'existing' },
  'trigger.keyword': { keywords: ['^vip\\d+$'], match: 'regex' },
  'trigger.menu_click': { keys: ['MENU_VIP'] },
  'trigger.location': { center: { lat: 39.9, lng: 116.4 }, radiusM: 300 },
  'trigger.birthday': { daysBefore: 0, at: '00:00' },
  'trigger.repurchase_due': { daysBefore: 3, at: '20:00' },
  'trigger.purchase': { category: 'coffee', minAmount: 30 },
  'trigger.tag_added': { tag: 'vip' },
  'trigger.event': { name: 'form_submitted' },
  'trigger.audience': {
    at: '2025-12-24T20:00',
    audience: { all: [{ fact: 'follower', path: '$.city', operator: 'equal', value: '北京' }] },
  },
  'condition.rules': {
    rules: { not: { fact: 'journey', path: '$.coupon.code', operator: 'equal', value: null } },
  },
  'split.random': {
    branches: [
      { port: 'A', percent: 34 },
      { port: 'B', percent: 33 },
      { port: 'C', percent: 33 },
    ],
  },
  'wait.delay': { duration: '30m' },
  'wait.until': { at: '09:00', weekdays: [1, 2, 3, 4, 5] },
  'wait.event': { event: { type: 'menu_click', keys: ['BUY'] }, timeout: '1w' },
  'flow.end': {},
  'action.tag': { add: ['a'], remove: ['b'] },
  'action.coupon': { pool: 'p' },
  'action.push': {
    channel: 'auto',
    message: {
      type: 'miniprogram',
      title: 't',
      appId: 'wx1',
      pagePath: 'pages/i',
      thumbMediaId: 'm',
    },
  },
  'action.menu_swap': { menu: 'gold' },
  'action.update_profile': {
    set: { gender: 'female', birthday: '02-29', attributes: { pet: 'cat' } },
  },
  'action.webhook': {
    url: 'https://crm.example.com/hook',
    body: { openid: '{{follower.openid}}', n: 1 },
  },
};

describe('the node catalog', () => {
  it.each(NODE_KINDS.map((k) => ({ kind: k })))(
    '$kind: registered under its own kind, bilingual, sample config valid',
    ({ kind }) => {
      const spec = nodeSpecs[kind];
      expect(spec.kind).toBe(kind);
      expect(kind.startsWith(spec.category === 'logic' ? '' : `${spec.category}.`)).toBe(true);
      expect(spec.title.en).toBeTruthy();
      expect(spec.title['zh-CN']).toBeTruthy();
      expect(
        (spec.config as { safeParse(v: unknown): { success: boolean } }).safeParse(SAMPLE[kind])
          .success,
      ).toBe(true);
      expect(
        (spec.config as { safeParse(v: unknown): { success: boolean } }).safeParse({
          ...(SAMPLE[kind] as object),
          unknownField: 1,
        }).success,
      ).toBe(false);
    },
  );

  it('split.random ports come from its branches', () => {
    const cfg = nodeSpecs['split.random'].config.parse(SAMPLE['split.random']);
    expect(nodeSpecs['split.random'].ports(cfg)).toEqual(['A', 'B', 'C']);
    expect(
      nodeSpecs['split.random'].config.safeParse({
        branches: [
          { port: 'A', percent: 50 },
          { port: 'A', percent: 50 },
        ],
      }).success,
    ).toBe(false);
  });

  it('FlowDoc parses a valid document into typed nodes with defaults applied', () => {
    const doc = FlowDoc.parse(validFixtures().find((f) => f.name === 'golden-48h-welcome')!.doc);
    const silent = doc.nodes.find((n) => n.id === 'silent')!;
    expect(silent.kind).toBe('action.tag');
    if (silent.kind === 'action.tag')
      expect(silent.config).toEqual({ add: ['silent_new'], remove: [] });
    expect(
      FlowDoc.safeParse({
        ...doc,
        nodes: [{ id: 'x', kind: 'wait.delay', config: { duration: 'x' } }],
      }).success,
    ).toBe(false);
  });

  it('push channel and message type must agree', () => {
    const bad = {
      channel: 'customer_service',
      message: { type: 'template', templateId: 'T', data: {} },
    };
    expect(nodeSpecs['action.push'].config.safeParse(bad).success).toBe(false);
    const doc = {
      format: 'fanfare.flow/v1',
      name: 'x',
      nodes: [
        { id: 't', kind: 'trigger.follow' },
        {
          id: 'p',
          kind: 'action.push',
          config: { channel: 'template', message: { type: 'text', text: 'hi' } },
        },
        { id: 'e', kind: 'flow.end' },
      ],
      edges: [
        { id: '1', from: 't', to: 'p' },
        { id: '2', from: 'p', to: 'e' },
      ],
    };
    expect(validate(doc)).toMatchObject([
      { code: 'E_CONFIG', nodeId: 'p', path: '/nodes/1/config/channel' },
    ]);
  });
});
