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

  // Issue 14, item 4: each of these reached the database and answered 500 (or would have).
  const text = { ...base, MsgType: 'text', Content: 'hi', MsgId: '1' };
  const follow = { ...base, MsgType: 'event', Event: 'subscribe' };
  it.each<[string, XmlFields, string]>([
    ['an 8 KB openid', { ...text, FromUserName: 'o'.repeat(8192) }, 'FromUserName'],
    ['an openid with a colon (dedupe keys)', { ...follow, FromUserName: 'o:1' }, 'FromUserName'],
    ['an empty openid', { ...follow, FromUserName: '' }, 'FromUserName'],
    ['a long ToUserName', { ...follow, ToUserName: 'g'.repeat(65) }, 'ToUserName'],
    ['a MsgId over the index row size', { ...text, MsgId: '9'.repeat(4000) }, 'MsgId'],
    ['a 21-digit MsgId', { ...text, MsgId: '1'.repeat(21) }, 'MsgId'],
    ['CreateTime beyond PostgreSQL', { ...follow, CreateTime: '9'.repeat(16) }, 'CreateTime'],
    ['CreateTime beyond a JS Date', { ...follow, CreateTime: '99999999999' }, 'CreateTime'],
    ['CreateTime 0', { ...follow, CreateTime: '0' }, 'CreateTime'],
    [
      'CreateTime in 2100',
      { ...follow, CreateTime: String(Date.UTC(2100, 0, 1) / 1000) },
      'CreateTime',
    ],
    ['a 20,001-character text', { ...text, Content: 'x'.repeat(20_001) }, 'Content'],
    ['a nested Content', { ...text, Content: { b: 'x' } }, 'Content'],
    ['a repeated FromUserName', { ...text, FromUserName: ['o_a', 'o_b'] }, 'FromUserName'],
    [
      'a QR scene of 65 characters',
      { ...follow, EventKey: `qrscene_${'s'.repeat(65)}` },
      'EventKey',
    ],
    [
      'a SCAN scene of 65 characters',
      { ...follow, Event: 'SCAN', EventKey: 's'.repeat(65) },
      'EventKey',
    ],
    [
      'a menu key over 128 bytes',
      { ...follow, Event: 'CLICK', EventKey: '键'.repeat(43) },
      'EventKey',
    ],
    [
      'a menu link over 1024 bytes',
      { ...follow, Event: 'VIEW', EventKey: `https://x.test/${'a'.repeat(1010)}` },
      'EventKey',
    ],
    [
      'a latitude of 91',
      { ...follow, Event: 'LOCATION', Latitude: '91', Longitude: '0', Precision: '1' },
      'Latitude',
    ],
    [
      'a 40-character longitude',
      {
        ...follow,
        Event: 'LOCATION',
        Latitude: '1',
        Longitude: `1.${'0'.repeat(38)}`,
        Precision: '1',
      },
      'Longitude',
    ],
    ['a message type with spaces', { ...base, MsgType: 'hello world' }, 'MsgType'],
    ['an event name of 65 characters', { ...follow, Event: 'E'.repeat(65) }, 'Event'],
    ['an image with a non-numeric MsgId', { ...base, MsgType: 'image', MsgId: 'x' }, 'MsgId'],
  ])('refuses %s, naming the field', (_name, fields, field) => {
    const r = parseInboundMessage(fields);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.join('; ')).toMatch(new RegExp(`^${field}: [a-z]`));
  });

  it('accepts the longest values WeChat documents', () => {
    expect(
      parse({ ...follow, EventKey: `qrscene_${'s'.repeat(64)}`, FromUserName: 'o'.repeat(64) }),
    ).toMatchObject({ scene: 's'.repeat(64) });
    expect(parse({ ...follow, Event: 'CLICK', EventKey: '键'.repeat(42) })).toMatchObject({
      key: '键'.repeat(42),
    });
    expect(
      parse({ ...text, MsgId: '18446744073709551615', Content: '你'.repeat(20_000) }),
    ).toMatchObject({ msgId: '18446744073709551615' });
  });
});

describe('dedupeKey', () => {
  it('is the MsgId for messages', () => {
    expect(
      dedupeKey(parse({ ...base, MsgType: 'text', Content: 'x', MsgId: '9223372036854775807' })),
    ).toBe('9223372036854775807');
  });

  it.each<[string, XmlFields, string]>([
    ['a plain follow', { Event: 'subscribe' }, 'o_fan:1700000000:subscribe'],
    [
      'a follow through a QR code',
      { Event: 'subscribe', EventKey: 'qrscene_cup-2012', Ticket: 'T' },
      'o_fan:1700000000:subscribe:qrscene_cup-2012',
    ],
    ['a scan', { Event: 'SCAN', EventKey: 'cup-2012' }, 'o_fan:1700000000:SCAN:cup-2012'],
    ['a menu click', { Event: 'CLICK', EventKey: 'k' }, 'o_fan:1700000000:CLICK:k'],
    [
      'a menu link',
      { Event: 'VIEW', EventKey: 'https://x.example/a' },
      'o_fan:1700000000:VIEW:https://x.example/a',
    ],
    [
      'another event with a key',
      { Event: 'scancode_push', EventKey: 'b1' },
      'o_fan:1700000000:scancode_push:b1',
    ],
    ['an unfollow', { Event: 'unsubscribe' }, 'o_fan:1700000000:unsubscribe'],
  ])('is FromUserName:CreateTime:Event[:EventKey] for %s', (_, fields, key) => {
    expect(dedupeKey(parse({ ...base, MsgType: 'event', ...fields }))).toBe(key);
  });

  it('tells apart two menu clicks of one fan in the same second, not a retry of one', () => {
    const click = (key: string) =>
      parse({ ...base, MsgType: 'event', Event: 'CLICK', EventKey: key });
    expect(dedupeKey(click('MENU_A'))).not.toBe(dedupeKey(click('MENU_B')));
    expect(dedupeKey(click('MENU_A'))).toBe(dedupeKey(click('MENU_A')));
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
