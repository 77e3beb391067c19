import { describe, expect, it } from 'vitest';
import { dedupeKey, parseInboundMessage, type InboundMessage } from './messages';
import type { XmlFields } from './xml';

const base = { ToUserName: 'gh_1', FromUserName: 'o_fan', CreateTime: '1700000000' };

function parse(fields: XmlFields): InboundMessage {
  const r = parseInboundMessage(fields);
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.message;
}

describe('parseInboundMessage', () => {
  it.each<[string, XmlFields, Partial<InboundMessage>]>([
    [
      'follow via QR',
      { ...base, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_0042', Ticket: 'T' },
      { kind: 'subscribe', scene: '0042', ticket: 'T' },
    ],
    [
      'plain follow',
      { ...base, MsgType: 'event', Event: 'subscribe', EventKey: '' },
      { kind: 'subscribe', scene: undefined, ticket: undefined },
    ],
    [
      'scan',
      { ...base, MsgType: 'event', Event: 'SCAN', EventKey: '0042', Ticket: 'T' },
      { kind: 'scan', scene: '0042', ticket: 'T' },
    ],
    [
      'unfollow',
      { ...base, MsgType: 'event', Event: 'unsubscribe', EventKey: '' },
      { kind: 'unsubscribe' },
    ],
    [
      'location',
      {
        ...base,
        MsgType: 'event',
        Event: 'LOCATION',
        Latitude: '23.137466',
        Longitude: '-113.352425',
        Precision: '119.385040',
      },
      { kind: 'location', latitude: 23.137466, longitude: -113.352425, precision: 119.38504 },
    ],
    [
      'click',
      { ...base, MsgType: 'event', Event: 'CLICK', EventKey: 'V1001_TODAY' },
      { kind: 'click', key: 'V1001_TODAY' },
    ],
    [
      'view',
      { ...base, MsgType: 'event', Event: 'VIEW', EventKey: 'https://x.test/', MenuId: '7' },
      { kind: 'view', url: 'https://x.test/', menuId: '7' },
    ],
    [
      'text',
      { ...base, MsgType: 'text', Content: '007', MsgId: '9223372036854775807' },
      { kind: 'text', content: '007', msgId: '9223372036854775807' },
    ],
    [
      'image (other)',
      { ...base, MsgType: 'image', PicUrl: 'u', MsgId: '12' },
      { kind: 'other', msgType: 'image', msgId: '12' },
    ],
    [
      'unknown event (other)',
      { ...base, MsgType: 'event', Event: 'TEMPLATESENDJOBFINISH' },
      { kind: 'other', event: 'TEMPLATESENDJOBFINISH' },
    ],
  ])('%s', (_name, fields, expected) => {
    const msg = parse(fields);
    expect(msg).toMatchObject({
      ...expected,
      fromUserName: 'o_fan',
      toUserName: 'gh_1',
      createTime: 1700000000,
    });
  });

  it.each<[string, XmlFields]>([
    ['text without MsgId', { ...base, MsgType: 'text', Content: 'x' }],
    ['non-numeric MsgId', { ...base, MsgType: 'text', Content: 'x', MsgId: '1e3' }],
    [
      'location with bad latitude',
      {
        ...base,
        MsgType: 'event',
        Event: 'LOCATION',
        Latitude: 'north',
        Longitude: '1',
        Precision: '1',
      },
    ],
    [
      'missing FromUserName',
      { ToUserName: 'gh', CreateTime: '1', MsgType: 'text', Content: 'x', MsgId: '1' },
    ],
    [
      'bad CreateTime',
      { ...base, CreateTime: 'yesterday', MsgType: 'event', Event: 'unsubscribe' },
    ],
  ])('rejects %s', (_name, fields) => {
    expect(parseInboundMessage(fields).ok).toBe(false);
  });
});

describe('dedupeKey', () => {
  it('is the MsgId for messages', () => {
    expect(
      dedupeKey(parse({ ...base, MsgType: 'text', Content: 'x', MsgId: '9223372036854775807' })),
    ).toBe('9223372036854775807');
  });

  it('is FromUserName:CreateTime:Event for events', () => {
    expect(dedupeKey(parse({ ...base, MsgType: 'event', Event: 'subscribe' }))).toBe(
      'o_fan:1700000000:subscribe',
    );
    expect(dedupeKey(parse({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: 'k' }))).toBe(
      'o_fan:1700000000:CLICK',
    );
  });

  it('tells apart two events of the same second', () => {
    const a = parse({ ...base, MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_1' });
    const b = parse({
      ...base,
      MsgType: 'event',
      Event: 'LOCATION',
      Latitude: '1',
      Longitude: '2',
      Precision: '3',
    });
    expect(dedupeKey(a)).not.toBe(dedupeKey(b));
  });
});
