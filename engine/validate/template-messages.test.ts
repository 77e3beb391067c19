import { describe, expect, it } from 'vitest';
import { pushTemplateMessages } from '../nodes/action-push';
import { keywordMax, parseTemplateContent } from '../template-message';
import { validate, type BrandContext } from './index';

const content =
  '会员名称：{{thing1.DATA}}\n会员卡号：{{character_string2.DATA}}\n注册时间：{{time3.DATA}}';

const brand: BrandContext = {
  tags: [],
  couponPools: ['新人券'],
  menus: [],
  templates: ['会员注册成功通知', 'TPL_REG'],
  messageTemplates: [
    {
      id: 'TPL_REG',
      name: '会员注册成功通知',
      title: '会员注册成功通知',
      keywords: parseTemplateContent(content),
    },
  ],
};

function flow(message: Record<string, unknown>, parameters?: unknown[]) {
  return {
    format: 'fanfare.flow/v1',
    name: '注册通知',
    ...(parameters ? { parameters } : {}),
    nodes: [
      { id: 't', kind: 'trigger.purchase', config: {} },
      { id: 'p', kind: 'action.push', label: '注册通知', config: { channel: 'template', message } },
    ],
    edges: [{ id: 'e', from: 't', to: 'p' }],
  };
}

const full = {
  thing1: '{{follower.tier}} 会员',
  character_string2: '{{follower.openid}}',
  time3: '2024年5月20日 12:00',
};
const codes = (doc: unknown, b: BrandContext = brand) =>
  validate(doc, b)
    .filter((i) => i.code !== 'W_CS_WINDOW')
    .map((i) => ({ code: i.code, path: i.path }));

describe('template content', () => {
  it('reads keywords, their kinds and labels; retired first/remark are not asked for', () => {
    expect(parseTemplateContent(content)).toEqual([
      { key: 'thing1', kind: 'thing', label: '会员名称' },
      { key: 'character_string2', kind: 'character_string', label: '会员卡号' },
      { key: 'time3', kind: 'time', label: '注册时间' },
    ]);
    expect(
      parseTemplateContent(
        '{{first.DATA}}\n订单：{{ character_string1.DATA }} 金额:{{amount2.DATA}}\n{{remark.DATA}}',
      ),
    ).toEqual([
      { key: 'character_string1', kind: 'character_string', label: '订单' },
      { key: 'amount2', kind: 'amount', label: '金额' },
    ]);
  });

  it('knows the length of each kind (a name in Chinese is shorter)', () => {
    expect(keywordMax('thing1')).toBe(20);
    expect(keywordMax('phrase4')).toBe(5);
    expect(keywordMax('character_string2')).toBe(32);
    expect(keywordMax('time3')).toBeUndefined();
    expect(keywordMax('name1', 'Alice')).toBe(20);
    expect(keywordMax('name1', '林小猫')).toBe(10);
  });
});

describe('template messages against the brand', () => {
  it('passes a message filling every keyword, placeholders allowed, named by id or by name', () => {
    expect(codes(flow({ type: 'template', templateId: 'TPL_REG', data: full }))).toEqual([]);
    expect(codes(flow({ type: 'template', templateId: '会员注册成功通知', data: full }))).toEqual(
      [],
    );
  });

  it('refuses a missing or blank keyword with E_CONFIG naming it', () => {
    const issues = validate(
      flow({
        type: 'template',
        templateId: 'TPL_REG',
        data: { character_string2: 'x', time3: ' ' },
      }),
      brand,
    ).filter((i) => i.code === 'E_CONFIG');
    expect(issues.map((i) => i.path)).toEqual([
      '/nodes/1/config/message/data/thing1',
      '/nodes/1/config/message/data/time3',
    ]);
    expect(issues[0]!.message.en).toContain('"会员名称" (thing1)');
    expect(issues[0]!.message.en).toContain('the template "会员注册成功通知"');
    expect(issues[1]!.message['zh-CN']).toContain('“注册时间”（time3）');
  });

  it('refuses a template the brand lacks with E_UNKNOWN_RESOURCE naming it', () => {
    const issues = validate(
      flow({ type: 'template', templateId: 'TPL_GONE', data: full }),
      brand,
    ).filter((i) => i.severity === 'error');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'E_UNKNOWN_RESOURCE',
      path: '/nodes/1/config/message/templateId',
    });
    expect(issues[0]!.message.en).toContain('"TPL_GONE"');
    expect(issues[0]!.message.en).toContain('sync');
    expect(issues[0]!.message['zh-CN']).toContain('“TPL_GONE”');
  });

  it('warns about a literal value longer than its kind allows, not about a placeholder', () => {
    const long = '一二三四五六七八九十一二三四五六七八九十一';
    expect(
      codes(flow({ type: 'template', templateId: 'TPL_REG', data: { ...full, thing1: long } })),
    ).toEqual([{ code: 'W_TEMPLATE_VALUE', path: '/nodes/1/config/message/data/thing1' }]);
    expect(
      codes(
        flow({
          type: 'template',
          templateId: 'TPL_REG',
          data: { ...full, thing1: `${long}{{follower.tier}}` },
        }),
      ),
    ).toEqual([]);
  });

  it('checks a template named by a parameter with its default', () => {
    const parameters = [{ name: 'tpl', kind: 'template', default: 'TPL_REG' }];
    const doc = flow(
      { type: 'template', templateId: '{{params.tpl}}', data: { thing1: 'x' } },
      parameters,
    );
    expect(codes(doc).map((c) => c.code)).toEqual(['E_CONFIG', 'E_CONFIG']);
  });

  it('checks nothing more when the brand has no synced keywords', () => {
    const bare = { ...brand, messageTemplates: undefined };
    expect(codes(flow({ type: 'template', templateId: 'TPL_REG', data: {} }), bare)).toEqual([]);
  });

  it('finds the template messages of a push: its message and its fallback', () => {
    const message = { type: 'template', templateId: 'A', data: {} };
    const fallback = { type: 'template', templateId: 'B', data: {} };
    expect(
      pushTemplateMessages({ message: { type: 'text', text: 'hi' }, fallback }).map((m) => [
        m.message.templateId,
        m.path,
      ]),
    ).toEqual([['B', ['fallback']]]);
    expect(pushTemplateMessages({ message, fallback }).map((m) => m.path)).toEqual([
      ['message'],
      ['fallback'],
    ]);
  });
});
