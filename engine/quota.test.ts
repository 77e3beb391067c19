import { describe, expect, it } from 'vitest';
import {
  openQuota,
  QUOTA_RULES,
  quotaOpenedBy,
  quotaRefusal,
  takeQuota,
  type Quota,
} from './quota';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('the customer-service quota model', () => {
  it('has WeChat’s numbers: 5 within 48 h after a message, 3 within 1 minute after an event', () => {
    expect(QUOTA_RULES.message).toEqual({ messages: 5, withinMs: 48 * HOUR });
    expect(QUOTA_RULES.event).toEqual({ messages: 3, withinMs: MIN });
  });

  it('knows which callbacks open which quota', () => {
    expect(quotaOpenedBy('text')).toBe('message');
    expect(quotaOpenedBy('image')).toBe('message');
    expect(quotaOpenedBy('voice')).toBe('message');
    expect(quotaOpenedBy('location')).toBe('message'); // a location message, not the event
    for (const e of ['subscribe', 'SCAN', 'CLICK', 'scancode_push', 'scancode_waitmsg'])
      expect(quotaOpenedBy('event', e)).toBe('event');
    for (const e of ['unsubscribe', 'VIEW', 'LOCATION', 'TEMPLATESENDJOBFINISH', undefined])
      expect(quotaOpenedBy('event', e)).toBeNull();
  });

  it('a follow allows 3 within the minute, then quota_used; after the minute quota_closed', () => {
    let q: Quota | null = openQuota(null, 'event', 0);
    for (let i = 0; i < 3; i++) {
      const r = takeQuota(q, 10_000);
      expect(r.ok).toBe(true);
      if (r.ok) q = r.quota;
    }
    expect(takeQuota(q, 10_000)).toEqual({ ok: false, reason: 'quota_used' });
    expect(quotaRefusal(openQuota(null, 'event', 0), MIN)).toBe('quota_closed');
    expect(quotaRefusal(openQuota(null, 'event', 0), MIN - 1)).toBeNull();
    expect(quotaRefusal(null, 0)).toBe('quota_closed');
  });

  it('quotas do not add up: a new action resets the count, the later expiry stays', () => {
    const msg = openQuota(null, 'message', 0);
    expect(msg).toEqual({ kind: 'message', left: 5, expiresAt: 48 * HOUR });
    const spent = { ...msg, left: 1 };
    // a menu click an hour later: 3 left, still until the message's 48 hours end
    expect(openQuota(spent, 'event', HOUR)).toEqual({
      kind: 'event',
      left: 3,
      expiresAt: 48 * HOUR,
    });
    // a follow after an expired quota: its own minute
    expect(openQuota(msg, 'event', 50 * HOUR)).toEqual({
      kind: 'event',
      left: 3,
      expiresAt: 50 * HOUR + MIN,
    });
    // a second message renews 5 and 48 h from now
    expect(openQuota(spent, 'message', 2 * HOUR)).toEqual({
      kind: 'message',
      left: 5,
      expiresAt: 50 * HOUR,
    });
  });
});
