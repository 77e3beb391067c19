import { describe, expect, it } from 'vitest';
import { flowEventOf, StoredEventBody, type StoredEventInput } from './events';

/** One body per stored type, as its writer produces it. */
const WRITTEN: StoredEventInput[] = [
  { type: 'follow', payload: { scene: 'cup-1', ticket: null, firstTime: true } },
  { type: 'unfollow', payload: {} },
  { type: 'qr_scan', payload: { scene: 'cup-1', ticket: 'T' } },
  { type: 'keyword', payload: { text: '优惠', msgId: '1' } },
  { type: 'menu_click', payload: { key: 'VIP' } },
  { type: 'menu_view', payload: { url: 'https://example.com' } },
  { type: 'location', payload: { lat: 31.2, lng: 121.5, precision: 30 } },
  {
    type: 'purchase',
    payload: {
      orderId: 'o1',
      amount: 38,
      currency: 'CNY',
      items: [{ sku: 's', category: 'coffee', quantity: 1 }],
    },
  },
  {
    type: 'profile',
    payload: { set: { city: '上海' }, addPoints: null, tier: null, source: 'flow' },
  },
  { type: 'tag_added', payload: { tag: 'vip', source: 'flow', flowId: 'f' } },
  {
    type: 'custom',
    name: 'signup',
    payload: { name: 'signup', id: 'e1', properties: { plan: 'pro' } },
  },
  { type: 'wechat', name: 'TEMPLATESENDJOBFINISH', payload: { msgType: 'event' } },
  { type: 'flow_archived', payload: { flowId: 'f' } },
  { type: 'flow_resumed', payload: { flowId: 'f' } },
];

describe('the stored event contract', () => {
  it.each(WRITTEN.map((w) => [w.type, w] as const))(
    '%s: what its writer stores parses',
    (_, body) => {
      expect(StoredEventBody.safeParse(body).success).toBe(true);
    },
  );

  it('maps the events flows react to, keeping the whole payload for rules', () => {
    const of = (i: number) => flowEventOf(StoredEventBody.parse(WRITTEN[i]));
    expect(of(0)).toMatchObject({
      type: 'follow',
      scene: 'cup-1',
      firstTime: true,
      payload: { ticket: null },
    });
    expect(of(3)).toMatchObject({ type: 'keyword', text: '优惠' });
    expect(of(6)).toMatchObject({ type: 'location', location: { lat: 31.2, lng: 121.5 } });
    expect(of(7)).toMatchObject({
      type: 'purchase',
      amount: 38,
      category: 'coffee',
      payload: { orderId: 'o1' },
    });
    expect(of(10)).toEqual({ type: 'custom', name: 'signup', payload: { plan: 'pro' } });
    for (const i of [5, 8, 11, 12, 13]) expect(of(i)).toBeNull();
  });

  it('refuses a row that breaks the contract', () => {
    expect(StoredEventBody.safeParse({ type: 'keyword', name: null, payload: {} }).success).toBe(
      false,
    );
    expect(StoredEventBody.safeParse({ type: 'custom', name: null, payload: {} }).success).toBe(
      false,
    );
    expect(StoredEventBody.safeParse({ type: 'teleport', payload: {} }).success).toBe(false);
  });

  it('reads rows stored before a field existed (a follow without firstTime or ticket)', () => {
    const old = StoredEventBody.parse({ type: 'follow', name: null, payload: { scene: null } });
    expect(flowEventOf(old)).toMatchObject({ type: 'follow', scene: null, firstTime: false });
  });
});
