import { describe, expect, it } from 'vitest';
import { TestSendInput, markAsTest } from '.';

describe('markAsTest', () => {
  it('marks a text, a news title, a mini-program title and a template’s first value', () => {
    expect(markAsTest({ type: 'text', text: '你好' })).toEqual({
      type: 'text',
      text: '【测试】你好',
    });
    expect(
      markAsTest({ type: 'news', articles: [{ title: '新品', url: 'https://example.com/a' }] }),
    ).toEqual({
      type: 'news',
      articles: [{ title: '【测试】新品', url: 'https://example.com/a' }],
    });
    expect(
      markAsTest({
        type: 'miniprogram',
        title: '会员卡',
        appId: 'wxapp',
        pagePath: 'pages/index',
        thumbMediaId: 'm1',
      }),
    ).toMatchObject({ title: '【测试】会员卡' });
    expect(
      markAsTest({ type: 'template', templateId: 't', data: { first: 'a', keyword1: 'b' } }),
    ).toEqual({ type: 'template', templateId: 't', data: { first: '【测试】a', keyword1: 'b' } });
  });

  it('leaves an image and an empty template as they are, and never marks twice', () => {
    expect(markAsTest({ type: 'image', mediaId: 'm' })).toEqual({ type: 'image', mediaId: 'm' });
    expect(markAsTest({ type: 'template', templateId: 't', data: {} })).toEqual({
      type: 'template',
      templateId: 't',
      data: {},
    });
    expect(markAsTest({ type: 'text', text: '【测试】hi' })).toEqual({
      type: 'text',
      text: '【测试】hi',
    });
  });
});

describe('TestSendInput', () => {
  it('takes 1–20 rendered messages with a node id each', () => {
    const one = { nodeId: 'n', message: { type: 'text', text: 'x' } };
    expect(TestSendInput.safeParse({ messages: [one] }).success).toBe(true);
    expect(TestSendInput.safeParse({ messages: [] }).success).toBe(false);
    expect(TestSendInput.safeParse({ messages: Array(21).fill(one) }).success).toBe(false);
    expect(
      TestSendInput.safeParse({ messages: [{ ...one, extra: 1 }] }).success,
      'unknown keys are refused',
    ).toBe(false);
    expect(
      TestSendInput.safeParse({ messages: [{ nodeId: 'n', message: { type: 'video' } }] }).success,
    ).toBe(false);
  });
});
