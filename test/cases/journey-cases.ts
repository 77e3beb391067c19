/**
 * One table of journey cases, run by both drivers of the step machine: the simulator
 * (engine/simulate/simulate.test.ts) and Temporal with the real worker, Postgres and the
 * WeChat sandbox (test/integration/journey-cases.test.ts). Each case is a flow, a scenario
 * (what one fan does, when) and what must happen: the steps in order, the messages the fan
 * receives and how the journey ends, and when.
 *
 * A step is written `node`, `node:port` (a wait, a condition, a split) or
 * `node outcome/channel(reason)` (a push).
 */
import type { ScenarioInput } from '../../engine/simulate';

/** Settings every case flow starts from. */
export const settings = {
  timezone: 'Asia/Shanghai',
  entry: { reentry: 'once' },
  quietHours: null,
  frequencyCap: null,
  exitOn: [],
  goal: null,
};
export const node = (id: string, kind: string, config?: unknown) => ({
  id,
  kind,
  ...(config ? { config } : {}),
});
export const edge = (from: string, to: string, port = 'next') => ({
  id: `${from}-${port}`,
  from,
  port,
  to,
});
const text = (t: string) => ({ type: 'text', text: t });
/** The brand's template message every case may use (registered by the Temporal test). */
export const REMINDER_TEMPLATE = {
  name: 'welcome-reminder',
  wechatTemplateId: 'TPL-REMIND-1',
  fields: ['thing1'],
  title: '会员提醒',
  content: '提醒：{{thing1.DATA}}',
};
const reminder = (thing1: string) => ({
  type: 'template',
  templateId: REMINDER_TEMPLATE.name,
  data: { thing1 },
});
/** The coupon pool the golden flow issues from. */
export const WELCOME_POOL = 'welcome';

/** Follow → welcome now → wait 48 h for a keyword: matched → coupon + reply; silence → template. */
export const golden48 = {
  format: 'fanfare.flow/v1',
  name: 'golden 48 hours',
  settings,
  nodes: [
    node('follow', 'trigger.follow'),
    node('hello', 'action.push', {
      channel: 'customer_service',
      message: text('欢迎关注！回复“优惠”领券。'),
    }),
    node('wait', 'wait.event', {
      event: { type: 'keyword', keywords: ['优惠'], match: 'contains' },
      timeout: '48h',
    }),
    node('coupon', 'action.coupon', { pool: WELCOME_POOL }),
    node('reply', 'action.push', {
      channel: 'customer_service',
      message: text('新人券 {{coupon.code}}'),
    }),
    node('nudge', 'action.push', { channel: 'template', message: reminder('新人券还在等你') }),
    node('end1', 'flow.end'),
    node('end2', 'flow.end'),
  ],
  edges: [
    edge('follow', 'hello'),
    edge('hello', 'wait'),
    edge('wait', 'coupon', 'matched'),
    edge('coupon', 'reply'),
    edge('reply', 'end1'),
    edge('wait', 'nudge', 'timeout'),
    edge('nudge', 'end2'),
  ],
};

/** Quiet hours 23:00–07:00: a push at follow time waits for their end. */
const quietNight = {
  format: 'fanfare.flow/v1',
  name: 'quiet night',
  settings: { ...settings, quietHours: { from: '23:00', to: '07:00' } },
  nodes: [
    node('follow', 'trigger.follow'),
    node('morning', 'action.push', { channel: 'template', message: reminder('早上好') }),
    node('end', 'flow.end'),
  ],
  edges: [edge('follow', 'morning'), edge('morning', 'end')],
};

/** A follow allows 3 customer-service messages within a minute: the 4th falls back, the 5th is skipped. */
const fiveAfterFollow = {
  format: 'fanfare.flow/v1',
  name: 'five after a follow',
  settings,
  nodes: [
    node('follow', 'trigger.follow'),
    node('p1', 'action.push', { channel: 'auto', message: text('第一条') }),
    node('p2', 'action.push', { channel: 'auto', message: text('第二条') }),
    node('p3', 'action.push', { channel: 'auto', message: text('第三条') }),
    node('p4', 'action.push', {
      channel: 'auto',
      message: text('第四条'),
      fallback: reminder('第四条'),
    }),
    node('p5', 'action.push', { channel: 'auto', message: text('第五条') }),
    node('end', 'flow.end'),
  ],
  edges: [
    edge('follow', 'p1'),
    edge('p1', 'p2'),
    edge('p2', 'p3'),
    edge('p3', 'p4'),
    edge('p4', 'p5'),
    edge('p5', 'end'),
  ],
};

export interface JourneyCase {
  name: string;
  flow: Record<string, unknown>;
  scenario: ScenarioInput;
  expect: {
    steps: string[];
    /** `node channel`, in the order the fan receives them. */
    messages: string[];
    end: { status: string; reason: string | null };
    /** When the journey ends, after it was entered ("48h"); "0m": at once. */
    endsAfter: string;
  };
}

const DAY_START = '2026-11-30T10:00:00+08:00';

export const JOURNEY_CASES: JourneyCase[] = [
  {
    name: 'golden 48 hours: a keyword at +3 h takes the matched branch with its coupon',
    flow: golden48,
    scenario: {
      start: DAY_START,
      events: [
        { at: '+0m', type: 'follow' },
        { at: '+3h', type: 'keyword', text: '有优惠吗' },
      ],
      until: '+7d',
    },
    expect: {
      steps: [
        'hello sent/customer_service',
        'wait:matched',
        'coupon',
        'reply sent/customer_service',
        'end1',
      ],
      messages: ['hello customer_service', 'reply customer_service'],
      end: { status: 'completed', reason: null },
      endsAfter: '3h',
    },
  },
  {
    name: 'golden 48 hours: silence takes the timeout branch at exactly +48 h',
    flow: golden48,
    scenario: { start: DAY_START, events: [{ at: '+0m', type: 'follow' }], until: '+7d' },
    expect: {
      steps: ['hello sent/customer_service', 'wait:timeout', 'nudge sent/template', 'end2'],
      messages: ['hello customer_service', 'nudge template'],
      end: { status: 'completed', reason: null },
      endsAfter: '48h',
    },
  },
  {
    name: 'golden 48 hours: an unfollow at +1 h ends the journey there',
    flow: golden48,
    scenario: {
      start: DAY_START,
      events: [
        { at: '+0m', type: 'follow' },
        { at: '+1h', type: 'unfollow' },
      ],
      until: '+7d',
    },
    expect: {
      steps: ['hello sent/customer_service'],
      messages: ['hello customer_service'],
      end: { status: 'exited', reason: 'unfollowed' },
      endsAfter: '1h',
    },
  },
  {
    name: 'quiet hours: a push at 23:30 waits until 07:00',
    flow: quietNight,
    scenario: {
      start: '2026-11-30T23:30:00+08:00',
      events: [{ at: '+0m', type: 'follow' }],
      until: '+2d',
    },
    expect: {
      steps: ['morning sent/template', 'end'],
      messages: ['morning template'],
      end: { status: 'completed', reason: null },
      endsAfter: '450m',
    },
  },
  {
    name: 'after a follow: 3 customer-service messages, the 4th falls back, the 5th is skipped',
    flow: fiveAfterFollow,
    scenario: { start: DAY_START, events: [{ at: '+0m', type: 'follow' }], until: '+1d' },
    expect: {
      steps: [
        'p1 sent/customer_service',
        'p2 sent/customer_service',
        'p3 sent/customer_service',
        'p4 sent/template(quota_used)',
        'p5 skipped/customer_service(quota_used)',
        'end',
      ],
      messages: [
        'p1 customer_service',
        'p2 customer_service',
        'p3 customer_service',
        'p4 template',
      ],
      end: { status: 'completed', reason: null },
      endsAfter: '0m',
    },
  },
];

/** A step as the cases write it, from what either driver observed. */
export function stepLine(s: {
  nodeId: string;
  kind: string;
  port: string | null;
  outcome: string | null;
  channel: string | null;
  reason: string | null;
}): string {
  if (s.kind === 'action.push')
    return `${s.nodeId} ${s.outcome}/${s.channel ?? '-'}${s.reason ? `(${s.reason})` : ''}`;
  if (
    ['wait.event', 'wait.delay', 'wait.until', 'condition.rules', 'split.random'].includes(s.kind)
  )
    return `${s.nodeId}:${s.port}`;
  return s.nodeId;
}
