import { describe, expect, it } from 'vitest';
import { sessionExpiry, SESSION_IDLE_MS, SESSION_MAX_MS } from './sessions';
import { ACCOUNT_RULE, throttleWait, waitMinutes, type ThrottleRule } from './throttle';

const MIN = 60_000;
const now = new Date('2026-03-01T12:00:00Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * MIN);

describe('throttleWait (5 failures / 15 minutes)', () => {
  const rule: ThrottleRule = { limit: 5, windowMs: 15 * MIN };
  it.each<[string, number[], number]>([
    ['no failures', [], 0],
    ['four failures', [1, 2, 3, 4], 0],
    ['five just now: the oldest of them leaves in 14 min', [0, 0, 0, 0, 1], 14 * MIN],
    ['five, oldest 10 min ago: 5 min left', [1, 2, 3, 4, 10], 5 * MIN],
    ['five, oldest exactly 15 min ago has left the window', [1, 2, 3, 4, 15], 0],
    ['five, oldest 16 min ago: only four count', [1, 2, 3, 4, 16], 0],
    ['seven: the fifth most recent decides', [1, 2, 3, 4, 6, 12, 14], 9 * MIN],
    ['order does not matter', [6, 1, 14, 3, 12, 2, 4], 9 * MIN],
    ['a failure in the future (clock skew) is ignored', [-5, 1, 2, 3], 0],
  ])('%s', (_, minutesAgo, expected) => {
    expect(throttleWait(minutesAgo.map(ago), rule, now)).toBe(expected);
  });

  it('the account rule is 5 per 15 minutes', () => {
    expect(ACCOUNT_RULE).toEqual(rule);
  });
});

describe('waitMinutes', () => {
  it.each([
    [1, 1],
    [MIN, 1],
    [MIN + 1, 2],
    [14 * MIN + 30_000, 15],
    [15 * MIN, 15],
  ])('%i ms → %i min', (ms, minutes) => {
    expect(waitMinutes(ms)).toBe(minutes);
  });
});

describe('sessionExpiry', () => {
  const created = new Date('2026-03-01T00:00:00Z');
  it('is the idle limit after the last request', () => {
    const seen = new Date(created.getTime() + 3 * 24 * 3600_000);
    expect(sessionExpiry(created, seen).getTime()).toBe(seen.getTime() + SESSION_IDLE_MS);
  });
  it('never passes the absolute limit after sign-in', () => {
    const seen = new Date(created.getTime() + 25 * 24 * 3600_000);
    expect(sessionExpiry(created, seen).getTime()).toBe(created.getTime() + SESSION_MAX_MS);
  });
});
