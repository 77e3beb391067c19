import { describe, expect, it } from 'vitest';
import type { BrandContext } from './resources';
import { validate } from './index';

const brand = (withoutExpiry: string[]): BrandContext => ({
  tags: [],
  couponPools: ['welcome', 'birthday'],
  couponPoolsWithoutExpiry: withoutExpiry,
  menus: [],
  templates: ['TPL_GIFT'],
});

/** Follow → coupon (pool) → push (message): the usual way a coupon reaches a follower. */
const flow = (opts: { pool?: string; message: unknown; label?: string; couponLabel?: string }) => ({
  format: 'fanfare.flow/v1',
  name: 't',
  nodes: [
    { id: 't', kind: 'trigger.follow' },
    {
      id: 'n2',
      kind: 'action.coupon',
      ...(opts.couponLabel ? { label: opts.couponLabel } : {}),
      config: { pool: opts.pool ?? 'welcome' },
    },
    {
      id: 'n3',
      kind: 'action.push',
      ...(opts.label ? { label: opts.label } : {}),
      config: { channel: 'auto', message: opts.message },
    },
  ],
  edges: [
    { id: 'e1', from: 't', port: 'next', to: 'n2' },
    { id: 'e2', from: 'n2', port: 'next', to: 'n3' },
  ],
});

const text = (t: string) => ({ type: 'text', text: t });
const warnings = (doc: unknown, context?: BrandContext) =>
  validate(doc, context).filter((i) => i.code === 'W_COUPON_NO_EXPIRY');

describe('W_COUPON_NO_EXPIRY', () => {
  it.each([
    {
      what: 'a pool without expiry, the date in the message text',
      doc: flow({
        message: text('有效期至 {{coupon.expiresAt}}'),
        label: '告诉券码',
        couponLabel: '发券',
      }),
      withoutExpiry: ['welcome'],
      en: '"告诉券码" shows {{coupon.expiresAt}} in "Message", but the coupon pool "welcome" that "发券" gives codes from has no expiry',
      zh: '「告诉券码」的“消息内容”使用了 {{coupon.expiresAt}}，但「发券」发放的券池“welcome”没有设置有效期',
      path: '/nodes/2/config/message/text',
    },
    {
      what: 'unlabelled steps are named by their kind, never by their id',
      doc: flow({ message: text('{{coupon.expiresAt}}') }),
      withoutExpiry: ['welcome'],
      en: 'The Push message step shows {{coupon.expiresAt}} in "Message", but the coupon pool "welcome" that the Coupon step gives codes from',
      zh: '「推送消息」步骤的“消息内容”使用了 {{coupon.expiresAt}}，但「发券」步骤发放的券池“welcome”',
      path: '/nodes/2/config/message/text',
    },
    {
      what: 'a template message: the field is named by its template key',
      doc: flow({
        message: {
          type: 'template',
          templateId: 'TPL_GIFT',
          data: { time3: '{{coupon.expiresAt}}' },
        },
      }),
      withoutExpiry: ['welcome'],
      en: 'shows {{coupon.expiresAt}} in "time3"',
      zh: '的“time3”使用了 {{coupon.expiresAt}}',
      path: '/nodes/2/config/message/data/time3',
    },
    {
      what: 'an article',
      doc: flow({
        message: {
          type: 'news',
          articles: [{ title: '截止 {{coupon.expiresAt}}', url: 'https://example.com' }],
        },
      }),
      withoutExpiry: ['welcome'],
      en: 'in "Article 1 · Title"',
      zh: '的“第 1 篇 · 标题”',
      path: '/nodes/2/config/message/articles/0/title',
    },
  ])('warns: $what', ({ doc, withoutExpiry, en, zh, path }) => {
    const found = warnings(doc, brand(withoutExpiry));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', nodeId: 'n3', path });
    expect(found[0]!.message.en).toContain(en);
    expect(found[0]!.message['zh-CN']).toContain(zh);
    // Marketer's words only: no node id, no JSON path.
    for (const message of Object.values(found[0]!.message)) {
      expect(message).not.toMatch(/\bn[23]\b|message\.text|message\/|config/);
    }
  });

  it.each([
    {
      what: 'the pool has an expiry',
      doc: flow({ message: text('{{coupon.expiresAt}}') }),
      context: brand(['birthday']),
    },
    {
      what: 'the message shows the code only',
      doc: flow({ message: text('券码 {{coupon.code}}') }),
      context: brand(['welcome']),
    },
    {
      what: 'no brand to check against (the editor without resources, flow validate)',
      doc: flow({ message: text('{{coupon.expiresAt}}') }),
      context: undefined,
    },
    {
      what: 'a brand context that does not say which pools expire',
      doc: flow({ message: text('{{coupon.expiresAt}}') }),
      context: { ...brand([]), couponPoolsWithoutExpiry: undefined },
    },
  ])('is silent when $what', ({ doc, context }) => {
    expect(warnings(doc, context)).toEqual([]);
  });

  it('is a warning: the flow still publishes', () => {
    const issues = validate(flow({ message: text('{{coupon.expiresAt}}') }), brand(['welcome']));
    expect(issues.map((i) => i.code)).toContain('W_COUPON_NO_EXPIRY');
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
