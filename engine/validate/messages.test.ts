/**
 * Every message a marketer can see speaks their language: a field by its label in the panel,
 * a port by its label on the canvas, a step by its label or its kind's name — in both
 * languages. A large table of broken documents (every code the validator produces, and every
 * node kind's config broken in several ways) is validated, and any message that contains a
 * raw field path, an internal field name, a port id in quotes or a node id fails the test.
 *
 * A new issue: add a row here that produces it (the coverage test below insists).
 */
import { describe, expect, it } from 'vitest';
import { ISSUE_CODES, type Issue, type IssueCode } from '../issues';
import { NAMED_PORTS, nodeSpecs } from '../nodes/index';
import { DOCUMENT_FIELDS } from '../schema/labels';
import { validate, type BrandContext } from './index';

interface Row {
  name: string;
  doc: unknown;
  brand?: BrandContext;
  /** Codes this document must produce (others may follow). */
  codes: IssueCode[];
}

type N = { id: string; kind: string; label?: string; config?: unknown };
type E = { id: string; from: string; port?: string; to: string };

const doc = (nodes: N[], edges: E[], extra: Record<string, unknown> = {}) => ({
  format: 'fanfare.flow/v1',
  name: '测试流程',
  nodes,
  edges,
  ...extra,
});

/** A follow trigger (n1) → the step under test (n2) → an end (n3) when it continues. */
function step(kind: string, config: unknown, label?: string): unknown {
  const node: N = { id: 'n2', kind, config, ...(label ? { label } : {}) };
  const nodes: N[] = [{ id: 'n1', kind: 'trigger.follow', config: {} }, node];
  const edges: E[] = [{ id: 'e1', from: 'n1', to: 'n2' }];
  return doc(nodes, edges);
}

/** A trigger under test (n1) → an end (n2). */
function trigger(kind: string, config: unknown, label?: string): unknown {
  return doc(
    [
      { id: 'n1', kind, config, ...(label ? { label } : {}) },
      { id: 'n2', kind: 'flow.end' },
    ],
    [{ id: 'e1', from: 'n1', to: 'n2' }],
  );
}

const validSteps = (extra: Record<string, unknown>) =>
  doc(
    [
      { id: 'n1', kind: 'trigger.follow', config: {} },
      { id: 'n2', kind: 'flow.end' },
    ],
    [{ id: 'e1', from: 'n1', to: 'n2' }],
    extra,
  );

const brand: BrandContext = {
  tags: ['会员'],
  couponPools: ['新人券'],
  menus: ['默认菜单'],
  templates: ['TPL_OK'],
  qrScenes: ['cup_2024'],
};

const leaf = (path: string, operator: string, value: unknown, fact = 'follower') => ({
  fact,
  path,
  operator,
  value,
});

const ROWS: Row[] = [
  // --- the document itself -----------------------------------------------------------------
  {
    name: 'wrong format',
    doc: { ...validSteps({}), format: 'fanfare.flow/v2' },
    codes: ['E_FORMAT'],
  },
  { name: 'not an object', doc: null, codes: ['E_FORMAT'] },
  { name: 'a list', doc: [], codes: ['E_FORMAT'] },
  {
    name: 'no nodes',
    doc: { format: 'fanfare.flow/v1', name: 'x', edges: [] },
    codes: ['E_FORMAT'],
  },
  {
    name: 'unknown field on a step',
    doc: doc([{ id: 'n1', kind: 'trigger.follow', colour: 'red' } as N], []),
    codes: ['E_FORMAT'],
  },
  {
    name: 'a step without an id',
    doc: doc([{ id: '', kind: 'trigger.follow' }], []),
    codes: ['E_FORMAT'],
  },
  {
    name: 'a connection without its end',
    doc: doc([{ id: 'n1', kind: 'trigger.follow' }], [{ id: 'e1', from: 'n1' } as E]),
    codes: ['E_FORMAT'],
  },
  { name: 'unknown setting', doc: validSteps({ settings: { retries: 3 } }), codes: ['E_FORMAT'] },
  {
    name: 'bad re-entry',
    doc: validSteps({ settings: { entry: { reentry: 'twice' } } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'bad time zone',
    doc: validSteps({ settings: { timezone: 'Mars/Base' } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'quiet hours of no length',
    doc: validSteps({ settings: { quietHours: { from: '22:00', to: '22:00' } } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'frequency cap without a period',
    doc: validSteps({ settings: { frequencyCap: { max: 0, per: 'h' } } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'keyword exit event without keywords',
    doc: validSteps({ settings: { exitOn: [{ type: 'keyword' }] } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'exit event of an unknown type',
    doc: validSteps({ settings: { exitOn: [{ type: 'sms' }] } }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'goal with a bad time limit and rules',
    doc: validSteps({
      settings: {
        goal: {
          event: { type: 'custom', name: 'paid', where: { all: [leaf('$.nope', 'equal', 1)] } },
          within: '7 days',
        },
      },
    }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'a parameter declared twice, one badly named',
    doc: validSteps({
      parameters: [
        { name: 'welcome_pool', kind: 'couponPool' },
        { name: 'welcome_pool', kind: 'couponPool' },
      ],
    }),
    codes: ['E_FORMAT'],
  },
  {
    name: 'a badly named parameter',
    doc: validSteps({ parameters: [{ name: 'my pool', kind: 'shoe' }] }),
    codes: ['E_FORMAT'],
  },

  // --- structure ------------------------------------------------------------------------------
  { name: 'empty flow', doc: doc([], []), codes: ['E_NO_TRIGGER'] },
  { name: 'no trigger', doc: doc([{ id: 'n4', kind: 'flow.end' }], []), codes: ['E_NO_TRIGGER'] },
  {
    name: 'unknown kind, labelled',
    doc: step('action.sms', { text: 'hi' }, '发短信'),
    codes: ['E_UNKNOWN_KIND'],
  },
  { name: 'unknown kind, unlabelled', doc: step('trigger.weather', {}), codes: ['E_UNKNOWN_KIND'] },
  {
    name: 'two steps with one id',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow', label: '关注' },
        { id: 'n1', kind: 'flow.end' },
      ],
      [],
    ),
    codes: ['E_DUPLICATE_ID'],
  },
  {
    name: 'two connections with one id',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'wait.delay', config: { duration: '1h' } },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e1', from: 'n2', to: 'n3' },
      ],
    ),
    codes: ['E_DUPLICATE_ID'],
  },
  {
    name: 'connection to nowhere',
    doc: doc([{ id: 'n1', kind: 'trigger.follow' }], [{ id: 'e1', from: 'n1', to: 'n9' }]),
    codes: ['E_DANGLING_EDGE'],
  },
  {
    name: 'connection from nowhere',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n8', to: 'n2' },
      ],
    ),
    codes: ['E_DANGLING_EDGE'],
  },
  {
    name: 'connection between ghosts',
    doc: doc([{ id: 'n1', kind: 'trigger.follow' }], [{ id: 'e1', from: 'n7', to: 'n8' }]),
    codes: ['E_DANGLING_EDGE'],
  },
  {
    name: 'an action leaves by "yes"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'action.tag', config: { add: ['新粉'] } },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
      ],
    ),
    codes: ['E_BAD_PORT'],
  },
  {
    name: 'an end leaves by "next"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'flow.end' },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', to: 'n3' },
      ],
    ),
    codes: ['E_BAD_PORT'],
  },
  {
    name: 'a condition leaves by "maybe"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        {
          id: 'n2',
          kind: 'condition.rules',
          label: '是会员吗',
          config: { rules: { all: [leaf('$.tags', 'hasTag', '会员')] } },
        },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'maybe', to: 'n3' },
        { id: 'e3', from: 'n2', port: 'yes', to: 'n3' },
        { id: 'e4', from: 'n2', port: 'no', to: 'n3' },
      ],
    ),
    codes: ['E_BAD_PORT'],
  },
  {
    name: 'two connections from "yes"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        {
          id: 'n2',
          kind: 'condition.rules',
          config: { rules: { all: [leaf('$.tags', 'hasTag', '会员')] } },
        },
        { id: 'n3', kind: 'flow.end' },
        { id: 'n4', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
        { id: 'e3', from: 'n2', port: 'yes', to: 'n4' },
        { id: 'e4', from: 'n2', port: 'no', to: 'n4' },
      ],
    ),
    codes: ['E_PORT_TAKEN'],
  },
  {
    name: 'two connections from "next"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n3', kind: 'flow.end' },
        { id: 'n4', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n3' },
        { id: 'e2', from: 'n1', to: 'n4' },
      ],
    ),
    codes: ['E_PORT_TAKEN'],
  },
  {
    name: 'into a trigger',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'trigger.unfollow' },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
    ),
    codes: ['E_TRIGGER_INPUT'],
  },
  {
    name: 'a loop without a wait',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'action.tag', config: { add: ['甲'] } },
        { id: 'n3', kind: 'action.tag', label: '打乙标签', config: { add: ['乙'] } },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', to: 'n3' },
        { id: 'e3', from: 'n3', to: 'n2' },
      ],
    ),
    codes: ['E_LOOP_WITHOUT_WAIT'],
  },
  {
    name: 'a push after an unfollow',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.unfollow' },
        { id: 'n2', kind: 'action.push', config: { message: { type: 'text', text: '再见' } } },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
    ),
    codes: ['E_PUSH_AFTER_UNFOLLOW'],
  },
  {
    name: 'unreachable step',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        { id: 'n2', kind: 'flow.end' },
        { id: 'n3', kind: 'action.tag', config: { add: ['孤儿'] } },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
    ),
    codes: ['W_UNREACHABLE'],
  },

  // --- W_OPEN_PORT ----------------------------------------------------------------------------
  {
    name: 'condition without "no"',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        {
          id: 'n2',
          kind: 'condition.rules',
          config: { rules: { all: [leaf('$.tags', 'hasTag', '会员')] } },
        },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
      ],
    ),
    codes: ['W_OPEN_PORT'],
  },
  {
    name: 'wait for an event without "timeout" or "matched"',
    doc: step('wait.event', { event: { type: 'purchase' }, timeout: '3d' }, '等下单'),
    codes: ['W_OPEN_PORT'],
  },
  {
    name: 'wait with nothing after it',
    doc: step('wait.delay', { duration: '2h' }),
    codes: ['W_OPEN_PORT'],
  },
  {
    name: 'split branch B open',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow' },
        {
          id: 'n2',
          kind: 'split.random',
          config: {
            branches: [
              { port: 'A', percent: 50 },
              { port: 'B', percent: 50 },
            ],
          },
        },
        { id: 'n3', kind: 'flow.end' },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'A', to: 'n3' },
      ],
    ),
    codes: ['W_OPEN_PORT'],
  },

  // --- parameters and placeholders --------------------------------------------------------------
  {
    name: 'undeclared parameter in a step',
    doc: step('action.coupon', { pool: '{{params.welcome_pool}}' }),
    codes: ['E_UNBOUND_PARAM'],
  },
  {
    name: 'undeclared parameter in the settings',
    doc: validSteps({ settings: { exitOn: [{ type: 'qr_scan', scenes: ['{{params.scene}}'] }] } }),
    codes: ['E_UNBOUND_PARAM'],
  },
  {
    name: 'unknown variable',
    doc: step('action.push', { message: { type: 'text', text: '你好 {{follower.nickname}}' } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'coupon code without a coupon',
    doc: step('action.push', { message: { type: 'text', text: '券码 {{coupon.code}}' } }, '发券码'),
    codes: ['E_CONFIG'],
  },
  {
    name: 'broken placeholder',
    doc: step('action.webhook', {
      url: 'https://crm.example.com',
      body: { a: '{{#follower.city}' },
    }),
    codes: ['E_CONFIG'],
  },

  // --- brand resources --------------------------------------------------------------------------
  {
    name: 'unknown pool, menu, template, tag and scene',
    brand,
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.qr_scan', config: { scenes: ['box_9'] } },
        {
          id: 'n2',
          kind: 'condition.rules',
          config: { rules: { all: [leaf('$.tags', 'lacksTag', '老客')] } },
        },
        { id: 'n3', kind: 'action.coupon', config: { pool: '没有的券池' } },
        { id: 'n4', kind: 'action.menu_swap', config: { menu: '金卡菜单' } },
        {
          id: 'n5',
          kind: 'action.push',
          config: { message: { type: 'template', templateId: 'TPL_X', data: {} } },
        },
        { id: 'n6', kind: 'action.tag', config: { add: [], remove: ['旧标签'] } },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', port: 'yes', to: 'n3' },
        { id: 'e3', from: 'n2', port: 'no', to: 'n6' },
        { id: 'e4', from: 'n3', to: 'n4' },
        { id: 'e5', from: 'n4', to: 'n5' },
      ],
    ),
    codes: ['E_UNKNOWN_RESOURCE'],
  },
  {
    name: 'unknown tag in the settings',
    brand,
    doc: validSteps({
      settings: {
        exitOn: [{ type: 'tag_added', tag: '退订' }],
        goal: {
          event: {
            type: 'custom',
            name: 'paid',
            where: { all: [leaf('$.tags', 'hasTag', '付费')] },
          },
          within: '7d',
        },
      },
    }),
    codes: ['E_UNKNOWN_RESOURCE'],
  },
  {
    name: 'too many tags for the account and for a follower',
    brand: { ...brand, accountTagCount: 95 },
    doc: step('action.tag', { add: Array.from({ length: 21 }, (_, i) => `标签${i}`) }),
    codes: ['E_TAG_BUDGET'],
  },
  {
    name: 'a coupon expiry shown from a pool that has none',
    brand: { ...brand, couponPoolsWithoutExpiry: ['新人券'] },
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.follow', config: {} },
        { id: 'n2', kind: 'action.coupon', config: { pool: '新人券' } },
        {
          id: 'n3',
          kind: 'action.push',
          config: { channel: 'auto', message: { type: 'text', text: '{{coupon.expiresAt}}' } },
        },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', to: 'n3' },
      ],
    ),
    codes: ['W_COUPON_NO_EXPIRY'],
  },
  {
    name: 'a template message that leaves a keyword empty, and one too long for its kind',
    brand: {
      ...brand,
      messageTemplates: [
        {
          id: 'TPL_OK',
          name: '会员注册成功通知',
          title: '会员注册成功通知',
          keywords: [
            { key: 'thing1', kind: 'thing', label: '会员名称' },
            { key: 'time2', kind: 'time', label: '注册时间' },
          ],
        },
      ],
    },
    doc: step(
      'action.push',
      {
        channel: 'template',
        message: {
          type: 'template',
          templateId: 'TPL_OK',
          data: { thing1: '一位非常非常非常非常非常非常非常忠实的猫咖会员朋友' },
        },
      },
      '欢迎',
    ),
    codes: ['E_CONFIG', 'W_TEMPLATE_VALUE'],
  },
  {
    name: 'a tag named by a placeholder (one tag per value)',
    brand,
    doc: step('action.tag', { add: ['src_{{event.scene}}'] }),
    codes: ['W_TAG_BUDGET'],
  },

  // --- warnings on settings -----------------------------------------------------------------------
  {
    name: 'customer-service push from a birthday',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } },
        {
          id: 'n2',
          kind: 'action.push',
          config: { channel: 'customer_service', message: { type: 'text', text: '生日快乐' } },
        },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
      { settings: { entry: { reentry: 'after_exit' } } },
    ),
    codes: ['W_CS_WINDOW'],
  },
  {
    name: 'birthday once',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.birthday', config: { daysBefore: 0, at: '09:00' } },
        { id: 'n2', kind: 'flow.end' },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
      { settings: { entry: { reentry: 'once' } } },
    ),
    codes: ['W_DATE_TRIGGER_ONCE'],
  },
  {
    name: 'repurchase once',
    doc: doc(
      [
        {
          id: 'n1',
          kind: 'trigger.repurchase_due',
          label: '猫粮快吃完了',
          config: { daysBefore: 2, at: '20:00' },
        },
        { id: 'n2', kind: 'flow.end' },
      ],
      [{ id: 'e1', from: 'n1', to: 'n2' }],
      { settings: { entry: { reentry: 'once' } } },
    ),
    codes: ['W_DATE_TRIGGER_ONCE'],
  },
  {
    name: 'the same text every day',
    doc: doc(
      [
        { id: 'n1', kind: 'trigger.keyword', config: { keywords: ['签到'] } },
        { id: 'n2', kind: 'wait.delay', label: '等一天', config: { duration: '1d' } },
        {
          id: 'n3',
          kind: 'action.push',
          label: '签到提醒',
          config: {
            channel: 'template',
            message: { type: 'template', templateId: 't', data: { thing1: '记得签到' } },
          },
        },
      ],
      [
        { id: 'e1', from: 'n1', to: 'n2' },
        { id: 'e2', from: 'n2', to: 'n3' },
        { id: 'e3', from: 'n3', to: 'n2' },
      ],
      { settings: { entry: { reentry: 'after_exit' } } },
    ),
    codes: ['W_REPEAT_CONTENT'],
  },

  // --- every kind's config, broken ----------------------------------------------------------------
  {
    name: 'follow: no scenes',
    doc: trigger('trigger.follow', { scenes: [] }),
    codes: ['E_CONFIG'],
  },
  { name: 'qr scan: nothing', doc: trigger('trigger.qr_scan', {}), codes: ['E_CONFIG'] },
  {
    name: 'qr scan: bad who, bad scene',
    doc: trigger('trigger.qr_scan', { scenes: ['a*b'], who: 'all' }),
    codes: ['E_CONFIG'],
  },
  { name: 'keyword: none', doc: trigger('trigger.keyword', { keywords: [] }), codes: ['E_CONFIG'] },
  {
    name: 'keyword: bad pattern',
    doc: trigger('trigger.keyword', { keywords: ['('], match: 'regex' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'keyword: bad match',
    doc: trigger('trigger.keyword', { keywords: ['hi'], match: 'fuzzy' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'menu click: empty key',
    doc: trigger('trigger.menu_click', { keys: [''] }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'location: out of range',
    doc: trigger('trigger.location', { center: { lat: 100, lng: 0 }, radiusM: 0, cooldown: 'x' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'birthday: out of range',
    doc: trigger('trigger.birthday', { daysBefore: 40, at: '25:00' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'repurchase: days before beyond the cycle',
    doc: trigger('trigger.repurchase_due', { daysBefore: 10, cycleDays: 5, at: '09:00' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'purchase: negative',
    doc: trigger('trigger.purchase', { minAmount: -1 }),
    codes: ['E_CONFIG'],
  },
  { name: 'tag added: empty', doc: trigger('trigger.tag_added', { tag: '' }), codes: ['E_CONFIG'] },
  {
    name: 'custom event: empty name and group',
    doc: trigger('trigger.event', { name: '', where: { all: [] } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'audience: bad date, event fact',
    doc: trigger('trigger.audience', {
      at: 'tomorrow',
      audience: { all: [leaf('$.scene', 'equal', 'x', 'event')] },
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'condition: unknown follower field',
    doc: step('condition.rules', { rules: { all: [leaf('$.nope', 'equal', 1)] } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'condition: operator for another type',
    doc: step('condition.rules', { rules: { any: [leaf('$.tags', 'greaterThan', 3)] } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'condition: unknown fact, bad path, bad pattern',
    doc: step('condition.rules', {
      rules: {
        all: [
          { fact: 'weather', operator: 'equal', value: 1 },
          leaf('city', 'equal', '北京'),
          { not: leaf('$.city', 'matches', '(') },
        ],
      },
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'condition: not a condition',
    doc: step('condition.rules', { rules: { foo: 1 } }),
    codes: ['E_CONFIG'],
  },
  { name: 'condition: no rules', doc: step('condition.rules', {}), codes: ['E_CONFIG'] },
  {
    name: 'split: same names, wrong total',
    doc: step('split.random', {
      branches: [
        { port: 'A', percent: 60 },
        { port: 'A', percent: 60 },
      ],
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'split: one branch with a bad name',
    doc: step('split.random', { branches: [{ port: 'a b', percent: 100 }] }),
    codes: ['E_CONFIG'],
  },
  { name: 'wait: empty duration', doc: step('wait.delay', { duration: '' }), codes: ['E_CONFIG'] },
  { name: 'wait: unit only', doc: step('wait.delay', { duration: 'h' }), codes: ['E_CONFIG'] },
  { name: 'wait: nothing', doc: step('wait.delay', {}), codes: ['E_CONFIG'] },
  {
    name: 'wait: unknown setting',
    doc: step('wait.delay', { duration: '2h', jitter: '5m' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'wait until: bad time, twice a day',
    doc: step('wait.until', { at: '9am', weekdays: [1, 1] }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'wait for a keyword: none, no timeout',
    doc: step('wait.event', { event: { type: 'keyword' }, timeout: 'h' }, '等回复'),
    codes: ['E_CONFIG'],
  },
  {
    name: 'wait for an unknown event',
    doc: step('wait.event', { event: { type: 'sms' }, timeout: '1d' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'wait for a location without a centre',
    doc: step('wait.event', { event: { type: 'location', radiusM: 5 }, timeout: '1d' }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'wait for a custom event with an empty group',
    doc: step('wait.event', {
      event: { type: 'custom', name: 'paid', where: { all: [] } },
      timeout: '1d',
    }),
    codes: ['E_CONFIG'],
  },
  { name: 'end: settings', doc: step('flow.end', { x: 1 }), codes: ['E_CONFIG'] },
  { name: 'tag: nothing', doc: step('action.tag', { add: [], remove: [] }), codes: ['E_CONFIG'] },
  {
    name: 'tag: added and removed, too long',
    doc: step('action.tag', {
      add: ['新', '这是一个非常非常非常长的标签名字'],
      remove: ['新'],
    }),
    codes: ['E_CONFIG'],
  },
  { name: 'coupon: no pool', doc: step('action.coupon', { pool: '' }), codes: ['E_CONFIG'] },
  { name: 'coupon: nothing', doc: step('action.coupon', {}), codes: ['E_CONFIG'] },
  {
    name: 'push: empty text',
    doc: step('action.push', { message: { type: 'text', text: '' } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: template channel, text message',
    doc: step('action.push', { channel: 'template', message: { type: 'text', text: 'hi' } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: customer service, template message',
    doc: step('action.push', {
      channel: 'customer_service',
      message: { type: 'template', templateId: 'T', data: {} },
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: article without title or link',
    doc: step('action.push', {
      message: { type: 'news', articles: [{ title: '', url: 'ftp://x' }] },
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: template without id, bad data',
    doc: step('action.push', {
      message: { type: 'template', templateId: '', data: { first: 5 }, miniprogram: { appId: '' } },
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: unknown message type, channel',
    doc: step('action.push', { channel: 'sms', message: { type: 'video' } }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'push: mini program card, empty',
    doc: step('action.push', {
      message: { type: 'miniprogram', title: '', appId: '', pagePath: '', thumbMediaId: '' },
    }),
    codes: ['E_CONFIG'],
  },
  { name: 'menu: none', doc: step('action.menu_swap', { menu: '' }), codes: ['E_CONFIG'] },
  { name: 'profile: nothing', doc: step('action.update_profile', {}), codes: ['E_CONFIG'] },
  {
    name: 'profile: bad birthday and gender, fractional points, empty tier',
    doc: step('action.update_profile', {
      set: { birthday: '2-30', gender: 'x', attributes: { pet: [1] } },
      addPoints: 1.5,
      tier: '',
    }),
    codes: ['E_CONFIG'],
  },
  {
    name: 'webhook: not a link, body not an object',
    doc: step('action.webhook', { url: 'crm', body: 5 }),
    codes: ['E_CONFIG'],
  },
  { name: 'unfollow: settings', doc: trigger('trigger.unfollow', { x: 1 }), codes: ['E_CONFIG'] },
];

// --- what a message must not contain ----------------------------------------------------------------

/** Every field name and path segment of the document and of every kind's config. */
function internalNames(): Set<string> {
  const names = new Set([
    'all',
    'any',
    'not',
    'fact',
    'config',
    'kind',
    'id',
    'port',
    'nodes',
    'edges',
    'settings',
    'entry',
    'reentry',
    'exitOn',
    'goal',
  ]);
  const tables = [DOCUMENT_FIELDS, ...Object.values(nodeSpecs).map((s) => s.fields)];
  for (const table of tables) {
    for (const pattern of Object.keys(table)) {
      for (const seg of pattern.split('.')) if (!seg.startsWith('*')) names.add(seg);
    }
  }
  return names;
}
const INTERNAL = internalNames();
const PORT_IDS = new Set<string>(NAMED_PORTS);

/** Why a message is not in the marketer's words (empty: it is). */
function problemsOf(message: string, lang: 'en' | 'zh-CN', ids: readonly string[]): string[] {
  const out: string[] = [];
  // What a marketer types themselves ({{follower.city}}) may be quoted back to them.
  const text = message.replace(/\{\{[^}]*\}\}?/g, '{{…}}');
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*(?:[./[][\w$\]]+)+/g)) {
    if (m[0].split(/[./[\]]/).some((seg) => INTERNAL.has(seg)) || m[0].startsWith('$'))
      out.push(`raw path ${m[0]}`);
  }
  if (text.includes('$.')) out.push('a JSON path ($.…)');
  for (const m of text.matchAll(/\b[a-z]+[A-Z][A-Za-z]*\b/g))
    if (INTERNAL.has(m[0])) out.push(`internal field name ${m[0]}`);
  for (const m of text.matchAll(/["“「'‘]([^"”」'’]+)["”」'’]/g)) {
    const inner = m[1]!.trim();
    if (INTERNAL.has(inner)) out.push(`quoted field name ${m[0]}`);
    if (PORT_IDS.has(inner)) out.push(`quoted port id ${m[0]}`);
  }
  for (const id of ids) {
    if (new RegExp(`(^|[^A-Za-z0-9_])${id}([^A-Za-z0-9_]|$)`).test(text)) out.push(`id ${id}`);
  }
  if (/\b[ne]\d+\b/.test(text)) out.push('a node or edge id');
  if (/undefined|\[object|NaN/.test(text)) out.push('a program value');
  if (lang === 'zh-CN') {
    if (!/[\u4e00-\u9fff]/.test(text)) out.push('no Chinese');
    for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g))
      if (INTERNAL.has(m[0])) out.push(`English field name ${m[0]} in Chinese`);
  }
  return out;
}

/** Ids of the document's nodes and edges (the ones a marketer never sees). */
function idsOf(doc: unknown): string[] {
  const d = doc as { nodes?: { id?: unknown }[]; edges?: { id?: unknown }[] } | null;
  if (!d || typeof d !== 'object') return [];
  const ids = [...(d.nodes ?? []), ...(d.edges ?? [])]
    .map((x) => x?.id)
    .filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids)];
}

describe('validation messages speak the marketer’s language', () => {
  const results = ROWS.map((row) => ({ row, issues: validate(row.doc, row.brand) }));

  it.each(results.map((r) => ({ name: r.row.name, ...r })))('$name', ({ row, issues }) => {
    const codes = new Set(issues.map((i) => i.code));
    for (const code of row.codes) expect(codes, `${row.name} produces ${code}`).toContain(code);
    const ids = idsOf(row.doc);
    const bad: string[] = [];
    for (const issue of issues) {
      for (const lang of ['en', 'zh-CN'] as const) {
        const problems = problemsOf(issue.message[lang], lang, ids);
        if (problems.length)
          bad.push(`${issue.code} [${lang}] ${issue.message[lang]} — ${problems.join('; ')}`);
      }
      expect(issue.message.en).not.toBe(issue.message['zh-CN']);
    }
    expect(bad).toEqual([]);
  });

  it('the table covers every code the validator can produce', () => {
    const seen = new Set<IssueCode>(results.flatMap((r) => r.issues.map((i: Issue) => i.code)));
    expect([...ISSUE_CODES].filter((c) => !seen.has(c))).toEqual([]);
  });

  it('the checker itself catches developer words', () => {
    const ids = ['n4', 'e2'];
    expect(problemsOf('"message.templateId" must not be empty', 'en', ids)).not.toEqual([]);
    expect(problemsOf('rules.all needs at least 1 item', 'en', ids)).not.toEqual([]);
    expect(problemsOf('The exit "next" of n4 is open', 'en', ids).length).toBeGreaterThan(1);
    expect(problemsOf('“pool”不能为空', 'zh-CN', ids)).not.toEqual([]);
    expect(problemsOf('audience.all 至少需要 1 项', 'zh-CN', ids)).not.toEqual([]);
    expect(problemsOf('at nodes/1/config', 'en', ids)).not.toEqual([]);
    expect(problemsOf('daysBefore must be shorter', 'en', ids)).not.toEqual([]);
    expect(problemsOf('「发券」：“券池”不能为空。', 'zh-CN', ids)).toEqual([]);
    expect(problemsOf('"Coupon": "Coupon pool" must not be empty.', 'en', ids)).toEqual([]);
  });
});
