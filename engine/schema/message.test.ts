import { describe, expect, it } from 'vitest';
import { compile } from '../compile';
import { validate } from '../validate/index';
import { FlowDraft } from './document';
import { FlowDoc } from './flow-doc';

/** follow → template push → end, with the given template data. */
const flow = (data: unknown) => ({
  format: 'fanfare.flow/v1',
  name: 'template data',
  nodes: [
    { id: 't', kind: 'trigger.follow' },
    {
      id: 'p',
      kind: 'action.push',
      config: { channel: 'template', message: { type: 'template', templateId: 'TPL', data } },
    },
    { id: 'end', kind: 'flow.end' },
  ],
  edges: [
    { id: 'a', from: 't', to: 'p' },
    { id: 'b', from: 'p', to: 'end' },
  ],
});
const dataOf = (doc: { nodes: { config?: unknown }[] }) =>
  (doc.nodes[1]!.config as { message: { data: unknown } }).message.data;

describe("template data: ours, or WeChat's documented {key: {value, color?}}", () => {
  const expected = { thing1: '新人券', thing2: '{{follower.city}}' };
  it.each([
    ['our shape', { thing1: '新人券', thing2: '{{follower.city}}' }],
    ["WeChat's shape", { thing1: { value: '新人券' }, thing2: { value: '{{follower.city}}' } }],
    // WeChat ignores colours since May 2023: accepted, dropped.
    [
      'with colours',
      {
        thing1: { value: '新人券', color: '#173177' },
        thing2: { value: '{{follower.city}}', color: '#FF0000' },
      },
    ],
    ['mixed', { thing1: '新人券', thing2: { value: '{{follower.city}}' } }],
  ])('%s validates, loads, publishes and compiles as {key: text}', (_, data) => {
    const doc = flow(data);
    expect(validate(doc)).toEqual([]);
    expect(dataOf(FlowDraft.parse(doc))).toEqual(expected);
    expect(dataOf(FlowDoc.parse(doc))).toEqual(expected);
    expect((compile(doc).steps.p!.config as { message: { data: unknown } }).message.data).toEqual(
      expected,
    );
  });

  it('a placeholder in the value is checked like any other', () => {
    expect(validate(flow({ thing1: { value: '{{coupon.code}}' } }))).toMatchObject([
      { code: 'E_CONFIG', path: '/nodes/1/config/message/data/thing1' },
    ]);
  });

  it.each([
    ['a number', { thing1: 3 }],
    ['an object without value', { thing1: { color: '#000' } }],
    ['an unknown field', { thing1: { value: 'x', emphasis: true } }],
    ['a value that is not text', { thing1: { value: 3 } }],
  ])('%s is an E_CONFIG on the field, and loads unchanged', (_, data) => {
    const issues = validate(flow(data));
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['E_CONFIG', '/nodes/1/config/message/data/thing1'],
    ]);
    expect(dataOf(FlowDraft.parse(flow(data)))).toEqual(data);
  });
});
